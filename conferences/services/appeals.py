"""Appeals and complaints about a held conference, and moving them through their stages."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from conferences.models import (
    Appeal,
    AppealOutcome,
    Conference,
    ConferenceStatus,
)
from iro_service.core.formats import long_date
from iro_service.core.versioning import refuse_if_changed_since
from iro_service.people.models import Child

# --- appeals --------------------------------------------------------------------------------


@transaction.atomic
def appeal_record(
    *,
    conference: Conference,
    appellant: str,
    received_on: date,
    child: Child | None = None,
    summary: str = "",
    stage: int | None = None,
    outcome: str = "",
    response_sent_on: date | None = None,
) -> Appeal:
    """Record an appeal or complaint about a held conference's decision or conduct; with a
    ``stage``, also where it has got to (``appeal_update``), all or nothing."""
    conference = Conference.objects.get(pk=conference.pk)
    if conference.status != ConferenceStatus.HELD:
        raise ValidationError({"conference": "Appeals are about conferences that were held"})
    if received_on < conference.date:
        raise ValidationError(
            {
                "received_on": f"An appeal cannot be received before the conference on "
                f"{long_date(conference.date)}"
            }
        )
    if child is not None and not conference.children.filter(child=child).exists():
        raise ValidationError({"child": f"{child.full_name} was not considered at this conference"})
    appeal = Appeal(
        conference=conference, child=child, appellant=appellant, received_on=received_on, summary=summary
    )
    appeal.full_clean()
    appeal.save()
    if stage is not None:
        appeal = appeal_update(appeal=appeal, stage=stage, outcome=outcome, response_sent_on=response_sent_on)
    return appeal


@transaction.atomic
def appeal_update(
    *,
    appeal: Appeal,
    stage: int,
    outcome: str,
    response_sent_on: date | None,
    seen_updated_at: datetime | None = None,
) -> Appeal:
    """Move an appeal to ``stage`` with its outcome and the date the written response was sent.
    Refused if someone else changed the appeal since ``seen_updated_at``, the version the editor
    read, so that two managers moving it on at once cannot silently overwrite each other."""
    locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    refuse_if_changed_since(locked, seen_updated_at, what="appeal")
    if stage < locked.stage:
        raise ValidationError(
            {"stage": f"The appeal is already at stage {locked.stage}: stages only go forward"}
        )
    if outcome != AppealOutcome.PENDING and outcome != AppealOutcome.WITHDRAWN and response_sent_on is None:
        raise ValidationError({"response_sent_on": "Enter the date the written response was sent"})
    if response_sent_on is not None and response_sent_on < locked.received_on:
        raise ValidationError(
            {
                "response_sent_on": "The response cannot be sent before the appeal was received on "
                f"{long_date(locked.received_on)}"
            }
        )
    locked.stage = stage
    locked.outcome = outcome
    locked.response_sent_on = response_sent_on
    locked.full_clean()
    locked.save()
    return locked
