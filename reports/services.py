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

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from conferences.cin_census import export_cin_census, import_cin_census
from iro_service.audit.models import DataExchange, ExchangeFormat, ExchangeOutcome
from iro_service.audit.services import data_import_queue
from iro_service.core.db import check_for_dead_client, job_lock
from iro_service.core.imports import ImportRejected, Problem
from iro_service.core.jobs import enqueue, enqueue_slow
from reports.models import FiguresChange
from reviews.ssda903 import export_903, import_903


def statutory_return_queue(*, data_format: str, uploads: dict, dry_run: bool, user) -> DataExchange:
    """Keep the uploaded files and queue their import; returns the history entry to watch."""
    from reports.tasks import statutory_return_import

    exchange = data_import_queue(data_format=data_format, uploads=uploads, dry_run=dry_run, user=user)
    enqueue_slow(statutory_return_import, exchange.pk)
    return exchange


class ImportBusy(Exception):
    """Another worker holds this import; the job is tried again later (reports.tasks)."""


# A worker running an import holds its advisory lock (iro_service.core.db.job_lock): "running"
# with the lock free means the run died part way, and what it wrote was rolled back with its
# transaction.
_IMPORT_LOCK = 903_018  # the first of the lock's two keys: "a statutory return import"
# A run killed while its query was waiting on the database keeps its session until PostgreSQL
# notices the client has gone; the next run waits this long for it before trying again later.
LOCK_WAIT = "20s"
# A file that kills its worker every time (memory, a bug) must not be run for ever: the broker
# hands a job whose worker died to another worker (reject on worker lost).
MAX_ATTEMPTS = 3


def _import_lock(exchange_pk: int, *, wait: bool):
    """Hold the import's advisory lock for the block; yields whether it was taken."""
    return job_lock(_IMPORT_LOCK, exchange_pk, wait=LOCK_WAIT if wait else None)


def statutory_return_import_queued(*, exchange_pk: int) -> str:
    """Run a queued import once and delete its uploaded files, whatever the outcome. Returns the
    outcome.

    Safe to run twice, at once or one after the other, and after a worker died part way: the
    run holds the import's lock (``_import_lock``), writes the records and the outcome in one
    transaction (``data_import_run``), and starts only an import still queued, or one left
    "running" by a run that died (which wrote nothing). Raises ImportBusy if another worker is
    running it now."""
    with _import_lock(exchange_pk, wait=True) as taken:
        if not taken:
            raise ImportBusy(exchange_pk)
        claimed = DataExchange.objects.filter(
            pk=exchange_pk, outcome__in=[ExchangeOutcome.QUEUED, ExchangeOutcome.RUNNING]
        ).update(outcome=ExchangeOutcome.RUNNING, attempts=F("attempts") + 1)
        exchange = DataExchange.objects.get(pk=exchange_pk)
        if not claimed:
            exchange.uploads.all().delete()  # left by a run that died after it had finished
            return exchange.outcome
        if exchange.attempts > MAX_ATTEMPTS:
            _import_fail(
                exchange,
                f"The import stopped its worker {MAX_ATTEMPTS} times without finishing, so it "
                "was not tried again. Nothing was written; upload the files again, or ask for "
                "the files to be checked if it happens again.",
            )
            return exchange.outcome
        check_for_dead_client()
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


def _import_fail(exchange: DataExchange, message: str, *, now=None) -> None:
    exchange.uploads.all().delete()
    exchange.outcome = ExchangeOutcome.FAILED
    exchange.problems = [Problem("", "", "", message).as_dict()]
    exchange.problem_count = 1
    exchange.finished_at = now or timezone.now()
    exchange.save()


# A queued import not started after this long was never sent to a worker (the broker was down
# when it was queued, or the job was lost): it is sent again. One still "running" after the
# job's hard time limit, and no longer held by a worker, has died with its worker more than
# once: it is marked failed.
NOT_STARTED_AFTER = timedelta(seconds=settings.STATUTORY_RETURN_RESEND_AFTER_SECONDS)
DIED_AFTER = timedelta(hours=1)


def statutory_returns_sweep(*, now=None) -> dict[str, int]:
    """Catch up on imports a worker never ran or never finished: send the job again for those
    never started and for those whose worker died part way (nothing of theirs was written), and
    mark failed, deleting their files, those that have been dying for an hour. An import a
    worker is running now is left alone. Run every few minutes (iro_service/celery.py)."""
    from reports.tasks import statutory_return_import

    now = now or timezone.now()
    resend = list(
        DataExchange.objects.filter(
            outcome=ExchangeOutcome.QUEUED, started_at__lt=now - NOT_STARTED_AFTER
        ).values_list("pk", flat=True)
    )
    failed = 0
    for exchange in DataExchange.objects.filter(outcome=ExchangeOutcome.RUNNING):
        with _import_lock(exchange.pk, wait=False) as taken:
            if not taken:
                continue  # a worker is running it
            exchange.refresh_from_db()
            if exchange.outcome != ExchangeOutcome.RUNNING:
                continue  # it finished as we looked
            if exchange.started_at < now - DIED_AFTER:
                _import_fail(
                    exchange,
                    "The import stopped without finishing (its worker ended). Nothing was "
                    "written; upload the files again.",
                    now=now,
                )
                failed += 1
            else:
                resend.append(exchange.pk)
    for pk in resend:
        enqueue(statutory_return_import, pk)
    return {"requeued": len(resend), "failed": failed}


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


@transaction.atomic
def figures_changes_fold() -> int:
    """The nightly tidy of the figures cache's record of changes: fold every row into the
    newest one, keeping the state (the total and the newest transaction,
    ``reports.figures.changes``) as it was; return the rows removed."""
    newest = FiguresChange.objects.order_by("-xid").select_for_update().first()
    if newest is None:
        return 0
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "WITH gone AS (DELETE FROM reports_figureschange WHERE xid < %s RETURNING weight) "
            "UPDATE reports_figureschange SET weight = weight + (SELECT coalesce(sum(weight), 0) "
            "FROM gone) WHERE xid = %s RETURNING (SELECT count(*) FROM gone)",
            [newest.xid, newest.xid],
        )
        return cursor.fetchone()[0]
