"""Paperwork around a conference: the dates the social worker's report reached the parents
and the chair, and the completion and distribution of the conference record."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

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
