"""When a QA alert's responses are due (domain.md section 5), worked out from dated facts with the
functions of ``iro_service.timescales.dates``.

Pure functions: they read nothing from the database, so that the services, the nightly job and
the demo share one rule. Every interval is a local setting of ``TimescaleSettings``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from iro_service.timescales.dates import add_working_days, working_days_before


def stage_due(*, stage: int, started_on: date, settings_row, extra: Iterable[date] | None = None) -> date:
    """The last day for a response at ``stage``: the practitioner has the response timescale
    from the day the alert was raised (10 working days by default); each escalation stage has
    the escalation timescale from the day the alert reached it."""
    days = settings_row.qa_response_days if stage == 0 else settings_row.qa_escalation_days
    return add_working_days(started_on, days, extra=extra)


def process_due(*, raised_on: date, settings_row, extra: Iterable[date] | None = None) -> date:
    """The day by which the whole escalation should have ended (20 working days by default)."""
    return add_working_days(raised_on, settings_row.qa_process_days, extra=extra)


def reminder_day(*, due_on: date, settings_row, extra: Iterable[date] | None = None) -> date:
    """The day a stage's addressee is reminded: the reminder timescale in working days before
    the stage is due (on the day itself when the setting is 0)."""
    return working_days_before(due_on, settings_row.qa_reminder_days, extra=extra)
