"""Housekeeping jobs."""

from celery import shared_task
from django.core.management import call_command


@shared_task(soft_time_limit=120, time_limit=180)
def sessions_purge_expired() -> None:
    """Remove expired sessions; idempotent."""
    call_command("clearsessions")
