"""Review meetings: business support books the next review, and cancels or moves it."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro_service.core.versioning import refuse_if_changed_since
from reviews.codes import MeetingStatus
from reviews.models import PeriodOfCare, ReviewMeeting


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
