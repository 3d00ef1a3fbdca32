"""Celery tasks of the conferences app: take primary keys, call one service, idempotent."""

from celery import shared_task
from django.utils import timezone

from conferences import services
from iro_service.core.jobs import RETRY_TRANSIENT


@shared_task(**RETRY_TRANSIENT, soft_time_limit=600, time_limit=660)
def conference_due_dates_refresh_nightly() -> int:
    """Work out the conferences' due dates again: every one after a change to the calendar (a
    setting, a non-working day), else those changed since the last night."""
    return services.conference_due_dates_sweep_nightly()


@shared_task(**RETRY_TRANSIENT, soft_time_limit=300, time_limit=360)
def conference_reminders_send_nightly() -> int:
    """Email chairs their coming conferences and overdue records, and business support the
    paperwork outstanding."""
    return services.conference_reminders_send(on=timezone.localdate())
