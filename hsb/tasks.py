"""Celery tasks of the hsb app: take primary keys, call one service, idempotent."""

from celery import shared_task

from hsb import services
from iro_service.core.jobs import RETRY_TRANSIENT


@shared_task(**RETRY_TRANSIENT, soft_time_limit=300, time_limit=360)
def hsb_meeting_due_dates_refresh_nightly() -> int:
    """Work out every HSB meeting's record due dates again (a setting or non-working day may
    have changed)."""
    return services.hsb_meeting_due_dates_refresh()
