"""Paperwork around a conference: the dates the social worker's report reached the parents
and the chair, and the completion and distribution of the conference record."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from conferences.models import (
    Conference,
    ConferenceStatus,
)
from conferences.services._common import _lock_conference
from iro_service.core.formats import long_date

# --- paperwork: reports and records ---------------------------------------------------------


@transaction.atomic
def conference_reports_record(
    *,
    conference: Conference,
    report_to_parents_on: date | None,
    report_to_chair_on: date | None,
    seen_updated_at: datetime | None = None,
) -> Conference:
    """Record the dates the social worker's report reached the parents and the chair."""
    locked = _lock_conference(conference, seen_updated_at)
    errors = {}
    for field, value, who in (
        ("report_to_parents_on", report_to_parents_on, "parents"),
        ("report_to_chair_on", report_to_chair_on, "chair"),
    ):
        if value is not None and value > locked.date:
            errors[field] = (
                f"The date the report reached the {who} cannot be after the conference on "
                f"{long_date(locked.date)}. "
                "If it arrived after the conference, leave the date blank."
            )
    if errors:
        raise ValidationError(errors)
    locked.report_to_parents_on = report_to_parents_on
    locked.report_to_chair_on = report_to_chair_on
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def conference_record_distribute(
    *,
    conference: Conference,
    completed_on: date,
    distributed_on: date | None,
    seen_updated_at: datetime | None = None,
) -> Conference:
    """Record that the conference record and plan were completed and, when known, distributed."""
    locked = _lock_conference(conference, seen_updated_at)
    if locked.status != ConferenceStatus.HELD:
        raise ValidationError({"completed_on": "Only a conference that was held has a record to distribute"})
    if completed_on < locked.date:
        raise ValidationError(
            {
                "completed_on": f"The record cannot be completed before the conference on "
                f"{long_date(locked.date)}"
            }
        )
    if distributed_on is not None and distributed_on < completed_on:
        raise ValidationError(
            {
                "distributed_on": "The record cannot be distributed before it was completed on "
                f"{long_date(completed_on)}"
            }
        )
    locked.record_completed_on = completed_on
    locked.record_distributed_on = distributed_on
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def conference_records_distribute(*, conference_ids: Iterable[int], distributed_on: date) -> int:
    """Business support marks the completed records of the chosen conferences distributed on
    one date. All or nothing: if any record cannot take that date, none is changed and the
    message says which (a record not yet completed needs its completion date first, on the
    conference's own record page)."""
    ids = sorted(set(conference_ids))
    if not ids:
        raise ValidationError({"conferences": "Select at least one record to mark as distributed."})
    if distributed_on > timezone.localdate():
        raise ValidationError(
            {"distributed_on": "The date the records were distributed must be today or earlier."}
        )
    conferences = list(
        Conference.objects.select_for_update(of=("self",))
        .select_related("family")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    problems = []
    for conference in conferences:
        which = f"the record of the {conference.family.name} conference on {long_date(conference.date)}"
        if conference.status != ConferenceStatus.HELD:
            problems.append(f"{which} is of a conference that was not held")
        elif conference.record_distributed_on is not None:
            sent = long_date(conference.record_distributed_on)
            problems.append(f"{which} was already distributed on {sent}")
        elif conference.record_completed_on is None:
            problems.append(f"{which} has not been completed")
        elif distributed_on < conference.record_completed_on:
            completed = long_date(conference.record_completed_on)
            problems.append(f"{which} was completed on {completed}, after that date")
    if len(conferences) != len(ids):
        problems.append("one of the records no longer exists")
    if problems:
        message = "; ".join(problems)
        raise ValidationError({"distributed_on": f"Nothing was changed: {message[0].upper()}{message[1:]}."})
    now = timezone.now()
    for conference in conferences:
        conference.record_distributed_on = distributed_on
        conference.updated_at = now
    bulk_update_with_history(conferences, Conference, ["record_distributed_on", "updated_at"])
    return len(conferences)
