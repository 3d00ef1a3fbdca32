"""Writes for the reports app: workflows that change its models, named <entity>_<action>.

Statutory returns uploaded on the managers' page are imported in the background: a national or
large county return takes longer than a web request may, and the person can leave the page.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from conferences.cin_census import export_cin_census, import_cin_census
from iro_service.audit.models import DataExchange, ExchangeFormat, ExchangeOutcome
from iro_service.audit.services import data_import_queue
from iro_service.core.imports import ImportRejected, Problem
from iro_service.core.jobs import enqueue, enqueue_slow
from reviews.ssda903 import export_903, import_903


def statutory_return_queue(*, data_format: str, uploads: dict, dry_run: bool, user) -> DataExchange:
    """Keep the uploaded files and queue their import; returns the history entry to watch."""
    from reports.tasks import statutory_return_import

    exchange = data_import_queue(data_format=data_format, uploads=uploads, dry_run=dry_run, user=user)
    enqueue_slow(statutory_return_import, exchange.pk)
    return exchange


def statutory_return_import_queued(*, exchange_pk: int) -> str:
    """Run a queued import once and delete its uploaded files, whatever the outcome. The job
    claims the import by moving it from queued to running in one UPDATE, so a repeated or
    concurrent job finds it taken and does nothing. Returns the outcome."""
    claimed = DataExchange.objects.filter(pk=exchange_pk, outcome=ExchangeOutcome.QUEUED).update(
        outcome=ExchangeOutcome.RUNNING
    )
    exchange = DataExchange.objects.get(pk=exchange_pk)
    if not claimed:
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


# A queued import not started after this long was never sent to a worker (the broker was down
# when it was queued); one running for longer than the job's hard time limit has died with its
# worker.
NOT_STARTED_AFTER = timedelta(minutes=15)
DIED_AFTER = timedelta(hours=1)


def statutory_returns_sweep(*, now=None) -> dict[str, int]:
    """Catch up on imports a worker never ran or never finished: queue the first again, and
    mark the second failed (deleting their files). Run every quarter of an hour."""
    from reports.tasks import statutory_return_import

    now = now or timezone.now()
    stale = DataExchange.objects.filter(
        outcome=ExchangeOutcome.QUEUED, started_at__lt=now - NOT_STARTED_AFTER
    )
    requeued = 0
    for pk in stale.values_list("pk", flat=True):
        enqueue(statutory_return_import, pk)
        requeued += 1
    dead = list(DataExchange.objects.filter(outcome=ExchangeOutcome.RUNNING, started_at__lt=now - DIED_AFTER))
    for exchange in dead:
        exchange.uploads.all().delete()
        exchange.outcome = ExchangeOutcome.FAILED
        exchange.problems = [
            Problem(
                "",
                "",
                "",
                "The import stopped without finishing (its worker ended). Nothing was written; "
                "upload the files again.",
            ).as_dict()
        ]
        exchange.problem_count = 1
        exchange.finished_at = now
        exchange.save()
    return {"requeued": requeued, "failed": len(dead)}


@dataclass(frozen=True)
class Download:
    """A return ready to download, and its entry in the history (with what the DfE's rules
    found in it)."""

    filename: str
    content_type: str
    content: bytes
    exchange: DataExchange | None = None

    @property
    def fails_dfe_rules(self) -> bool:
        return bool(self.exchange is not None and self.exchange.dfe_summary.get("failing_rules"))


def statutory_return_export(*, data_format: str, year: int, request) -> Download:
    """A return for the collection year ending 31 March ``year``, ready to download: the three
    SSDA903 tables in a zip, or the CIN census XML. Each child exported is put in the access
    log for the person asking. The DfE's rules of the year are run on the files first; what
    they find is kept with the export (``Download.exchange``)."""
    if data_format == ExchangeFormat.SSDA903:
        with tempfile.TemporaryDirectory() as directory:
            tally = export_903(year=year, directory=Path(directory), request=request)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(Path(directory).iterdir()):
                    archive.write(path, path.name)
        return Download(f"ssda903-{year}.zip", "application/zip", buffer.getvalue(), tally.exchange)
    buffer = io.BytesIO()
    buffer.name = f"cin-census-{year}.xml"
    tally = export_cin_census(year=year, destination=buffer, user=request.user)
    return Download(f"cin-census-{year}.xml", "application/xml", buffer.getvalue(), tally.exchange)
