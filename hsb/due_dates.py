"""When the record of an HSB meeting is due: produced and distributed within the local numbers
of working days (``TimescaleSettings``), worked out with ``iro_service.timescales.dates``.

A pure function, reading nothing from the database, so that the service, the nightly refresh
and the demo loader share one rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from iro_service.timescales.dates import add_working_days


@dataclass(frozen=True)
class RecordDue:
    produced: date
    distributed: date


def meeting_record_due(*, meeting_date: date, settings_row, extra: Iterable[date] | None = None) -> RecordDue:
    return RecordDue(
        produced=add_working_days(meeting_date, settings_row.hsb_record_produced_days, extra=extra),
        distributed=add_working_days(meeting_date, settings_row.hsb_record_distributed_days, extra=extra),
    )
