"""Challenge meetings with the assistant director and the agency decision maker (seed 5.10):
the alerts and cases brought, the themes discussed and the actions agreed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from iro_service.core.formats import long_date
from iro_service.core.versioning import refuse_if_changed_since
from iro_service.people.models import Child
from qa_alerts.models import (
    ChallengeAction,
    ChallengeMeeting,
    ChallengeMeetingAlert,
    ChallengeMeetingCase,
    ChallengeMeetingTheme,
    ChallengeTheme,
    QaAlert,
)
from qa_alerts.services._common import _not_future


@transaction.atomic
def challenge_meeting_save(
    *,
    held_on: date,
    attendees: str,
    alerts: Sequence[QaAlert] = (),
    children: Sequence[Child] = (),
    themes: Sequence[ChallengeTheme] = (),
    notes: str = "",
    meeting: ChallengeMeeting | None = None,
    seen_updated_at: datetime | None = None,
) -> ChallengeMeeting:
    """Record a challenge meeting, or change one (refused if it changed since ``seen_updated_at``):
    who came, the alerts and the cases brought, the themes discussed."""
    _not_future("held_on", held_on, "The date of the meeting")
    if not attendees.strip():
        raise ValidationError({"attendees": "Enter who attended."})
    retired = [
        theme.name
        for theme in themes
        if not theme.is_active and (meeting is None or theme not in meeting.themes.all())
    ]
    if retired:
        raise ValidationError({"themes": f"{retired[0]} is no longer in use: choose another theme."})
    if meeting is None:
        meeting = ChallengeMeeting()
    else:
        meeting = ChallengeMeeting.objects.select_for_update().get(pk=meeting.pk)
        refuse_if_changed_since(meeting, seen_updated_at, what="challenge meeting")
        if meeting.actions.filter(due_on__lt=held_on).exists():
            raise ValidationError(
                {"held_on": "The meeting cannot be after the due date of an action it agreed."}
            )
    meeting.held_on, meeting.attendees, meeting.notes = held_on, attendees.strip(), notes.strip()
    meeting.full_clean()
    meeting.save()
    for through, field, rows in (
        (ChallengeMeetingAlert, "alert", alerts),
        (ChallengeMeetingCase, "child", children),
        (ChallengeMeetingTheme, "theme", themes),
    ):
        wanted = {row.pk for row in rows}
        through.objects.filter(meeting=meeting).exclude(**{f"{field}_id__in": wanted}).delete()
        have = set(through.objects.filter(meeting=meeting).values_list(f"{field}_id", flat=True))
        through.objects.bulk_create(
            [through(meeting=meeting, **{f"{field}_id": pk}) for pk in sorted(wanted - have)]
        )
    return meeting


@transaction.atomic
def challenge_action_add(
    *, meeting: ChallengeMeeting, description: str, owner: str, due_on: date
) -> ChallengeAction:
    """An action agreed at the meeting, with who will do it and by when."""
    if due_on < meeting.held_on:
        raise ValidationError(
            {"due_on": f"The action cannot be due before the meeting on {long_date(meeting.held_on)}."}
        )
    action = ChallengeAction(
        meeting=meeting, description=description.strip(), owner=owner.strip(), due_on=due_on
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def challenge_action_complete(*, action: ChallengeAction, completed_on: date) -> ChallengeAction:
    """Record that an action was done."""
    action = ChallengeAction.objects.select_for_update().select_related("meeting").get(pk=action.pk)
    if action.completed_on is not None:
        raise ValidationError(
            {"completed_on": f"This action was completed on {long_date(action.completed_on)}."}
        )
    _not_future("completed_on", completed_on, "The date it was completed")
    if completed_on < action.meeting.held_on:
        raise ValidationError(
            {
                "completed_on": "It cannot be completed before the meeting on "
                f"{long_date(action.meeting.held_on)}."
            }
        )
    action.completed_on = completed_on
    action.full_clean()
    action.save()
    return action
