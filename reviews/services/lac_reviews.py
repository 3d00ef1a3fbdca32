"""LAC reviews: recording a review that has been held, with its parts, and changing it; every
check a review must pass, with the due dates worked out once for the whole write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro_service.core.formats import long_date
from iro_service.core.versioning import refuse_if_changed_since
from iro_service.people.codes import JobRole
from iro_service.people.models import Child, StaffMember
from iro_service.timescales.dates import extra_non_working_days
from iro_service.timescales.selectors import timescale_settings
from reviews.codes import MeetingStatus
from reviews.due_dates import PeriodDueDates, participation_age_mismatch, period_due_dates
from reviews.models import LacReview, PeriodOfCare, ReviewMeeting, ReviewPart
from reviews.services._common import _dfe_warnings, _period_due_dates_write
from reviews.services.refresh import period_due_dates_refresh


@dataclass(frozen=True)
class PartInput:
    """One part of a review as entered: part 1 first."""

    date: date
    notes: str = ""


def participation_error(*, child: Child, review_date: date, code: str) -> str | None:
    """PN0 if and only if the child is under 4 on the review date (SSDA903 rules 440 and 441)."""
    mismatch = participation_age_mismatch(
        date_of_birth=child.date_of_birth, review_date=review_date, code=code
    )
    if mismatch == "under 4":
        return (
            f"{child.short_name} was under 4 on {long_date(review_date)}, so the participation code is PN0. "
            "Choose PN0."
        )
    if mismatch == "4 or older":
        return (
            f"PN0 is only for a child under 4, and {child.short_name} was 4 or older on "
            f"{long_date(review_date)}. Choose the code that describes how they took part."
        )
    return None


def _period_for(child: Child, on: date) -> tuple[PeriodOfCare | None, str | None]:
    periods = list(PeriodOfCare.objects.filter(child=child).order_by("start_date"))
    for period in periods:
        if period.start_date <= on and (period.end_date is None or on <= period.end_date):
            return period, None
    later = [period for period in periods if period.start_date > on]
    if later:
        return None, (
            f"The review date must be on or after the child came into care on "
            f"{long_date(later[0].start_date)}."
        )
    if periods and periods[-1].end_date is not None:
        return (
            None,
            f"The review date must be on or before the child left care on {long_date(periods[-1].end_date)}.",
        )
    return None, f"{child.full_name} has no period of care. Record the period of care first."


def _validated_review(
    *,
    child: Child,
    review: LacReview | None,
    parts: Sequence[PartInput],
    chair: StaffMember | None,
    participation_code: str,
    sw_report_received: date | None,
    decisions_circulated: date | None,
    record_completed: date | None,
    record_distributed: date | None,
    late_reason: str,
) -> tuple[PeriodOfCare | None, dict[str, str], PeriodDueDates | None]:
    """Every check a review must pass, with the message for each field that fails, and the
    period's due dates worked out with the review in it (None when it has no period)."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not parts:
        return None, {"parts": "Enter the date of part 1 of the review."}, None
    held_on = parts[0].date
    for number, part in enumerate(parts, start=1):
        field = "review_date" if number == 1 else f"part_{number}"
        if part.date > today:
            errors[field] = f"The date of part {number} must be today or earlier."
        elif number > 1 and part.date < held_on:
            errors[field] = f"Part {number} must be on or after part 1, held on {long_date(held_on)}."
    period, period_error = _period_for(child, held_on)
    if period_error and "review_date" not in errors:
        errors["review_date"] = period_error
    if period is not None and "review_date" not in errors:
        clash = period.reviews.filter(review_date=held_on)
        if review is not None:
            clash = clash.exclude(pk=review.pk)
        if clash.exists():
            errors["review_date"] = f"A review on {long_date(held_on)} is already recorded for this child."
    if chair is not None and chair.job_role != JobRole.IRO:
        errors["chair"] = f"{chair.full_name} is not an IRO. Choose the IRO who chaired the review."
    code_error = participation_error(child=child, review_date=held_on, code=participation_code)
    if code_error:
        errors["participation_code"] = code_error
    for field, value, label in [
        ("sw_report_received", sw_report_received, "The date the social worker's report was received"),
        ("decisions_circulated", decisions_circulated, "The date the decisions were circulated"),
        ("record_completed", record_completed, "The date the record was completed"),
        ("record_distributed", record_distributed, "The date the record was distributed"),
    ]:
        if value is not None and value > today:
            errors[field] = f"{label} must be today or earlier."
    if record_completed is not None and record_completed < held_on and "record_completed" not in errors:
        errors["record_completed"] = (
            f"The record cannot be completed before the review on {long_date(held_on)}."
        )
    if decisions_circulated is not None and decisions_circulated < held_on:
        errors.setdefault(
            "decisions_circulated",
            f"The decisions cannot be circulated before the review on {long_date(held_on)}.",
        )
    if record_distributed is not None and "record_distributed" not in errors:
        if record_completed is None:
            errors["record_distributed"] = "A record cannot be distributed before it is completed."
        elif record_distributed < record_completed:
            errors["record_distributed"] = (
                f"The record cannot be distributed before it was completed on {long_date(record_completed)}."
            )
    dues = None
    if period is not None and "review_date" not in errors:
        others = list(
            period.reviews.exclude(pk=review.pk if review else None)
            .order_by("review_date")
            .values_list("review_date", flat=True)
        )
        dates = sorted([*others, held_on])
        dues = period_due_dates(
            period_start=period.start_date,
            period_open=period.end_date is None,
            legal_statuses=period.episodes.values_list("legal_status", flat=True),
            review_dates=dates,
            settings=timescale_settings(),
            extra=extra_non_working_days(),
        )
        due = dues.review_held_on(held_on).due_date
        if held_on > due and not late_reason.strip():
            errors["late_reason"] = (
                f"The review was due by {long_date(due)}. Enter the reason it was held late."
            )
    return period, errors, dues


