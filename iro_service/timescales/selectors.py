"""Reads of the timescale settings and the extra non-working days."""

from __future__ import annotations

from django.db.models import QuerySet

from iro_service.timescales.models import NonWorkingDay, TimescaleSettings


def timescale_settings() -> TimescaleSettings:
    """The one row of settings, created with its defaults the first time it is read."""
    settings_row, _ = TimescaleSettings.objects.get_or_create(singleton=True)
    return settings_row


def non_working_day_list() -> QuerySet[NonWorkingDay]:
    return NonWorkingDay.objects.order_by("-date")
