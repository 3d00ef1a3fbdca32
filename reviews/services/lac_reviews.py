"""Writes for the reviews app: workflows that change its models, named <entity>_<action>.

Every change to a dated fact (an episode, a review's part 1) ends with
``period_due_dates_refresh``, the one function that writes the cached due dates.
Each service validates everything first and raises ``ValidationError({field: message})``
before writing anything, inside a transaction, so bad input changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from iro_service.core.formats import long_date
from iro_service.people.codes import JobRole
from iro_service.people.models import Child, StaffMember
from iro_service.people.services import refuse_if_changed_since
from iro_service.timescales.dates import extra_non_working_days
from iro_service.timescales.selectors import timescale_settings
from reviews import selectors
from reviews.codes import (
    STARTS_PERIOD,
    STAYS_IN_CARE,
    CodeListName,
    MeetingStatus,
)
from reviews.due_dates import (
    PERIOD_DUE_FIELDS,
    REVIEW_DUE_FIELDS,
    PeriodDueDates,
    participation_age_mismatch,
    period_due_dates,
)
from reviews.models import (
    CafcassInvolvement,
    Episode,
    IroContact,
    IroReminder,
    LacReview,
    LegalAdviceReferral,
    PeriodOfCare,
    PermanencePlan,
    ReviewMeeting,
    ReviewPart,
)

# --- due dates ----------------------------------------------------------------------------


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
    dues = period_due_dates(
        period_start=period.start_date,
        period_open=period.end_date is None,
        legal_statuses=period.episodes.values_list("legal_status", flat=True),
        review_dates=[review.review_date for review in reviews],
        settings=settings,
        extra=extra,
    )
    _period_due_dates_write(period=period, reviews=reviews, dues=dues)


def _period_due_dates_write(*, period: PeriodOfCare, reviews: list[LacReview], dues: PeriodDueDates) -> None:
    """Store ``dues`` (worked out for ``reviews``, in date order) on the period and its reviews,
    writing only the rows whose dates changed."""
    changed = []
    for review, wanted in zip(reviews, dues.reviews, strict=True):
        fields = wanted.as_fields()
        if any(getattr(review, field) != value for field, value in fields.items()):
            for field, value in fields.items():
                setattr(review, field, value)
            changed.append(review)
    if changed:
        # The sequence uniqueness is checked at commit, so reviews can swap numbers when one
        # is recorded between two others.
        bulk_update_with_history(changed, LacReview, list(REVIEW_DUE_FIELDS))
    fields = dues.as_fields()
    if any(getattr(period, field) != value for field, value in fields.items()):
        for field, value in fields.items():
            setattr(period, field, value)
        period.save(update_fields=[*PERIOD_DUE_FIELDS, "updated_at"])


def due_dates_refresh_all() -> int:
    """The nightly sweep: refresh every open period of care and every period with a record
    still to distribute (a non-working day added since may have moved their dates)."""
    settings = timescale_settings()
    extra = extra_non_working_days()
    periods = PeriodOfCare.objects.filter(
        Q(end_date__isnull=True) | Q(reviews__record_distributed__isnull=True)
    ).distinct()
    count = 0
    for period in periods.iterator():
        period_due_dates_refresh(period=period, settings=settings, extra=extra)
        count += 1
    return count


# --- periods of care and episodes ---------------------------------------------------------


def _check_codes(on: date, **codes: str) -> dict[str, str]:
    """Errors for any code not in its SSDA903 list in the collection year of ``on``."""
    fields = {
        "reason_for_new_episode": CodeListName.RNE,
        "legal_status": CodeListName.LS,
        "category_of_need": CodeListName.CIN,
        "placement": CodeListName.PLACE,
        "placement_provider": CodeListName.PLACE_PROVIDER,
        "reason_ceased": CodeListName.REC,
        "reason_place_change": CodeListName.REASON_PLACE_CHANGE,
    }
    valid = selectors.codes_in_year(on=on)
    errors = {}
    for field, value in codes.items():
        if not value:
            continue
        list_name = fields[field]
        if value not in valid.get(list_name, {}):
            errors[field] = (
                f"{value} is not a {CodeListName(list_name).label.lower()} code in the SSDA903 "
                f"collection for {long_date(on)}. Choose a code from the list."
            )
    return errors


@transaction.atomic
def period_of_care_start(
    *,
    child: Child,
    start_date: date,
    legal_status: str,
    category_of_need: str,
    placement: str,
    placement_provider: str = "",
    home_postcode: str = "",
    placement_postcode: str = "",
    urn: str = "",
) -> PeriodOfCare:
    """The child starts to be looked after: a new period of care and its first episode (RNE S).
    Refused if the child is already in care or the new period would overlap an earlier one."""
    Child.objects.select_for_update().get(pk=child.pk)
    errors = _check_codes(
        start_date,
        legal_status=legal_status,
        category_of_need=category_of_need,
        placement=placement,
        placement_provider=placement_provider,
    )
    open_period = PeriodOfCare.objects.filter(child=child, end_date__isnull=True).first()
    if open_period is not None:
        errors["start_date"] = (
            f"{child.full_name} is already in care, since {long_date(open_period.start_date)}. "
            "End that period of care before starting another."
        )
    elif PeriodOfCare.objects.filter(child=child, end_date__gte=start_date).exists():
        last = PeriodOfCare.objects.filter(child=child).order_by("-end_date").first()
        errors["start_date"] = (
            f"The new period of care must start after the last one ended on {long_date(last.end_date)}."
        )
    if start_date > timezone.localdate():
        errors["start_date"] = "The date the child came into care must be today or earlier."
    if child.date_of_birth and start_date < child.date_of_birth:
        errors["start_date"] = "The date the child came into care must be on or after their date of birth."
    if errors:
        raise ValidationError(errors)
    period = PeriodOfCare(child=child, start_date=start_date)
    period.full_clean()
    period.save()
    episode = Episode(
        period=period,
        start_date=start_date,
        reason_for_new_episode=STARTS_PERIOD,
        legal_status=legal_status,
        category_of_need=category_of_need,
        placement=placement,
        placement_provider=placement_provider,
        home_postcode=home_postcode,
        placement_postcode=placement_postcode,
        urn=urn,
    )
    episode.full_clean()
    episode.save()
    period_due_dates_refresh(period=period)
    period.refresh_from_db()
    return period


@transaction.atomic
def episode_change(
    *,
    period: PeriodOfCare,
    start_date: date,
    reason_for_new_episode: str,
    legal_status: str,
    category_of_need: str,
    placement: str,
    placement_provider: str = "",
    reason_place_change: str = "",
    placement_postcode: str = "",
    urn: str = "",
) -> Episode:
    """A new episode within an open period (legal status or placement changes): the current
    episode ends that day with reason X1 and the new one starts, so the episodes stay
    contiguous."""
    period = PeriodOfCare.objects.select_for_update().get(pk=period.pk)
    errors = _check_codes(
        start_date,
        reason_for_new_episode=reason_for_new_episode,
        legal_status=legal_status,
        category_of_need=category_of_need,
        placement=placement,
        placement_provider=placement_provider,
        reason_place_change=reason_place_change,
    )
    current = period.episodes.filter(end_date__isnull=True).first()
    if period.end_date is not None or current is None:
        errors["start_date"] = "This period of care has ended: start a new period of care instead."
    elif start_date <= current.start_date:
        errors["start_date"] = (
            f"The new episode must start after the current one, on {long_date(current.start_date)}."
        )
    elif start_date > timezone.localdate():
        errors["start_date"] = "The new episode must start today or earlier."
    if reason_for_new_episode == STARTS_PERIOD:
        errors["reason_for_new_episode"] = (
            "Reason S starts a period of care; choose the reason for the change."
        )
    if errors:
        raise ValidationError(errors)
    current.end_date = start_date
    current.reason_ceased = STAYS_IN_CARE
    current.full_clean()
    current.save()
    episode = Episode(
        period=period,
        start_date=start_date,
        reason_for_new_episode=reason_for_new_episode,
        legal_status=legal_status,
        category_of_need=category_of_need,
        placement=placement,
        placement_provider=placement_provider,
        reason_place_change=reason_place_change,
        home_postcode=current.home_postcode,
        placement_postcode=placement_postcode,
        urn=urn,
    )
    episode.full_clean()
    episode.save()
    period_due_dates_refresh(period=period)
    return episode


@transaction.atomic
def period_of_care_end(*, period: PeriodOfCare, end_date: date, reason_ceased: str) -> PeriodOfCare:
    """The child stops being looked after: the last episode and the period end that day."""
    period = PeriodOfCare.objects.select_for_update().get(pk=period.pk)
    errors = _check_codes(end_date, reason_ceased=reason_ceased)
    if reason_ceased == STAYS_IN_CARE:
        errors["reason_ceased"] = "X1 means the child stays in care; choose why the child left care."
    current = period.episodes.filter(end_date__isnull=True).first()
    if period.end_date is not None:
        errors["end_date"] = f"This period of care already ended on {long_date(period.end_date)}."
    elif current is None:
        errors["end_date"] = "This period of care has no episodes. Record the episode first."
    elif end_date < current.start_date:
        errors["end_date"] = (
            f"The child cannot leave care before the last episode started on {long_date(current.start_date)}."
        )
    elif end_date > timezone.localdate():
        errors["end_date"] = "The date the child left care must be today or earlier."
    later = period.reviews.filter(review_date__gt=end_date).order_by("review_date").first()
    if later is not None and "end_date" not in errors:
        errors["end_date"] = f"A review was held on {long_date(later.review_date)}, after that date."
    if errors:
        raise ValidationError(errors)
    current.end_date = end_date
    current.reason_ceased = reason_ceased
    current.full_clean()
    current.save()
    period.end_date = end_date
    period.next_review_due = None
    period.full_clean()
    period.save()
    # A bulk update skips auto_now: set updated_at so the meeting's version changes too.
    period.meetings.filter(status=MeetingStatus.BOOKED).update(
        status=MeetingStatus.CANCELLED, reason="Left care", updated_at=timezone.now()
    )
    period_due_dates_refresh(period=period)
    period.refresh_from_db()
    return period


# --- LAC reviews --------------------------------------------------------------------------


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
    return locked


@transaction.atomic
def review_records_distribute(*, review_ids: Iterable[int], distributed_on: date) -> int:
    """Business support marks the records of the chosen reviews distributed on one date. All or
    nothing: if any record cannot take that date, none is changed and the message says which."""
    ids = sorted(set(review_ids))
    if not ids:
        raise ValidationError({"reviews": "Select at least one record to mark as distributed."})
    if distributed_on > timezone.localdate():
        raise ValidationError(
            {"distributed_on": "The date the records were distributed must be today or earlier."}
        )
    reviews = list(
        LacReview.objects.select_for_update().select_related("child").filter(pk__in=ids).order_by("pk")
    )
    problems = []
    for review in reviews:
        if review.record_distributed is not None:
            problems.append(
                f"{review.child.full_name}'s record was already distributed on "
                f"{long_date(review.record_distributed)}"
            )
        elif review.record_completed is None:
            problems.append(f"{review.child.full_name}'s record has not been completed")
        elif distributed_on < review.record_completed:
            problems.append(
                f"{review.child.full_name}'s record was completed on {long_date(review.record_completed)}, "
                "after that date"
            )
    if len(reviews) != len(ids):
        problems.append("one of the records no longer exists")
    if problems:
        raise ValidationError({"distributed_on": "Nothing was changed: " + "; ".join(problems) + "."})
    now = timezone.now()
    for review in reviews:
        review.record_distributed = distributed_on
        review.updated_at = now
    bulk_update_with_history(reviews, LacReview, ["record_distributed", "updated_at"])
    return len(reviews)


# --- meetings -----------------------------------------------------------------------------


@transaction.atomic
def review_meeting_book(*, period: PeriodOfCare, on: date, by=None) -> ReviewMeeting:
    """Business support books the next review meeting for a child in care."""
    period = PeriodOfCare.objects.select_for_update().get(pk=period.pk)
    if period.end_date is not None:
        raise ValidationError({"date": "The child has left care: there is no review to book."})
    if period.meetings.filter(status=MeetingStatus.BOOKED).exists():
        raise ValidationError({"date": "A meeting is already booked. Move or cancel it instead."})
    if on < timezone.localdate():
        raise ValidationError({"date": "The meeting date must be today or later."})
    meeting = ReviewMeeting(period=period, date=on, booked_by=by)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def review_meeting_cancel(
    *,
    meeting: ReviewMeeting,
    reason: str,
    new_date: date | None = None,
    by=None,
    seen_updated_at: datetime | None = None,
):
    """Cancel a booked meeting, with the reason; with ``new_date`` it is moved (rebooked) and
    the new meeting is returned. ``seen_updated_at`` is the version the editor started from:
    refused if someone else changed the meeting since."""
    meeting = ReviewMeeting.objects.select_for_update().get(pk=meeting.pk)
    refuse_if_changed_since(meeting, seen_updated_at, what="review meeting")
    errors = {}
    if meeting.status != MeetingStatus.BOOKED:
        errors["reason"] = "Only a booked meeting can be cancelled or moved."
    if not reason.strip():
        errors["reason"] = "Enter the reason the meeting is cancelled or moved."
    if new_date is not None and new_date < timezone.localdate():
        errors["new_date"] = "The new date must be today or later."
    if errors:
        raise ValidationError(errors)
    meeting.status = MeetingStatus.REBOOKED if new_date else MeetingStatus.CANCELLED
    meeting.reason = reason.strip()
    meeting.full_clean()
    meeting.save()
    if new_date:
        return review_meeting_book(period=meeting.period, on=new_date, by=by)
    return None


# --- between reviews ----------------------------------------------------------------------


def _create(instance):
    instance.full_clean()
    instance.save()
    return instance


def _not_future(field: str, day: date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{label} must be today or earlier."})


def iro_contact_record(*, child: Child, iro: StaffMember, on: date, kind: str, notes: str = "") -> IroContact:
    """An IRO's visit or other contact with the child between reviews."""
    _not_future("date", on, "The date of the contact")
    if iro.job_role != JobRole.IRO:
        raise ValidationError(
            {"iro": f"{iro.full_name} is not an IRO: only an IRO's contacts are recorded here."}
        )
    return _create(IroContact(child=child, iro=iro, date=on, kind=kind, notes=notes))


