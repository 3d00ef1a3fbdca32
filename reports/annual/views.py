"""Pages of the annual report: thin views over its services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from iro_service.core.forms import form_add_service_errors
from iro_service.signin.recent import recent_sign_in_required
from reports.annual import selectors, services
from reports.annual.forms import ProgressForm, RecommendationForm, ReportStartForm, SectionTextForm
from reports.annual.render import text_parts
from reports.annual.render.html import draw_blocks
from reports.annual.sections import SECTIONS, SECTIONS_BY_KEY
from reports.models import DownloadFormat, RunStatus

VIEW = "reports.view_annualreport"
WRITE = "reports.write_annual_report"
FINALISE = "reports.finalise_annual_report"


def _latest_year(today) -> int:
    """The reporting year under way (a draft may be written as the year closes)."""
    return today.year + 1 if today.month >= 4 else today.year


def _list_page(request: HttpRequest, form=None) -> HttpResponse:
    reports = list(selectors.annual_report_list())
    form = form or ReportStartForm(latest=_latest_year(timezone.localdate()))
    return render(
        request,
        "reports/annual/list.html",
        {"reports": reports, "form": form, "can_write": request.user.has_perm(WRITE)},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def annual_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@login_required
@permission_required(WRITE, raise_exception=True)
@require_POST
def annual_start(request: HttpRequest) -> HttpResponse:
    form = ReportStartForm(request.POST, latest=_latest_year(timezone.localdate()))
    if not form.is_valid():
        return _list_page(request, form)
    try:
        version = services.annual_report_start(year_end=form.cleaned_data["year_end"], user=request.user)
    except ValidationError as error:
        form_add_service_errors(error, form)
        return _list_page(request, form)
    messages.success(request, f"The {version.report.label} report was started.")
    return redirect("reports:annual-version", version.pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def annual_version(request: HttpRequest, pk: int) -> HttpResponse:
    """A version of a year's report: its sections and their text, the job assembling its
    documents, and the documents to download."""
    version = selectors.version_for_page(pk=pk)
    texts = selectors.version_texts(version=version)
    sections = [
        {
            "section": section,
            "text": texts.get(section.key),
            "words": len((texts[section.key].text if section.key in texts else "").split()),
        }
        for section in SECTIONS
    ]
    return render(
        request,
        "reports/annual/version.html",
        {
            "version": version,
            "report": version.report,
            "sections": sections,
            "versions": version.report.versions.order_by("-number"),
            "active_run": selectors.run_active(version=version),
            "latest_run": selectors.run_latest(version=version),
            "done_run": selectors.run_last_done(version=version),
            "recommendations": selectors.recommendations_of(version=version),
            "progress": selectors.progress_of(version=version),
            "downloads": selectors.version_downloads(version=version),
            "can_write": request.user.has_perm(WRITE) and version.is_draft,
            "can_generate": request.user.has_perm(WRITE),
            "can_finalise": request.user.has_perm(FINALISE) and version.is_draft,
            "can_start_new": request.user.has_perm(WRITE)
            and not version.is_draft
            and not version.report.versions.filter(status="draft").exists(),
        },
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def annual_text(request: HttpRequest, pk: int) -> HttpResponse:
    """One section: its figures as they stand (frozen once finalised) beside the text managers
    write, with every saved version of the text."""
    text = selectors.text_for_page(pk=pk)
    version = text.version
    section = SECTIONS_BY_KEY[text.section]
    may_write = request.user.has_perm(WRITE) and version.is_draft
    # A finalised version's service refuses the change, with a message on the page.
    if request.method == "POST" and not request.user.has_perm(WRITE):
        raise PermissionDenied
    initial = {"text": text.text, "seen_updated_at": text.updated_at.isoformat()}
    form = SectionTextForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_report_text_save(
                text=text,
                body=form.cleaned_data["text"],
                seen_updated_at=form.cleaned_data["seen_updated_at"],
                user=request.user,
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(request, f"Draft of {section.heading} saved.")
            return redirect("reports:annual-text", text.pk)
    blocks = selectors.section_blocks(version=version, key=section.key)
    index = SECTIONS.index(section)
    texts = selectors.version_texts(version=version)
    neighbours = [
        SECTIONS[i] for i in (index - 1, index + 1) if 0 <= i < len(SECTIONS) and SECTIONS[i].key in texts
    ]
    return render(
        request,
        "reports/annual/section.html",
        {
            "version": version,
            "report": version.report,
            "section": section,
            "text": text,
            "form": form,
            "blocks": draw_blocks(blocks),
            "text_parts": text_parts(text.text),
            "history": selectors.text_history(text=text)[:20],
            "may_write": may_write,
            "neighbours": [(s, texts[s.key].pk) for s in neighbours],
        },
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def annual_recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    """The version's recommendations for the year ahead (added here), and its progress on last
    year's."""
    version = selectors.version_for_page(pk=pk)
    may_write = request.user.has_perm(WRITE) and version.is_draft
    # A finalised version's service refuses the change, with a message on the page.
    if request.method == "POST" and not request.user.has_perm(WRITE):
        raise PermissionDenied
    form = RecommendationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_add(version=version, text=form.cleaned_data["text"])
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(request, "Recommendation added.")
            return redirect("reports:annual-recommendations", version.pk)
    return render(
        request,
        "reports/annual/recommendations.html",
        {
            "version": version,
            "report": version.report,
            "form": form,
            "recommendations": selectors.recommendations_of(version=version),
            "progress": selectors.progress_of(version=version),
            "may_write": may_write,
        },
    )


