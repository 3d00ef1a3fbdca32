"""Pages of the reports app: thin views over services and selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from conferences import dfe_rules as cin_dfe_rules
from conferences import selectors as conferences_selectors
from iro_service.audit.models import AccessChannel, ExchangeFormat
from iro_service.audit.selectors import data_exchange_list
from iro_service.audit.services import access_log_record_list, access_log_record_many
from iro_service.core.dfe import finding_where, write_findings_csv
from iro_service.core.imports import SafeCsvWriter
from iro_service.core.paging import pagination_links
from iro_service.people.selectors import child_pks_with_local_ids, iro_list, iro_teams
from iro_service.signin.recent import recent_sign_in_required
from iro_service.timescales.dates import collection_year
from qa_alerts import selectors as qa_alerts_selectors
from reports.forms import (
    CinCensusImportForm,
    ExportForm,
    QaOverviewForm,
    ReturnQualityFilterForm,
    Ssda903ImportForm,
)
from reports.selectors import qa_overview_figures, qa_overview_period, qa_overview_periods
from reports.services import statutory_return_export, statutory_return_queue
from reviews import dfe_rules as reviews_dfe_rules
from reviews import selectors as reviews_selectors


def _returns_page(request: HttpRequest, **forms):
    # A form error re-renders the page (200), as every form page here does.
    # The failing rows of each are for its own page: the list needs only the summary.
    page = Paginator(data_exchange_list().defer("dfe_findings"), 20).get_page(request.GET.get("page"))
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
@recent_sign_in_required(come_back_to="reports:returns")
def returns_export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _returns_page(request, export_form=form)
    download = statutory_return_export(
        data_format=form.cleaned_data["data_format"], year=form.cleaned_data["year"], request=request
    )
    if download.fails_dfe_rules and not form.cleaned_data["after_check"]:
        # The failing rules come first; the page offers the file as it is.
        return redirect("reports:returns-detail", download.exchange.pk)
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response


@login_required
@permission_required("audit.view_dataexchange", raise_exception=True)
def returns_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = get_object_or_404(data_exchange_list(), pk=pk)
    return render(
        request,
        "reports/returns_detail.html",
        {
            "exchange": exchange,
            "dfe": exchange.dfe_summary,
            "dfe_rows": [
                {**finding, "where": finding_where(finding)}
                for finding in exchange.dfe_findings[:DFE_ROWS_SHOWN]
            ],
            "dfe_rows_shown": DFE_ROWS_SHOWN,
            "can_export": request.user.has_perm("audit.export_returns"),
        },
    )


# The rows failing a DfE rule shown on the page; all that are kept are in the spreadsheet.
DFE_ROWS_SHOWN = 100


@login_required
@permission_required("audit.view_dataexchange", raise_exception=True)
def returns_dfe_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Every kept row of an import or export that fails a DfE rule, as a spreadsheet to work
    through. It names children, so each is put in the access log."""
    exchange = get_object_or_404(data_exchange_list(), pk=pk)
    findings = exchange.dfe_findings
    access_log_record_many(
        request=request,
        child_ids=child_pks_with_local_ids({finding["child"] for finding in findings if finding["child"]}),
        what=f"DfE rule failures, {exchange}",
        channel=AccessChannel.EXPORT,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{exchange.direction}-{exchange.pk}-dfe-rules.csv"'
    )
    response.write("\ufeff")  # so that Excel opens it as UTF-8
    write_findings_csv(findings, response)
    return response


@login_required
@permission_required("audit.view_dataexchange", raise_exception=True)
@recent_sign_in_required
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


@login_required
@permission_required("qa_alerts.view_alert_board", raise_exception=True)
def qa_overview(request: HttpRequest) -> HttpResponse:
    """The monthly and quarterly QA alert overview for senior managers: counts by kind, category,
    team and stage, how many concerns were answered in time, and the alerts of every IRO, so
    that one who raises none shows. Counts only: no child is shown, so nothing is logged."""
    today = timezone.localdate()
    periods = qa_overview_periods(today=today, first=qa_alerts_selectors.first_alert_raised_on())
    form = QaOverviewForm(request.GET or None, periods=periods)
    key = form.cleaned_data["period"] if form.is_bound and form.is_valid() else periods[0][0]
    start, end = qa_overview_period(key)
    figures = qa_overview_figures(start=start, end=end)
    names = qa_alerts_selectors.escalation_stage_names()
    categories = list(qa_alerts_selectors.concern_categories())
    by_category = figures["qa_concern_categories"]["value"]
    return render(
        request,
        "reports/qa_overview.html",
        {
            "form": form,
            "period_label": dict(periods)[key],
            "start": start,
            "end": end,
            "raised": figures["qa_alerts_raised"]["value"],
            "categories": [
                (
                    c.name,
                    by_category["all"].get(c.code, 0),
                    by_category["cic"].get(c.code, 0),
                    by_category["cp"].get(c.code, 0),
                )
                for c in categories
            ],
            "teams": sorted(figures["qa_alerts_by_team"]["value"].values(), key=lambda row: row["team"]),
            "stages": [
                (number, qa_alerts_selectors.stage_name(int(number), names), n)
                for number, n in figures["qa_alerts_escalated"]["value"].items()
                if number.isascii() and number.isdigit()
            ],
            "on_time": figures["qa_responses_on_time"],
            "open_at_end": figures["qa_alerts_open_at_end"]["value"],
            "iros": list(figures["qa_alerts_by_iro"]["value"].values()),
        },
    )


