"""Reads of the timescale settings and the extra non-working days."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

import holidays
from django.db.models import QuerySet
from django.forms.models import model_to_dict

from iro_service.timescales.dates import extra_non_working_days
from iro_service.timescales.models import DueDateSweep, NonWorkingDay, TimescaleSettings


def timescale_settings() -> TimescaleSettings:
    """The one row of settings, created with its defaults the first time it is read."""
    settings_row, _ = TimescaleSettings.objects.get_or_create(singleton=True)
    return settings_row


def non_working_day_list() -> QuerySet[NonWorkingDay]:
    return NonWorkingDay.objects.order_by("-date")


def due_dates_fingerprint() -> str:
    """A digest of everything a due date is worked out from besides the records' own facts:
    the settings row, the extra non-working days and the release of the bank holidays package
    (a new release can add or move a bank holiday)."""
    settings_row = model_to_dict(timescale_settings(), exclude=["id", "singleton"])
    calendar = {
        "settings": settings_row,
        "extra": sorted(day.isoformat() for day in extra_non_working_days()),
        "holidays": holidays.__version__,
    }
    return hashlib.sha256(json.dumps(calendar, sort_keys=True, default=str).encode()).hexdigest()


def due_dates_sweep_since(name: str, fingerprint: str) -> datetime | None:
    """When the last complete sweep ``name`` began, if it worked to the calendar
    ``fingerprint``; None when the next sweep must look at every record (the calendar changed,
    or no sweep has finished)."""
    return (
        DueDateSweep.objects.filter(name=name, fingerprint=fingerprint)
        .values_list("started_at", flat=True)
        .first()
    )