@login_required
@permission_required(WRITE, raise_exception=True)
def annual_recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    """Change or remove one recommendation of a draft."""
    recommendation = selectors.recommendation_for_page(pk=pk)
    version = recommendation.version
    back = reverse("reports:annual-recommendations", args=[version.pk])
    initial = {"text": recommendation.text, "seen_updated_at": recommendation.updated_at.isoformat()}
    form = RecommendationForm(
        request.POST if request.method == "POST" and "remove" not in request.POST else None,
        initial=initial,
        submit="Save recommendation",
    )
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                services.recommendation_remove(recommendation=recommendation)
                messages.success(request, f"Recommendation {recommendation.number} removed.")
                return redirect(back)
            if form.is_valid():
                services.recommendation_update(
                    recommendation=recommendation,
                    text=form.cleaned_data["text"],
                    seen_updated_at=form.cleaned_data["seen_updated_at"],
                )
                messages.success(request, f"Recommendation {recommendation.number} saved.")
                return redirect(back)
        except ValidationError as error:
            form_add_service_errors(error, form)
    return render(
        request,
        "reports/annual/recommendation_form.html",
        {"form": form, "recommendation": recommendation, "version": version, "back_url": back},
    )


@login_required
@permission_required(WRITE, raise_exception=True)
def annual_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Say how far one of last year's recommendations has come."""
    progress = selectors.progress_for_page(pk=pk)
    version = progress.version
    back = reverse("reports:annual-recommendations", args=[version.pk])
    initial = {
        "status": progress.status,
        "note": progress.note,
        "seen_updated_at": progress.updated_at.isoformat(),
    }
    form = ProgressForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_progress_save(
                progress=progress,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                seen_updated_at=form.cleaned_data["seen_updated_at"],
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(request, f"Progress on recommendation {progress.recommendation.number} saved.")
            return redirect(back)
    return render(
        request,
        "reports/annual/progress_form.html",
        {"form": form, "progress": progress, "version": version, "back_url": back},
    )


@login_required
@permission_required(WRITE, raise_exception=True)
@require_POST
def annual_generate(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_for_page(pk=pk)
    run = services.run_request(version=version, user=request.user)
    return redirect("reports:annual-run", run.pk)


@login_required
@permission_required(FINALISE, raise_exception=True)
# Finalising freezes what goes to the Corporate Parenting Board: the password is asked again.
@recent_sign_in_required
def annual_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then freeze the version."""
    version = selectors.version_for_page(pk=pk)
    error = None
    if request.method == "POST":
        try:
            run = services.version_finalise(version=version, user=request.user)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request, f"Version {version.number} is finalised. Its documents are being assembled."
            )
            return redirect("reports:annual-run", run.pk)
    return render(
        request,
        "reports/annual/finalise.html",
        {"version": version, "report": version.report, "error": error},
    )


@login_required
@permission_required(WRITE, raise_exception=True)
@require_POST
def annual_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_for_page(pk=pk)
    try:
        draft = services.version_start_from(version=version, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:annual-version", version.pk)
    messages.success(request, f"Version {draft.number} started from version {version.number}.")
    return redirect("reports:annual-version", draft.pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def annual_run(request: HttpRequest, pk: int) -> HttpResponse:
    """The job assembling a version's documents: section by section, then the files. Its
    script refreshes the progress without a reload; without JavaScript, a refresh shows it."""
    run = selectors.run_for_page(pk=pk)
    return render(
        request,
        "reports/annual/run.html",
        {
            "run": run,
            "version": run.version,
            "report": run.version.report,
            "progress": selectors.run_progress(run=run),
            "done_run": selectors.run_last_done(version=run.version),
        },
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def annual_run_status(request: HttpRequest, pk: int) -> JsonResponse:
    run = selectors.run_for_page(pk=pk)
    progress = selectors.run_progress(run=run)
    if run.status == RunStatus.DONE:
        progress["downloads"] = {
            fmt: reverse(f"reports:annual-download-{fmt}", args=[run.pk]) for fmt in DownloadFormat.values
        }
    return JsonResponse(progress, headers={"Cache-Control": "no-store"})


_CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _download(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    run, content = selectors.run_file(pk=pk, file_format=file_format)
    if run.status != RunStatus.DONE or content is None:
        raise Http404("These documents are not ready.")
    services.annual_report_download_record(
        run=run, user=request.user, file_format=file_format, ip_address=request.META.get("REMOTE_ADDR")
    )
    version = run.version
    name = f"iro-annual-report-{version.report.label}-version-{version.number}.{file_format}"
    response = HttpResponse(content, content_type=_CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@permission_required(VIEW, raise_exception=True)
def annual_download_html(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "html")


@login_required
@permission_required(VIEW, raise_exception=True)
def annual_download_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "docx")


@login_required
@permission_required(VIEW, raise_exception=True)
def annual_download_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "pdf")
