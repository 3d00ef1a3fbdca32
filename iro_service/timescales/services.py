"""Writes to the timescale settings and the extra non-working days.

Changing either moves due dates, so each write forgets the cached calendar; the apps that store
due dates as a cache refresh them through their own services (see the nightly jobs).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from iro_service.timescales.dates import forget_extra_non_working_days
from iro_service.timescales.models import DueDateSweep, NonWorkingDay, TimescaleSettings
from iro_service.timescales.selectors import due_dates_fingerprint, due_dates_sweep_since, timescale_settings


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


def due_dates_sweep(
    *, name: str, everything: Callable[[], int], changed_since: Callable[[datetime], int]
) -> int:
    """One night's sweep ``name`` of an app's cached due dates: ``everything()`` when the
    calendar differs from the one the last complete sweep worked to (or none has finished),
    else ``changed_since(when the last sweep began)``. Either returns what it counted; the
    sweep is recorded once it has finished, so one that fails is done whole the next night."""
    started_at = timezone.now()
    fingerprint = due_dates_fingerprint()
    since = due_dates_sweep_since(name, fingerprint)
    counted = everything() if since is None else changed_since(since)
    due_dates_sweep_finished(name=name, fingerprint=fingerprint, started_at=started_at)
    return counted


def due_dates_sweep_finished(*, name: str, fingerprint: str, started_at: datetime) -> None:
    """Record that the sweep ``name``, begun at ``started_at`` to the calendar ``fingerprint``,
    has finished (see ``DueDateSweep``)."""
    DueDateSweep.objects.update_or_create(
        name=name,
        defaults={"fingerprint": fingerprint, "started_at": started_at, "finished_at": timezone.now()},
    )
