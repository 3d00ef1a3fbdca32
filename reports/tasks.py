"""Celery tasks of the reports app: take primary keys, call one service, idempotent."""

from celery import shared_task

from reports import services


# A national SSDA903 return takes several minutes to import (see README, Benchmarks).
@shared_task(soft_time_limit=1800, time_limit=1860)
def statutory_return_import(exchange_pk: int) -> str:
    return services.statutory_return_import_queued(exchange_pk=exchange_pk)