def _dues_of(dues: PeriodDueDates, held_on: date) -> dict:
    """The cached dates of the review held on ``held_on``, from its period's working-out."""
    return dues.review_held_on(held_on).as_fields()


def _write_parts(review: LacReview, parts: Sequence[PartInput]) -> None:
    existing = {part.part_number: part for part in review.parts.all()}
    for number, entered in enumerate(parts, start=1):
        part = existing.pop(number, None) or ReviewPart(review=review, part_number=number)
        if part.pk is None or part.date != entered.date or part.notes != entered.notes:
            part.date = entered.date
            part.notes = entered.notes
            part.full_clean()
            part.save()
    for leftover in existing.values():
        leftover.delete()


@transaction.atomic
def lac_review_record(
    *,
    child: Child,
    parts: Sequence[PartInput],
    chair: StaffMember | None,
    participation_code: str = "",
    sw_report_received: date | None = None,
    decisions_circulated: date | None = None,
    record_completed: date | None = None,
    record_distributed: date | None = None,
    late_reason: str = "",
) -> LacReview:
    """Record a review that has been held, with its parts. Its date is part 1's; the period of
    care is the one the child was in on that date; a booked meeting of the period is marked
    held. Due dates are then worked out again for the whole period."""
    Child.objects.select_for_update().get(pk=child.pk)
    period, errors, dues = _validated_review(
        child=child,
        review=None,
        parts=parts,
        chair=chair,
        participation_code=participation_code,
        sw_report_received=sw_report_received,
        decisions_circulated=decisions_circulated,
        record_completed=record_completed,
        record_distributed=record_distributed,
        late_reason=late_reason,
    )
    if errors:
        raise ValidationError(errors)
    held_on = parts[0].date
    review = LacReview(
        child=child,
        period=period,
        review_date=held_on,
        chair=chair,
        participation_code=participation_code,
        sw_report_received=sw_report_received,
        decisions_circulated=decisions_circulated,
        record_completed=record_completed,
        record_distributed=record_distributed,
        late_reason=late_reason.strip(),
        # Its own dates, from the one working-out the checks above used; the number the
        # period's other reviews still hold is given when they are renumbered below.
        **{**_dues_of(dues, held_on), "sequence": period.reviews.count() + 1},
    )
    review.full_clean()
    review.save()
    _write_parts(review, parts)
    # A bulk update skips auto_now: set updated_at so the meeting's version changes too.
    ReviewMeeting.objects.filter(period=period, status=MeetingStatus.BOOKED).update(
        status=MeetingStatus.HELD, review=review, updated_at=timezone.now()
    )
    # The other reviews of the period may move up a number: the same working-out, stored.
    _period_due_dates_write(
        period=PeriodOfCare.objects.select_for_update().get(pk=period.pk),
        reviews=list(period.reviews.order_by("review_date")),
        dues=dues,
    )
    review.refresh_from_db()
    review.dfe_warnings = _dfe_warnings(review.period)
    return review


@transaction.atomic
def lac_review_update(
    *,
    review: LacReview,
    parts: Sequence[PartInput],
    chair: StaffMember | None,
    participation_code: str = "",
    sw_report_received: date | None = None,
    decisions_circulated: date | None = None,
    record_completed: date | None = None,
    late_reason: str = "",
    seen_updated_at: datetime | None = None,
) -> LacReview:
    """Change a recorded review and its parts. Refused if someone else saved it since the
    editor opened it. The record's distribution date is kept (business support sets it)."""
    locked = LacReview.objects.select_for_update().select_related("child").get(pk=review.pk)
    refuse_if_changed_since(locked, seen_updated_at, what="review")
    old_period = locked.period
    period, errors, dues = _validated_review(
        child=locked.child,
        review=locked,
        parts=parts,
        chair=chair,
        participation_code=participation_code,
        sw_report_received=sw_report_received,
        decisions_circulated=decisions_circulated,
        record_completed=record_completed,
        record_distributed=locked.record_distributed,
        late_reason=late_reason,
    )
    if errors:
        raise ValidationError(errors)
    locked.period = period
    locked.review_date = parts[0].date
    locked.chair = chair
    locked.participation_code = participation_code
    locked.sw_report_received = sw_report_received
    locked.decisions_circulated = decisions_circulated
    locked.record_completed = record_completed
    locked.late_reason = late_reason.strip()
    for field, value in _dues_of(dues, locked.review_date).items():
        # The number changes with the others' below, where uniqueness is checked at commit.
        if field != "sequence":
            setattr(locked, field, value)
    locked.full_clean()
    locked.save()
    _write_parts(locked, parts)
    _period_due_dates_write(
        period=PeriodOfCare.objects.select_for_update().get(pk=period.pk),
        reviews=list(period.reviews.order_by("review_date")),
        dues=dues,
    )
    if old_period.pk != period.pk:
        period_due_dates_refresh(period=old_period)
    locked.refresh_from_db()
    locked.dfe_warnings = _dfe_warnings(locked.period)
    return locked