def permanence_plan_record(*, period: PeriodOfCare, plan_type: str, date_agreed: date) -> PermanencePlan:
    """The permanence plan agreed for the child (by the second review at the latest)."""
    _not_future("date_agreed", date_agreed, "The date the plan was agreed")
    if date_agreed < period.start_date:
        raise ValidationError({"date_agreed": "The plan must be agreed during the period of care."})
    return _create(PermanencePlan(period=period, plan_type=plan_type, date_agreed=date_agreed))


def cafcass_involvement_record(
    *, child: Child, guardian_name: str, start_date: date, end_date=None, handover_date=None
) -> CafcassInvolvement:
    """A Children's Guardian's involvement in proceedings and the handover at their end."""
    _not_future("start_date", start_date, "The date the guardian was appointed")
    _guardian_dates_check(appointed=start_date, end_date=end_date, handover_date=handover_date)
    return _create(
        CafcassInvolvement(
            child=child,
            guardian_name=guardian_name,
            start_date=start_date,
            end_date=end_date,
            handover_date=handover_date,
        )
    )


def legal_advice_referral_record(
    *, child: Child, date_referred: date, reason: str, outcome: str = ""
) -> LegalAdviceReferral:
    """A referral of the child for independent legal advice."""
    _not_future("date_referred", date_referred, "The date of the referral")
    return _create(
        LegalAdviceReferral(child=child, date_referred=date_referred, reason=reason, outcome=outcome)
    )


