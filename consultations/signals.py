"""Links stop working when there is nothing left to give views for: the meeting is held,
cancelled or moved (a moved meeting is a new booking, with new invitations), or the child
leaves care; the conference is held or stood down (a rearranged conference is a new booking).
The reviews and conferences apps cannot call consultations (the dependency runs the other way),
so consultations listen for those saves."""

from __future__ import annotations

from conferences.codes import ConferenceStatus
from consultations.services import conference_consultations_revoke, meeting_consultations_revoke
from reviews.codes import MeetingStatus


def meeting_saved(sender, instance, **kwargs) -> None:
    if instance.status != MeetingStatus.BOOKED:
        meeting_consultations_revoke(meeting=instance)


def review_saved(sender, instance, created, **kwargs) -> None:
    """A review recorded: the booked meeting it was is held (the reviews service marks it so by
    a bulk update, which sends no signal, so the review's own save is the moment)."""
    if created:
        for meeting in instance.period.meetings.filter(status=MeetingStatus.BOOKED):
            meeting_consultations_revoke(meeting=meeting)


def period_saved(sender, instance, **kwargs) -> None:
    if instance.end_date is not None:
        for meeting in instance.meetings.filter(consultations__revoked_at__isnull=True).distinct():
            meeting_consultations_revoke(meeting=meeting)


def conference_saved(sender, instance, **kwargs) -> None:
    """The conferences services save the conference itself when it is held or stood down."""
    if instance.status != ConferenceStatus.BOOKED:
        conference_consultations_revoke(conference_id=instance.pk)
