"""Celery tasks of the reports app: take primary keys, call one service, idempotent."""

from celery import shared_task

from reports import services


# A national SSDA903 return takes several minutes to import (see README, Benchmarks). The
# broker keeps the job until it has run (acks late) and gives it to another worker if this one
# dies (reject on worker lost, iro_service/celery.py): the service makes a second run harmless.
@shared_task(bind=True, soft_time_limit=1800, time_limit=1860, max_retries=30)  # under services.DIED_AFTER
def statutory_return_import(self, exchange_pk: int) -> str:
    try:
        return services.statutory_return_import_queued(exchange_pk=exchange_pk)
    except services.ImportBusy as busy:
        # Another worker is running it: look again later; by then it has usually finished.
        raise self.retry(exc=busy, countdown=min(60, 5 * 2**self.request.retries)) from busy


@shared_task(soft_time_limit=60, time_limit=90)
def statutory_returns_sweep() -> dict:
    return services.statutory_returns_sweep()


@shared_task(soft_time_limit=60, time_limit=90)
def figures_changes_fold_nightly() -> int:
    return services.figures_changes_fold()


# The annual report's jobs live with the rest of the annual report; imported here so that the
# worker, which looks for each app's tasks module, registers them.
from reports.annual.tasks import annual_report_assemble, annual_report_runs_sweep  # noqa: E402, F401
