"""Periods of care and episodes: a child comes into care, changes placement or legal status,
and leaves care; each code is checked against its SSDA903 list for the year."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro_service.core.formats import long_date
from iro_service.people.models import Child
from reviews import selectors
from reviews.code_lists import ended_before
from reviews.codes import STARTS_PERIOD, STAYS_IN_CARE, CodeListName, MeetingStatus
from reviews.models import Episode, PeriodOfCare
from reviews.services._common import _dfe_warnings
from reviews.services.refresh import period_due_dates_refresh


def _check_codes(on: date, **codes: str) -> dict[str, str]:
    """Errors for any code not in its SSDA903 list on ``on``: its collection year's list, less a
    code the DfE's rules end earlier in that year (``code_lists.LAST_DAYS``)."""
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
        last_day = ended_before(list_name, value, on)
        if last_day is not None:
            errors[field] = (
                f"{value} is not a {CodeListName(list_name).label.lower()} code after {long_date(last_day)}: "
                "the DfE ended it that day. Choose a code from the list."
            )
        elif value not in valid.get(list_name, {}):
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
    period.dfe_warnings = _dfe_warnings(period)
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
    contiguous. The reason for a placement change is kept on the episode the change ends, as
    the SSDA903 return holds it (the DfE's rule 225)."""
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
    current.reason_place_change = reason_place_change
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
        home_postcode=current.home_postcode,
        placement_postcode=placement_postcode,
        urn=urn,
    )
    episode.full_clean()
    episode.save()
    period_due_dates_refresh(period=period)
    episode.dfe_warnings = _dfe_warnings(period)
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
    period.dfe_warnings = _dfe_warnings(period)
    return period
