"""Celery tasks of the reviews app: take primary keys, call one service, idempotent."""

from celery import shared_task

from iro_service.core.jobs import RETRY_TRANSIENT
from reviews import services


@shared_task(**RETRY_TRANSIENT, soft_time_limit=600, time_limit=660)
def due_dates_refresh_nightly() -> int:
    """Work out the periods' due dates again: every open one after a change to the calendar (a
    setting, a non-working day), else those changed since the last night."""
    return services.due_dates_sweep_nightly()


@shared_task(**RETRY_TRANSIENT, soft_time_limit=300, time_limit=360)
def iro_reminders_send_nightly() -> int:
    """Email each IRO their reviews due soon and records out of timescale; once a day each."""
    return services.iro_reminders_send()
