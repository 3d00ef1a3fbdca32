"""Celery tasks of the conferences app: take primary keys, call one service, idempotent."""

from celery import shared_task
from django.utils import timezone

from conferences import services
from iro_service.core.jobs import RETRY_TRANSIENT


@shared_task(**RETRY_TRANSIENT, soft_time_limit=600, time_limit=660)
def conference_due_dates_refresh_nightly() -> int:
    """Work out every conference's due dates again (a setting or non-working day may have changed)."""
    return services.conference_due_dates_refresh()


@shared_task(**RETRY_TRANSIENT, soft_time_limit=300, time_limit=360)
def conference_reminders_send_nightly() -> int:
    """Email chairs their coming conferences and overdue records, and business support the
    paperwork outstanding."""
    return services.conference_reminders_send(on=timezone.localdate())
