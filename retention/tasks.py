"""Celery tasks of the retention app: call one service, idempotent."""

from celery import shared_task

from iro_service.core.jobs import RETRY_TRANSIENT
from retention import services


@shared_task(**RETRY_TRANSIENT, soft_time_limit=300, time_limit=360)
def operational_records_prune_nightly() -> dict[str, int]:
    """Delete the operational records past their retention period (sign-in attempts, ended
    sessions, API tokens, unanswered consultation links, the oldest access log)."""
    return services.operational_records_prune()
