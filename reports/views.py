"""Pages of the reports app: thin views over services and selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from iro_service.audit.models import ExchangeFormat
from iro_service.audit.selectors import data_exchange_list
from iro_service.core.imports import SafeCsvWriter
from iro_service.core.paging import pagination_links
from reports.forms import CinCensusImportForm, ExportForm, Ssda903ImportForm
from reports.services import statutory_return_export, statutory_return_queue


def _returns_page(request: HttpRequest, **forms):
    # A form error re-renders the page (200), as every form page here does.
    page = Paginator(data_exchange_list(), 20).get_page(request.GET.get("page"))
    context = {
        "ssda903_form": forms.get("ssda903_form") or Ssda903ImportForm(),
        "cin_form": forms.get("cin_form") or CinCensusImportForm(),
        "export_form": forms.get("export_form") or ExportForm(),
        "page": page,
        "pagination": pagination_links(request, page),
        "can_import": request.user.has_perm("audit.import_returns"),
        "can_export": request.user.has_perm("audit.export_returns"),
    }
    # The error summary of the form that was sent goes first on the page.
    context["form"] = next((form for form in forms.values() if form is not None and form.errors), None)
    return render(request, "reports/returns.html", context)


@login_required
@permission_required("audit.view_dataexchange", raise_exception=True)
def returns(request: HttpRequest) -> HttpResponse:
    return _returns_page(request)


@login_required
@permission_required("audit.import_returns", raise_exception=True)
@require_POST
def returns_import_903(request: HttpRequest) -> HttpResponse:
    form = Ssda903ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _returns_page(request, ssda903_form=form)
    uploads = {
        f"{name}.csv": form.cleaned_data[name]
        for name in ("header", "episodes", "reviews")
        if form.cleaned_data.get(name) is not None
    }
    exchange = statutory_return_queue(
        data_format=ExchangeFormat.SSDA903,
        uploads=uploads,
        dry_run=form.cleaned_data["dry_run"],
        user=request.user,
    )
    return redirect("reports:returns-detail", exchange.pk)


@login_required
@permission_required("audit.import_returns", raise_exception=True)
@require_POST
def returns_import_cin(request: HttpRequest) -> HttpResponse:
    form = CinCensusImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _returns_page(request, cin_form=form)
    exchange = statutory_return_queue(
        data_format=ExchangeFormat.CIN_CENSUS,
        uploads={"census.xml": form.cleaned_data["census"]},
        dry_run=form.cleaned_data["dry_run"],
        user=request.user,
    )
    return redirect("reports:returns-detail", exchange.pk)


@login_required
@permission_required("audit.export_returns", raise_exception=True)
@require_POST
def returns_export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _returns_page(request, export_form=form)
    download = statutory_return_export(
        data_format=form.cleaned_data["data_format"], year=form.cleaned_data["year"], request=request
    )
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response


@login_required
@permission_required("audit.view_dataexchange", raise_exception=True)
def returns_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = get_object_or_404(data_exchange_list(), pk=pk)
    return render(request, "reports/returns_detail.html", {"exchange": exchange})


@login_required
@permission_required("audit.view_dataexchange", raise_exception=True)
def returns_problems_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The problems of a rejected import as a spreadsheet, to work through beside the file."""
    exchange = get_object_or_404(data_exchange_list(), pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{exchange.pk}-problems.csv"'
    # A byte-order mark so that Excel opens it as UTF-8.
    response.write("\ufeff")
    writer = SafeCsvWriter(response)
    writer.writerow(["File", "Where", "Field", "Problem"])
    for problem in exchange.problems:
        writer.writerow([problem["file"], problem["where"], problem["field"], problem["message"]])
    return response