def _not_future_error(day: date | None, label: str) -> str | None:
    return f"{label} must be today or earlier." if day is not None and day > timezone.localdate() else None


@transaction.atomic
def cafcass_involvement_update(
    *,
    involvement: CafcassInvolvement,
    end_date: date | None,
    handover_date: date | None,
    seen_updated_at: datetime | None = None,
) -> CafcassInvolvement:
    """Record when the Children's Guardian's involvement ended and when they handed over to the
    IRO (usually once proceedings end). Both dates are on or after the appointment and not in
    the future; every problem is named against its field and nothing is saved. Refused if
    someone else changed the record since ``seen_updated_at``, the version the editor read."""
    involvement = CafcassInvolvement.objects.select_for_update().get(pk=involvement.pk)
    refuse_if_changed_since(involvement, seen_updated_at, what="Children's Guardian's record")
    _guardian_dates_check(appointed=involvement.start_date, end_date=end_date, handover_date=handover_date)
    involvement.end_date = end_date
    involvement.handover_date = handover_date
    involvement.full_clean()
    involvement.save()
    return involvement


def _guardian_dates_check(*, appointed: date, end_date: date | None, handover_date: date | None) -> None:
    """The end of a guardian's involvement and the handover are on or after the appointment and
    not in the future; every problem is named against its field."""
    errors = {}
    for field, day, label in (
        ("end_date", end_date, "The date the guardian's involvement ended"),
        ("handover_date", handover_date, "The date of the handover to the IRO"),
    ):
        if day is None:
            continue
        if day < appointed:
            errors[field] = (
                f"{label} must be on or after the guardian was appointed on {long_date(appointed)}."
            )
        elif message := _not_future_error(day, label):
            errors[field] = message
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def legal_advice_referral_update(
    *, referral: LegalAdviceReferral, outcome: str, seen_updated_at: datetime | None = None
) -> LegalAdviceReferral:
    """Record (or correct) the outcome of a referral for legal advice once it is known. The
    outcome cannot be emptied: a referral without an outcome is one still waiting for it.
    Refused if someone else changed the referral since ``seen_updated_at``, the version the
    editor read."""
    referral = LegalAdviceReferral.objects.select_for_update().get(pk=referral.pk)
    refuse_if_changed_since(referral, seen_updated_at, what="referral for legal advice")
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": "Enter the outcome of the referral for legal advice."})
    referral.outcome = outcome
    referral.full_clean()
    referral.save()
    return referral