# --- return quality: the records of the year that the DfE's rules would reject ----------------

RETURN_QUALITY_PAGE_SIZE = 50
RETURN_QUALITY_HEADERS = [
    "Child",
    "Child ID",
    "IRO",
    "DfE rule",
    "DfE message",
    "Record",
    "Date",
    "What to put right",
]


def _return_quality(request: HttpRequest):
    """The filters and the rows of the return quality page and its download (one reading): the
    SSDA903 rows, and the CIN census rows (a rule filter keeps the rows of its return only)."""
    today = timezone.localdate()
    year = collection_year(today)
    form = ReturnQualityFilterForm(
        request.GET or None,
        teams=iro_teams(),
        iros=iro_list().order_by("last_name", "first_name"),
        rules=reviews_dfe_rules.rule_choices(year) + cin_dfe_rules.rule_choices(year),
    )
    filters = form.filters()
    rule = filters.get("rule") or ""
    who = {
        "user": request.user,
        "today": today,
        "team_id": filters["team"].pk if filters.get("team") else None,
        "iro_id": filters["iro"].pk if filters.get("iro") else None,
    }
    rows = (
        reviews_selectors.return_quality_rows(**who, rule=rule)
        if not rule or rule in reviews_dfe_rules.RULES
        else []
    )
    cin_rows = (
        conferences_selectors.cin_return_quality_rows(**who, rule=rule)
        if not rule or rule in cin_dfe_rules.RULES
        else []
    )
    return form, year, rows, cin_rows


def _return_quality_cells(row) -> list:
    warning = row.warning
    return [
        row.child_name,
        row.local_child_id,
        row.iro_name,
        warning.rule,
        warning.message,
        getattr(row, "record_label", None) or ("Episode" if warning.record == "episode" else "Review"),
        warning.on.strftime("%d/%m/%Y"),
        warning.detail,
    ]


@login_required
@permission_required("reports.view_return_quality", raise_exception=True)
def return_quality(request: HttpRequest) -> HttpResponse:
    """Every episode and review of the collection year to date that breaks a DfE SSDA903 rule
    checked when records are saved, and every child protection record that breaks a CIN census
    one, so that business support can put it right during the year. Each row links to the
    child's record; the children of the page shown are in the access log."""
    form, year, rows, cin_rows = _return_quality(request)
    page = Paginator(rows, RETURN_QUALITY_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    # The CIN census rows under the SSDA903 ones, paged on their own (``cin_page``): paging one
    # list leaves the other where it was.
    cin_page = Paginator(cin_rows, RETURN_QUALITY_PAGE_SIZE).get_page(request.GET.get("cin_page"))
    cin_shown = list(cin_page.object_list)
    if shown or cin_shown:
        access_log_record_list(
            request=request,
            child_ids={row.child_id for row in shown} | {row.child_id for row in cin_shown},
            what="Return quality",
        )
    querystring = request.GET.copy()
    querystring.pop("page", None)
    querystring.pop("cin_page", None)
    return render(
        request,
        "reports/return_quality.html",
        {
            "form": form,
            "year_label": f"{year - 1}-{year % 100:02d}",
            "rows": shown,
            "row_count": len(rows),
            "cin_rows": cin_shown,
            "cin_row_count": len(cin_rows),
            "page": page,
            "pagination": pagination_links(request, page),
            "cin_pagination": pagination_links(request, cin_page, param="cin_page"),
            "querystring": querystring.urlencode(),
            "filtered": any(value for key, value in request.GET.items() if key != "page"),
        },
    )


@login_required
@permission_required("reports.view_return_quality", raise_exception=True)
def return_quality_csv(request: HttpRequest) -> HttpResponse:
    """The return quality page's rows, every page of them with its filters, the CIN census
    rows after the SSDA903 ones, as a spreadsheet; every child in it is in the access log as
    an export."""
    _form, year, ssda903_rows, cin_rows = _return_quality(request)
    # The SSDA903 rows, then the CIN census ones (their record: a CIN episode, a conference, ...).
    rows = ssda903_rows + cin_rows
    if rows:
        access_log_record_many(
            request=request,
            child_ids={row.child_id for row in rows},
            what="Return quality download",
            channel=AccessChannel.EXPORT,
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="return-quality-{year - 1}-{year % 100:02d}.csv"'
    response.write("\ufeff")  # so that Excel opens it as UTF-8
    writer = SafeCsvWriter(response)
    writer.writerow(RETURN_QUALITY_HEADERS)
    writer.writerows(_return_quality_cells(row) for row in rows)
    return response
