"""Reads for the annual report: the reports and their versions, each section's text and the
figures beside it, the recommendations carried from last year, and the background job's
progress."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from reports.annual.figures import ReportFigures, year_label
from reports.annual.sections import SECTIONS, SECTIONS_BY_KEY, pct
from reports.figures import REGISTRY
from reports.models import (
    AnnualReport,
    AnnualReportRun,
    AnnualReportText,
    AnnualReportVersion,
    Recommendation,
    RecommendationProgress,
    RunStatus,
    VersionStatus,
)
from reports.targets.selectors import benchmarks_for_year


def annual_report_list() -> QuerySet[AnnualReport]:
    """Every year's report, newest first, with its versions (newest first)."""
    return AnnualReport.objects.prefetch_related(
        Prefetch("versions", queryset=AnnualReportVersion.objects.order_by("-number"))
    )


def version_for_page(*, pk: int) -> AnnualReportVersion:
    return get_object_or_404(
        AnnualReportVersion.objects.select_related("report", "based_on", "finalised_by", "created_by"), pk=pk
    )


def version_latest(*, report: AnnualReport) -> AnnualReportVersion | None:
    """The draft if there is one, else the newest finalised version."""
    versions = report.versions.order_by("-number")
    return versions.filter(status=VersionStatus.DRAFT).first() or versions.first()


def version_texts(*, version: AnnualReportVersion) -> dict[str, AnnualReportText]:
    return {text.section: text for text in version.texts.select_related("updated_by")}


def text_for_page(*, pk: int) -> AnnualReportText:
    return get_object_or_404(
        AnnualReportText.objects.select_related("version__report", "updated_by"),
        pk=pk,
        section__in=SECTIONS_BY_KEY,
    )


def text_history(*, text: AnnualReportText) -> QuerySet:
    """Every saved version of a section's text, newest first, with who saved it."""
    return text.history.select_related("history_user").order_by("-history_date", "-history_id")


def recommendations_of(*, version: AnnualReportVersion) -> QuerySet[Recommendation]:
    return version.recommendations.order_by("number")


def recommendation_for_page(*, pk: int) -> Recommendation:
    return get_object_or_404(Recommendation.objects.select_related("version__report"), pk=pk)


def progress_for_page(*, pk: int) -> RecommendationProgress:
    return get_object_or_404(
        RecommendationProgress.objects.select_related("version__report", "recommendation"), pk=pk
    )


def progress_of(*, version: AnnualReportVersion) -> QuerySet[RecommendationProgress]:
    return version.progress.select_related("recommendation").order_by("recommendation__number")


def previous_year_version(*, year_end: int) -> AnnualReportVersion | None:
    """The version of last year's report whose recommendations this year's report follows up:
    its newest finalised version, or its draft if it was never finalised."""
    versions = AnnualReportVersion.objects.filter(report__year_end=year_end - 1).order_by("-number")
    return versions.filter(status=VersionStatus.FINALISED).first() or versions.first()


# --- the figures beside each section --------------------------------------------------------


def _shown(key: str, value) -> str:
    return (
        pct(float(value)) if REGISTRY[key].kind == "rate" or REGISTRY[key].kind == "series" else f"{value:g}"
    )


def comparators_for_year(*, year_end: int) -> dict[str, list[dict]]:
    """The comparators managers entered for the reporting year, by figure key, as the report
    prints them."""
    return {
        key: [
            {
                "name": comparator.get_source_display(),
                "period": year_label(year_end),
                "value": float(comparator.value),
                "shown": _shown(key, comparator.value),
            }
            for comparator in benchmarks.comparators
        ]
        for key, benchmarks in benchmarks_for_year(year=year_end).items()
        if key in REGISTRY
    }


def report_figures(*, version: AnnualReportVersion) -> ReportFigures:
    """The figures the version's sections read: live from the figures service, with the
    comparators, the version's recommendations and the progress on last year's."""
    return ReportFigures(
        year_end=version.report.year_end,
        council=settings.COUNCIL_NAME,
        comparators=comparators_for_year(year_end=version.report.year_end),
        recommendations=[{"number": r.number, "text": r.text} for r in recommendations_of(version=version)],
        progress=[
            {
                "number": p.recommendation.number,
                "text": p.recommendation.text,
                "status": p.get_status_display(),
                "note": p.note,
            }
            for p in progress_of(version=version)
        ],
    )


def section_blocks(
    *, version: AnnualReportVersion, key: str, figures: ReportFigures | None = None
) -> list[dict]:
    """A section's figures, tables and charts: frozen for a finalised version, live for a
    draft."""
    if not version.is_draft:
        return version.snapshot["sections"][key]
    return SECTIONS_BY_KEY[key].blocks(figures or report_figures(version=version))


# --- the background job ---------------------------------------------------------------------


def run_active(*, version: AnnualReportVersion) -> AnnualReportRun | None:
    return version.runs.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).defer(*_FILES).first()


def run_last_done(*, version: AnnualReportVersion) -> AnnualReportRun | None:
    """The version's newest documents: what a failed run leaves in place."""
    return version.runs.filter(status=RunStatus.DONE).defer(*_FILES).order_by("-finished_at", "-pk").first()


def run_latest(*, version: AnnualReportVersion) -> AnnualReportRun | None:
    return version.runs.defer(*_FILES).order_by("-requested_at", "-pk").first()


_FILES = ("html", "docx", "pdf")


def run_for_page(*, pk: int) -> AnnualReportRun:
    return get_object_or_404(
        AnnualReportRun.objects.defer(*_FILES).select_related("version__report", "requested_by"), pk=pk
    )


def run_file(*, pk: int, file_format: str) -> tuple[AnnualReportRun, bytes | None]:
    run = get_object_or_404(
        AnnualReportRun.objects.select_related("version__report").only(
            "pk", "status", "version__number", "version__report__year_end", file_format
        ),
        pk=pk,
    )
    content = getattr(run, file_format)
    return run, (bytes(content) if content is not None else None)


def run_progress(*, run: AnnualReportRun) -> dict:
    """The job's progress as the page shows it (and its script reads): each section, done or
    not, the current step, and where it failed."""
    done = set(run.sections.values_list("section", flat=True))
    sections = [
        {"heading": section.heading, "done": section.key in done, "level": section.level}
        for section in SECTIONS
    ]
    return {
        "status": run.status,
        "status_label": run.get_status_display(),
        "step": run.step,
        "done": len(done),
        "total": len(SECTIONS),
        "sections": sections,
        "failed_section": run.failed_section,
        "error": run.error,
        "finished": run.status in (RunStatus.DONE, RunStatus.FAILED),
    }


def version_downloads(*, version: AnnualReportVersion) -> QuerySet:
    from reports.models import AnnualReportDownload

    return AnnualReportDownload.objects.filter(run__version=version).select_related("user")[:20]
