"""Writes to the timescale settings and the extra non-working days.

Changing either moves due dates, so each write forgets the cached calendar; the apps that store
due dates as a cache refresh them through their own services (see the nightly jobs).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from iro_service.timescales.dates import forget_extra_non_working_days
from iro_service.timescales.models import NonWorkingDay, TimescaleSettings
from iro_service.timescales.selectors import timescale_settings


@transaction.atomic
def timescale_settings_update(*, changes: dict) -> TimescaleSettings:
    """Apply ``changes`` (field name to value) to the settings row, validated."""
    row = TimescaleSettings.objects.select_for_update().get(pk=timescale_settings().pk)
    for field, value in changes.items():
        setattr(row, field, value)
    row.full_clean()
    row.save()
    return row


def non_working_day_add(*, day: date, description: str) -> NonWorkingDay:
    """Record an extra non-working day."""
    record = NonWorkingDay(date=day, description=description)
    record.full_clean()
    record.save()
    transaction.on_commit(forget_extra_non_working_days)
    forget_extra_non_working_days()
    return record


def non_working_day_remove(*, record: NonWorkingDay) -> None:
    record.delete()
    transaction.on_commit(forget_extra_non_working_days)
    forget_extra_non_working_days()
