"""Celery tasks of the reviews app: take primary keys, call one service, idempotent."""

from celery import shared_task

from iro_service.core.jobs import RETRY_TRANSIENT
from reviews import services


@shared_task(**RETRY_TRANSIENT, soft_time_limit=600, time_limit=660)
def due_dates_refresh_nightly() -> int:
    """Work out every open period's due dates again (a non-working day may have been added)."""
    return services.due_dates_refresh_all()


@shared_task(**RETRY_TRANSIENT, soft_time_limit=300, time_limit=360)
def iro_reminders_send_nightly() -> int:
    """Email each IRO their reviews due soon and records out of timescale; once a day each."""
    return services.iro_reminders_send()
