"""Celery tasks of the reports app: take primary keys, call one service, idempotent."""

from celery import shared_task

from reports import services


# A national SSDA903 return takes several minutes to import (see README, Benchmarks).
@shared_task(soft_time_limit=1800, time_limit=1860)  # under services.DIED_AFTER
def statutory_return_import(exchange_pk: int) -> str:
    return services.statutory_return_import_queued(exchange_pk=exchange_pk)


@shared_task(soft_time_limit=60, time_limit=90)
def statutory_returns_sweep() -> dict:
    return services.statutory_returns_sweep()


# The annual report's job lives with the rest of the annual report; imported here so that the
# worker, which looks for each app's tasks module, registers it.
from reports.annual.tasks import annual_report_assemble  # noqa: E402, F401
