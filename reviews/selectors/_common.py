"""Pieces the reviews selectors share: the 'due soon' window and the child's current IRO."""

from __future__ import annotations

from datetime import date

from iro_service.people.selectors import child_current_iro_field
from iro_service.timescales.dates import add_working_days
from iro_service.timescales.selectors import timescale_settings


def due_soon_limit(*, today: date) -> date:
    """The last date that counts as 'due soon' (amber): the reminder window in working days."""
    return add_working_days(today, timescale_settings().reminder_working_days)


def _current_iro(field: str):
    """A field of the current IRO of the row's child (the row has a ``child`` field)."""
    return child_current_iro_field(field, child="child")
