"""The annual report's background jobs: take primary keys and call one service."""

from celery import shared_task

from iro_service.core.jobs import RETRY_TRANSIENT
from reports.annual import services


# Acks late and rejected if the worker is lost: a worker process killed mid-run (a deployment,
# the out-of-memory killer) puts the job back on the queue, and the service carries on from the
# sections already saved. A whole worker lost is caught up by the sweep. The demo county takes
# under a minute (see README, Benchmarks).
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=900,
    time_limit=960,
    **RETRY_TRANSIENT,
)
def annual_report_assemble(run_pk: int) -> str:
    return services.annual_report_run_execute(run_pk=run_pk)


@shared_task(soft_time_limit=60, time_limit=90)
def annual_report_runs_sweep() -> dict:
    return services.annual_report_runs_sweep()
