"""Writes for the reports app: workflows that change its models, named <entity>_<action>.

Statutory returns uploaded on the managers' page are imported in the background: a national or
large county return takes longer than a web request may, and the person can leave the page.
"""

from __future__ import annotations

import io

from conferences.cin_census import import_cin_census
from iro_service.audit.models import DataExchange, ExchangeFormat, ExchangeOutcome
from iro_service.audit.services import data_import_queue
from iro_service.core.imports import ImportRejected
from iro_service.core.jobs import enqueue
from reviews.ssda903 import import_903


def statutory_return_queue(*, data_format: str, uploads: dict, dry_run: bool, user) -> DataExchange:
    """Keep the uploaded files and queue their import; returns the history entry to watch."""
    from reports.tasks import statutory_return_import

    exchange = data_import_queue(data_format=data_format, uploads=uploads, dry_run=dry_run, user=user)
    enqueue(statutory_return_import, exchange.pk)
    return exchange


def statutory_return_import_queued(*, exchange_pk: int) -> str:
    """Run a queued import once (a repeated job finds it done and does nothing) and delete its
    uploaded files, whatever the outcome. Returns the outcome."""
    exchange = DataExchange.objects.get(pk=exchange_pk)
    if exchange.outcome != ExchangeOutcome.QUEUED:
        return exchange.outcome
    uploads = {upload.table: upload for upload in exchange.uploads.all()}
    try:
        if exchange.data_format == ExchangeFormat.SSDA903:
            import_903(
                {table: io.BytesIO(bytes(upload.content)) for table, upload in uploads.items()},
                names={table: upload.name for table, upload in uploads.items()},
                dry_run=exchange.dry_run,
                user=exchange.user,
                exchange=exchange,
            )
        else:
            upload = next(iter(uploads.values()))
            import_cin_census(
                io.BytesIO(bytes(upload.content)),
                name=upload.name,
                dry_run=exchange.dry_run,
                user=exchange.user,
                exchange=exchange,
            )
    except ImportRejected:
        pass  # kept in the history with its problems, shown on the import's page
    finally:
        exchange.uploads.all().delete()
    return exchange.outcome
