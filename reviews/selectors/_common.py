"""Pieces the reviews selectors share: the 'due soon' window and the child's current IRO."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    OuterRef,
    Subquery,
)

from iro_service.people.models import IroAllocation
from iro_service.timescales.dates import add_working_days
from iro_service.timescales.selectors import timescale_settings


def due_soon_limit(*, today: date) -> date:
    """The last date that counts as 'due soon' (amber): the reminder window in working days."""
    return add_working_days(today, timescale_settings().reminder_working_days)


def _current_iro(field: str):
    return Subquery(
        IroAllocation.objects.filter(child=OuterRef("child"), end_date__isnull=True)
        .order_by("-start_date")
        .values(field)[:1]
    )
