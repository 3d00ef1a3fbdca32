"""Writes for the annual report: starting a year's report, saving each section's text and the
recommendations, finalising (freezing every figure and word), starting a new version from a
finalised one, and assembling the documents in the background, section by section."""

from __future__ import annotations

import logging
import time
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from iro_service.core.db import check_for_dead_client, end_sessions_holding, job_lock
from iro_service.core.jobs import enqueue, enqueue_slow
from iro_service.core.versioning import refuse_if_changed_since
from reports.annual import selectors
from reports.annual.render import Document
from reports.annual.render.docx import render_docx
from reports.annual.render.html import render_html
from reports.annual.render.pdf import render_pdf
from reports.annual.sections import SECTIONS, STARTING_TEXTS
from reports.models import (
    AnnualReport,
    AnnualReportDownload,
    AnnualReportRun,
    AnnualReportRunSection,
    AnnualReportText,
    AnnualReportVersion,
    Recommendation,
    RecommendationProgress,
    RunStatus,
    VersionStatus,
)

logger = logging.getLogger(__name__)


def _refuse_unless_draft(version: AnnualReportVersion) -> None:
    if not version.is_draft:
        raise ValidationError(
            "This version is finalised: its text and figures cannot change. Start a new version from it."
        )


def _progress_for_last_year(version: AnnualReportVersion) -> None:
    """A progress row for each recommendation of last year's report, for this one to fill in."""
    last_year = selectors.previous_year_version(year_end=version.report.year_end)
    if last_year is None:
        return
    for recommendation in last_year.recommendations.all():
        RecommendationProgress.objects.get_or_create(version=version, recommendation=recommendation)


def annual_report_start(*, year_end: int, user) -> AnnualReportVersion:
    """Start the report for the year ending 31 March ``year_end``: its first draft, with a
    text for every section and last year's recommendations to report progress on."""
    with transaction.atomic():
        report = AnnualReport(year_end=year_end, created_by=user)
        report.full_clean()
        report.save()
        version = AnnualReportVersion.objects.create(report=report, number=1, created_by=user)
        bulk_create_with_history(
            [
                AnnualReportText(
                    version=version,
                    section=section.key,
                    text=STARTING_TEXTS.get(section.key, "").format(council=settings.COUNCIL_NAME),
                    updated_by=user,
                )
                for section in SECTIONS
            ],
            AnnualReportText,
            default_user=user,
        )
        _progress_for_last_year(version)
    return version


def annual_report_text_save(*, text: AnnualReportText, body: str, seen_updated_at, user) -> AnnualReportText:
    """Save a section's text as the draft stands. Refused if the version is finalised, or if
    someone else saved this section since the editor opened it (no lost update)."""
    with transaction.atomic():
        locked = AnnualReportText.objects.select_for_update().select_related("version").get(pk=text.pk)
        _refuse_unless_draft(locked.version)
        refuse_if_changed_since(locked, seen_updated_at, what="section's text")
        locked.text = body
        locked.updated_by = user
        locked.full_clean()
        locked.save()
    return locked


def recommendation_add(*, version: AnnualReportVersion, text: str) -> Recommendation:
    """Add a recommendation at the end of the version's list."""
    with transaction.atomic():
        version = AnnualReportVersion.objects.select_for_update().get(pk=version.pk)
        _refuse_unless_draft(version)
        number = (version.recommendations.aggregate(last=Max("number"))["last"] or 0) + 1
        recommendation = Recommendation(version=version, number=number, text=text)
        recommendation.full_clean()
        recommendation.save()
    return recommendation


def recommendation_update(*, recommendation: Recommendation, text: str, seen_updated_at) -> Recommendation:
    with transaction.atomic():
        locked = (
            Recommendation.objects.select_for_update().select_related("version").get(pk=recommendation.pk)
        )
        _refuse_unless_draft(locked.version)
        refuse_if_changed_since(locked, seen_updated_at, what="recommendation")
        locked.text = text
        locked.full_clean()
        locked.save()
    return locked


def recommendation_remove(*, recommendation: Recommendation) -> None:
    """Remove a recommendation and close the gap in the numbers after it. One that next year's
    report already follows up cannot be removed."""
    with transaction.atomic():
        version = AnnualReportVersion.objects.select_for_update().get(pk=recommendation.version_id)
        _refuse_unless_draft(version)
        if recommendation.progress.exists():
            raise ValidationError("Next year's report follows this recommendation up: it cannot be removed.")
        number = recommendation.number
        recommendation.delete()
        for later in version.recommendations.filter(number__gt=number).order_by("number"):
            later.number -= 1
            later.save(update_fields=["number", "updated_at"])