# --- reminders ----------------------------------------------------------------------------


@transaction.atomic
def iro_reminders_send(*, on: date | None = None) -> int:
    """The nightly reminder: each IRO in post with an email address gets the reviews due within
    the reminder window and their records out of timescale. Once a day per IRO (the
    IroReminder row), so running the job twice sends nothing twice. Returns emails sent."""
    on = on or timezone.localdate()
    reminders = selectors.iro_reminders(on=on)
    already = set(IroReminder.objects.filter(sent_on=on).values_list("iro_id", flat=True))
    sent = 0
    for reminder in reminders:
        iro = reminder.iro
        if iro.pk in already or not iro.email or not (reminder.reviews_due or reminder.records_overdue):
            continue
        # Claim the day's reminder first, in its own committed transaction: an email cannot be
        # taken back, so it is never sent from inside a transaction that could roll back, and
        # a concurrent run that loses the race for the claim sends nothing.
        with transaction.atomic():
            claim, created = IroReminder.objects.get_or_create(
                iro=iro,
                sent_on=on,
                defaults={
                    "reviews_due": len(reminder.reviews_due),
                    "records_overdue": len(reminder.records_overdue),
                },
            )
        if not created:
            continue
        context = {"reminder": reminder, "on": on}
        try:
            send_mail(
                subject=f"Your reviews due and records out of timescale, {long_date(on)}",
                message=render_to_string("reviews/email/iro_reminder.txt", context),
                from_email=None,
                recipient_list=[iro.email],
            )
        except Exception:
            claim.delete()  # so that the task's retry sends it
            raise
        sent += 1
    return sent
