"""Private helpers shared by the modules of ``reviews.services``: the one writer of the
cached due dates that the refresh and the review services both store through, and the DfE's
rules a saved period of care is checked against."""

from __future__ import annotations

from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from reviews import selectors
from reviews.due_dates import PERIOD_DUE_FIELDS, REVIEW_DUE_FIELDS, PeriodDueDates
from reviews.models import LacReview, PeriodOfCare


def _period_due_dates_changes(
    *, period: PeriodOfCare, reviews: list[LacReview], dues: PeriodDueDates
) -> tuple[list[LacReview], bool]:
    """Set ``dues`` (worked out for ``reviews``, in date order) on the period and its reviews in
    memory; give back the reviews whose dates changed and whether the period's did."""
    changed = []
    for review, wanted in zip(reviews, dues.reviews, strict=True):
        fields = wanted.as_fields()
        if any(getattr(review, field) != value for field, value in fields.items()):
            for field, value in fields.items():
                setattr(review, field, value)
            changed.append(review)
    fields = dues.as_fields()
    period_changed = any(getattr(period, field) != value for field, value in fields.items())
    if period_changed:
        for field, value in fields.items():
            setattr(period, field, value)
    return changed, period_changed


def _reviews_due_dates_write(changed: list[LacReview]) -> None:
    """Store the due dates set on ``changed`` reviews, with their history rows."""
    if changed:
        # The sequence uniqueness is checked at commit, so reviews can swap numbers when one
        # is recorded between two others.
        bulk_update_with_history(changed, LacReview, list(REVIEW_DUE_FIELDS))


def _period_due_dates_write(*, period: PeriodOfCare, reviews: list[LacReview], dues: PeriodDueDates) -> None:
    """Store ``dues`` (worked out for ``reviews``, in date order) on the period and its reviews,
    writing only the rows whose dates changed."""
    changed, period_changed = _period_due_dates_changes(period=period, reviews=reviews, dues=dues)
    _reviews_due_dates_write(changed)
    if period_changed:
        period.save(update_fields=[*PERIOD_DUE_FIELDS, "updated_at"])


def _dfe_warnings(period: PeriodOfCare) -> list:
    """The DfE's rules that the period of care, as saved, breaks: warnings given back with the
    record (``dfe_warnings``) for the page and the API to show; they never stop the save."""
    return selectors.period_dfe_warnings(period_id=period.pk, as_of=timezone.localdate())