def recommendation_progress_save(
    *, progress: RecommendationProgress, status: str, note: str, seen_updated_at
) -> RecommendationProgress:
    """Say how far one of last year's recommendations has come."""
    with transaction.atomic():
        locked = (
            RecommendationProgress.objects.select_for_update().select_related("version").get(pk=progress.pk)
        )
        _refuse_unless_draft(locked.version)
        refuse_if_changed_since(locked, seen_updated_at, what="progress note")
        locked.status, locked.note = status, note
        locked.full_clean()
        locked.save()
    return locked


# --- the document ---------------------------------------------------------------------------


def _texts(version: AnnualReportVersion) -> dict[str, str]:
    return {key: text.text for key, text in selectors.version_texts(version=version).items()}


def version_finalise(*, version: AnnualReportVersion, user, now=None) -> AnnualReportRun:
    """Freeze the version: every section's figures, tables and charts as they stand now, and
    every text, go into its snapshot, and its final documents are assembled from that. Later
    changes to the records never alter it. Returns the job assembling the documents."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = AnnualReportVersion.objects.select_for_update().select_related("report").get(pk=version.pk)
        _refuse_unless_draft(locked)
        figures = selectors.report_figures(version=locked)
        locked.snapshot = {
            "sections": {section.key: section.blocks(figures) for section in SECTIONS},
            "texts": _texts(locked),
        }
        locked.status = VersionStatus.FINALISED
        locked.finalised_at, locked.finalised_by = now, user
        locked.full_clean()
        locked.save()
    return run_request(version=locked, user=user)


def version_start_from(*, version: AnnualReportVersion, user) -> AnnualReportVersion:
    """A new draft from a finalised version: its text, recommendations and progress notes
    copied; its figures read live again."""
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=version.report_id)
        version = AnnualReportVersion.objects.get(pk=version.pk)
        if version.is_draft:
            raise ValidationError("Only a finalised version can be the start of a new one.")
        if report.versions.filter(status=VersionStatus.DRAFT).exists():
            raise ValidationError("This year's report already has a draft: carry on with that one.")
        number = report.versions.aggregate(last=Max("number"))["last"] + 1
        draft = AnnualReportVersion.objects.create(
            report=report, number=number, based_on=version, created_by=user
        )
        texts = version.snapshot.get("texts", {})
        bulk_create_with_history(
            [
                AnnualReportText(
                    version=draft, section=section.key, text=texts.get(section.key, ""), updated_by=user
                )
                for section in SECTIONS
            ],
            AnnualReportText,
            default_user=user,
        )
        for recommendation in version.recommendations.order_by("number"):
            Recommendation.objects.create(
                version=draft,
                number=recommendation.number,
                text=recommendation.text,
                carried_from=recommendation,
            )
        for progress in version.progress.all():
            RecommendationProgress.objects.create(
                version=draft,
                recommendation=progress.recommendation,
                status=progress.status,
                note=progress.note,
            )
        _progress_for_last_year(draft)
    return draft


# --- the background job ---------------------------------------------------------------------


def run_request(*, version: AnnualReportVersion, user) -> AnnualReportRun:
    """Queue the assembly of the version's documents; a job already waiting or running for the
    version is returned instead of a second one."""
    active = selectors.run_active(version=version)
    if active is not None:
        return active
    # A finalised version is dated the day it was finalised, so that its documents are the same
    # files however often they are assembled; a draft is dated the day it is assembled.
    printed_on = timezone.localdate(version.finalised_at) if not version.is_draft else timezone.localdate()
    try:
        with transaction.atomic():
            run = AnnualReportRun.objects.create(version=version, requested_by=user, printed_on=printed_on)
    except IntegrityError:
        # Someone else's click got there first (one job at a time per version).
        return selectors.run_active(version=version)
    from reports.annual.tasks import annual_report_assemble

    enqueue_slow(annual_report_assemble, run.pk)
    return run


def _set(run_pk: int, **fields) -> None:
    # One UPDATE, committed at once, so that the progress page sees each step as it happens. A
    # step renews the job's lease on the run (the sweep's test for a lost machine).
    if fields.get("step"):
        fields["step_at"] = timezone.now()
    AnnualReportRun.objects.filter(pk=run_pk).update(**fields)


# A worker assembling a run holds the run's advisory lock (iro_service.core.db.job_lock) for the
# whole assembly: "running" with the lock free means its worker died part way.
_RUN_LOCK = 2_016_017  # the first of the lock's two keys: "an annual report run"
# A run killed while its query was waiting on the database keeps its session until PostgreSQL
# notices the client has gone (a few seconds: check_for_dead_client); the next attempt waits
# this long for it. If it is still held, another worker is running the run.
LOCK_WAIT = "20s"
# A run that kills its worker every time (memory, a bug) must not be tried for ever: the broker
# hands a job whose worker died straight back out (reject on worker lost), and the sweep sends
# again one whose whole worker was lost.
MAX_ATTEMPTS = 3
# A run queued this long ago and never started was not sent to a worker (the broker was down,
# or a restarted broker lost it): the sweep, every minute, sends it again.
NOT_STARTED_AFTER = timedelta(seconds=settings.ANNUAL_REPORT_RESEND_AFTER_SECONDS)
# A run whose worker has reported no step for this long lost its machine, lock or no lock.
LEASE = timedelta(seconds=settings.ANNUAL_REPORT_LEASE_SECONDS)


class SectionFailed(Exception):
    def __init__(self, heading: str, error: Exception):
        super().__init__(heading)
        self.heading, self.error = heading, error


def annual_report_run_execute(*, run_pk: int) -> str:
    """Assemble a queued run's documents, section by section, then write the three files.
    Returns the run's outcome ("busy" if another worker is assembling it now).

    Safe to run twice, at once or one after the other, and after a worker died part way: the
    job holds the run's lock, claims the run by moving it to running (counting the attempt),
    and carries on from the sections saved by the attempts before (each is committed as it is
    built). A finished run is left as it is; a run started more than ``MAX_ATTEMPTS`` times is
    marked failed. If a section fails, the run is marked failed naming it, and the version's
    earlier documents stay as they were."""
    with job_lock(_RUN_LOCK, run_pk, wait=LOCK_WAIT) as taken:
        if not taken:
            return "busy"
        claimed = AnnualReportRun.objects.filter(
            pk=run_pk, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
        ).update(status=RunStatus.RUNNING, attempts=F("attempts") + 1)
        run = AnnualReportRun.objects.filter(pk=run_pk).select_related("version__report").first()
        if run is None or not claimed:
            return run.status if run else "gone"
        if run.attempts > MAX_ATTEMPTS:
            _run_stopped_too_often(run)
            return RunStatus.FAILED
        check_for_dead_client()
        return _assemble(run)


def _file_step(fmt: str) -> str:
    return {"html": "the web page", "docx": "the Word document", "pdf": "the PDF"}[fmt]


def _assemble(run: AnnualReportRun) -> str:
    started = time.monotonic()
    version = run.version
    built = {row.section: row.blocks for row in run.sections.only("section", "blocks")}
    # A draft reads the live figures, computed once for all its sections; a finalised version
    # reads its snapshot.
    figures = (
        selectors.report_figures(version=version) if version.is_draft and len(built) < len(SECTIONS) else None
    )
    try:
        for section in SECTIONS:
            if section.key in built:
                continue
            _set(run.pk, step=f"Assembling {section.heading}")
            try:
                blocks = selectors.section_blocks(version=version, key=section.key, figures=figures)
            except Exception as error:
                raise SectionFailed(section.heading, error) from error
            # Committed at once: a worker killed after this point keeps the section.
            AnnualReportRunSection.objects.create(
                run=run, section=section.key, blocks=blocks, attempt=run.attempts
            )
            built[section.key] = blocks
        contents = dict(run.contents or {})
        if "texts" not in contents:
            contents["texts"] = version.snapshot["texts"] if not version.is_draft else _texts(version)
            _set(run.pk, contents=contents)
        document = run_document(run=run, sections=built, texts=contents["texts"])
        files = {}
        for fmt in ("html", "docx", "pdf"):
            _set(run.pk, step=f"Writing {_file_step(fmt)}")
            try:
                if fmt == "html":
                    files["html"] = render_html(document)
                elif fmt == "docx":
                    files["docx"] = render_docx(document)
                else:
                    files["pdf"] = render_pdf(files["html"])
            except Exception as error:
                raise SectionFailed(_file_step(fmt), error) from error
        _set(
            run.pk,
            status=RunStatus.DONE,
            step="",
            html=files["html"].encode("utf-8"),
            docx=files["docx"],
            pdf=files["pdf"],
            finished_at=timezone.now(),
            seconds=time.monotonic() - started,
        )
        return RunStatus.DONE
    except SectionFailed as failure:
        logger.exception("Annual report run %s failed at %s", run.pk, failure.heading)
        _set(
            run.pk,
            status=RunStatus.FAILED,
            step="",
            failed_section=failure.heading,
            error=(
                f"The report could not be assembled: {failure.heading} failed "
                f"({type(failure.error).__name__}). The documents assembled before, if any, are unchanged. "
                "Try again; if it fails again, tell the system administrator the section's name."
            ),
            finished_at=timezone.now(),
            seconds=time.monotonic() - started,
        )
        return RunStatus.FAILED


def _run_stopped_too_often(run: AnnualReportRun) -> None:
    """Mark failed a run whose worker stopped ``MAX_ATTEMPTS`` times part way, naming what it was
    doing when it last stopped."""
    doing = run.step.removeprefix("Assembling ").removeprefix("Writing ") or "the first section"
    logger.error("Annual report run %s stopped its worker %s times, at %s", run.pk, MAX_ATTEMPTS, doing)
    _set(
        run.pk,
        status=RunStatus.FAILED,
        step="",
        failed_section=doing,
        error=(
            f"The report stopped without finishing {MAX_ATTEMPTS} times (the program assembling it ended "
            f"each time, the last time while it was on {doing}), so it was not tried again. The documents "
            "assembled before, if any, are unchanged. Try again; if it stops again, tell the system "
            f"administrator it stopped at {doing}."
        ),
        finished_at=timezone.now(),
    )


def annual_report_runs_sweep(*, now=None) -> dict[str, int]:
    """Catch up on runs a worker never started or never finished: send the job again for those
    queued and never started, and for those whose worker died part way (they carry on from the
    sections they saved); mark failed those stopped ``MAX_ATTEMPTS`` times. A run a worker is
    assembling now is left alone. Run every minute (iro_service/celery.py)."""
    from reports.annual.tasks import annual_report_assemble

    now = now or timezone.now()
    resend = list(
        AnnualReportRun.objects.filter(
            status=RunStatus.QUEUED, requested_at__lt=now - NOT_STARTED_AFTER
        ).values_list("pk", flat=True)
    )
    failed = 0
    running = AnnualReportRun.objects.filter(status=RunStatus.RUNNING).values_list("pk", "step_at")
    for pk, step_at in running:
        # A lease run out: the session still holding the lock belongs to a lost machine.
        lease_ran_out = step_at is not None and step_at < now - LEASE
        if lease_ran_out and end_sessions_holding(_RUN_LOCK, pk):
            logger.warning("Annual report run %s: its lease ran out, so its worker's session was ended", pk)
        with job_lock(_RUN_LOCK, pk, wait=None) as taken:
            if not taken:
                continue  # a worker is assembling it
            run = AnnualReportRun.objects.only("pk", "status", "attempts", "step").get(pk=pk)
            if run.status != RunStatus.RUNNING:
                continue  # it finished as we looked
            if run.attempts >= MAX_ATTEMPTS:
                _run_stopped_too_often(run)
                failed += 1
            else:
                resend.append(pk)
    for pk in resend:
        enqueue(annual_report_assemble, pk)
    return {"requeued": len(resend), "failed": failed}


def run_document(*, run: AnnualReportRun, sections: dict[str, list], texts: dict[str, str]) -> Document:
    version = run.version
    return Document(
        council=settings.COUNCIL_NAME,
        year_end=version.report.year_end,
        version=version.number,
        status=version.get_status_display(),
        printed_on=run.printed_on,
        sections=[
            {
                "key": section.key,
                "number": section.number,
                "title": section.title,
                "level": section.level,
                "blocks": sections[section.key],
                "text": texts.get(section.key, ""),
                # A draft says where the managers' words are still to come; a finalised
                # version prints what was written.
                "placeholder": section.guidance
                if version.is_draft and not texts.get(section.key, "").strip() and section.build is None
                else "",
            }
            for section in SECTIONS
        ],
    )


def annual_report_generate_now(
    *, version: AnnualReportVersion, user=None, printed_on: date | None = None
) -> AnnualReportRun:
    """Assemble the version's documents here and now (the command line): the same steps as the
    background job, in this process."""
    run = AnnualReportRun.objects.create(
        version=version,
        requested_by=user,
        printed_on=printed_on
        or (timezone.localdate(version.finalised_at) if not version.is_draft else timezone.localdate()),
    )
    annual_report_run_execute(run_pk=run.pk)
    run.refresh_from_db()
    return run


def annual_report_download_record(
    *, run: AnnualReportRun, user, file_format: str, ip_address: str | None
) -> None:
    """Put a download of one of the report's documents in its download log."""
    AnnualReportDownload.objects.create(run=run, user=user, file_format=file_format, ip_address=ip_address)
