"""The cached due dates of periods of care and their reviews: the refresh of one period
(after every change to a dated fact) and the nightly sweep over all of them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from iro_service.timescales.dates import extra_non_working_days
from iro_service.timescales.selectors import timescale_settings
from iro_service.timescales.services import due_dates_sweep
from reviews.due_dates import PERIOD_DUE_FIELDS, period_due_dates
from reviews.models import Episode, LacReview, PeriodOfCare
from reviews.services._common import (
    _period_due_dates_changes,
    _period_due_dates_write,
    _reviews_due_dates_write,
)


@transaction.atomic
def period_due_dates_refresh(
    *, period: PeriodOfCare, settings=None, extra: Iterable[date] | None = None
) -> None:
    """Work out again, from the facts, every cached date of one period of care: whether it is
    short breaks only, each review's sequence number and due dates, and the next review's due
    date. The only writer of those columns; safe to run any number of times."""
    settings = settings or timescale_settings()
    extra = frozenset(extra_non_working_days() if extra is None else extra)
    period = PeriodOfCare.objects.select_for_update().get(pk=period.pk)
    reviews = list(period.reviews.order_by("review_date"))
    legal_statuses = period.episodes.values_list("legal_status", flat=True)
    dues = _period_dues(period, reviews, legal_statuses, settings=settings, extra=extra)
    _period_due_dates_write(period=period, reviews=reviews, dues=dues)


def _period_dues(period: PeriodOfCare, reviews: list[LacReview], legal_statuses, *, settings, extra):
    """The period's due dates from its facts: its reviews in date order, its episodes' legal
    statuses."""
    return period_due_dates(
        period_start=period.start_date,
        period_open=period.end_date is None,
        legal_statuses=legal_statuses,
        review_dates=[review.review_date for review in reviews],
        settings=settings,
        extra=extra,
    )


# Periods refreshed together by the nightly sweep: three queries and one transaction a batch,
# not four queries and a transaction a period (82,000 open periods nationally).
REFRESH_BATCH = 2000


SWEEP_NAME = "reviews-due-dates"


def due_dates_sweep_nightly() -> int:
    """The nightly job. A period's due dates are worked out from its facts, refreshed in the
    same transaction as every change to them, and from the calendar (the settings and the
    non-working days). While the calendar is the one the last sweep worked to, only the periods
    changed since it began are looked at again, as a safety net; after a change to the
    calendar, every period that can still move (``due_dates_refresh_all``)."""
    return due_dates_sweep(
        name=SWEEP_NAME,
        everything=due_dates_refresh_all,
        changed_since=lambda since: _due_dates_refresh(
            PeriodOfCare.objects.filter(Q(updated_at__gte=since) | Q(reviews__updated_at__gte=since))
        ),
    )


def due_dates_refresh_all() -> int:
    """Refresh every open period of care and every period with a record still to distribute
    (a non-working day added since may have moved their dates). The same dates and history as
    ``period_due_dates_refresh`` of each, written a batch at a time."""
    return _due_dates_refresh(
        PeriodOfCare.objects.filter(Q(end_date__isnull=True) | Q(reviews__record_distributed__isnull=True))
    )


def _due_dates_refresh(periods) -> int:
    settings = timescale_settings()
    extra = frozenset(extra_non_working_days())
    ids = list(periods.order_by("pk").values_list("pk", flat=True).distinct())
    for start in range(0, len(ids), REFRESH_BATCH):
        _due_dates_refresh_batch(ids[start : start + REFRESH_BATCH], settings=settings, extra=extra)
    return len(ids)


@transaction.atomic
def _due_dates_refresh_batch(period_ids: list[int], *, settings, extra: frozenset[date]) -> None:
    periods = list(
        PeriodOfCare.objects.select_for_update()
        .filter(pk__in=period_ids)
        .order_by("pk")
        .prefetch_related(
            Prefetch("reviews", queryset=LacReview.objects.order_by("review_date")),
            Prefetch("episodes", queryset=Episode.objects.only("pk", "period_id", "legal_status")),
        )
    )
    changed_reviews, changed_periods = [], []
    for period in periods:
        reviews = list(period.reviews.all())
        legal_statuses = [episode.legal_status for episode in period.episodes.all()]
        dues = _period_dues(period, reviews, legal_statuses, settings=settings, extra=extra)
        reviews_changed, period_changed = _period_due_dates_changes(period=period, reviews=reviews, dues=dues)
        changed_reviews += reviews_changed
        if period_changed:
            changed_periods.append(period)
    _reviews_due_dates_write(changed_reviews)
    if changed_periods:
        # As save() would: updated_at moves, and the change is in the period's history.
        now = timezone.now()
        for period in changed_periods:
            period.updated_at = now
        bulk_update_with_history(changed_periods, PeriodOfCare, [*PERIOD_DUE_FIELDS, "updated_at"])
