"""The dashboards' pages: thin views over ``reports.dashboards.selectors``, the figures service and
the targets' services. Every table on a page downloads as CSV or Excel from the page's own URL
(``?download=csv&table=<name>``), through the same permission check as the page; a download of
children's data is written to the access log, as the page's rows are."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from iro_service.audit.models import AccessChannel
from iro_service.audit.services import access_log_record_list, access_log_record_many
from iro_service.core.forms import form_add_service_errors, whole_number
from iro_service.core.imports import ImportRejected
from iro_service.core.paging import pagination_links
from iro_service.people.selectors import iro_list, iro_teams, staff_member_of
from reports.charts import CHARTABLE_KINDS, figure_trend, trend_window
from reports.dashboards import selectors
from reports.dashboards.drilldown import COVER, cover_words
from reports.dashboards.exports import FORMATS, Table, cell, table_download
from reports.dashboards.forms import (
    ComparatorForm,
    ComparatorUploadForm,
    DashboardFilterForm,
    TargetForm,
    filter_querystring,
)
from reports.dashboards.periods import Period, year_label
from reports.figures import REGISTRY, FigureQuery
from reports.figures.base import records_child_ids
from reports.models import Comparator, Target
from reports.selectors import figure_records_for, figure_records_hidden, figure_records_need
from reports.targets import selectors as targets
from reports.targets import services as target_services

PAGE_SIZE = 50
TREND_MONTHS = (12, 24)


# --- what every dashboard shares ---------------------------------------------------------------


class Filters:
    """The filters of a request (period, team, IRO), read once for the page and its links."""

    def __init__(self, request: HttpRequest):
        self.today = timezone.localdate()
        self.form = DashboardFilterForm(
            request.GET or None, today=self.today, teams=iro_teams(), iros=iro_list().order_by("last_name")
        )
        self.period: Period = self.form.chosen_period()
        self.team_id = self.form.team_id()
        self.iro_id = self.form.iro_id()
        self.querystring = filter_querystring(request.GET)

    @property
    def query(self) -> FigureQuery:
        return FigureQuery(
            start=self.period.start, end=self.period.end, team_id=self.team_id, iro_id=self.iro_id
        )

    def words(self) -> list[str]:
        """The period and filters in words, for headings and the top of every download."""
        filters = self.form.filters()
        words = [f"Period: {self.period.label} ({self.period.dates})"]
        words.append(f"Team: {filters['team'].name}" if filters.get("team") else "Team: all teams")
        words.append(f"IRO: {filters['iro'].full_name}" if filters.get("iro") else "IRO: all IROs")
        return words

    def context(self) -> dict:
        return {
            "filter_form": self.form,
            "period": self.period,
            "filter_words": self.words(),
            "querystring": self.querystring,
            "filtered": bool(self.querystring),
        }


def _download(request: HttpRequest, tables: list[Table], *, title: str, filters: Filters | None, what: str):
    """The download the request asks for (``download`` and ``table``), or None for the page. A
    table of children is logged, every child in it, as an export."""
    fmt = request.GET.get("download")
    if fmt is None:
        return None
    if fmt not in FORMATS:
        raise Http404("Downloads are CSV or Excel (download=csv or download=xlsx).")
    table = next((t for t in tables if t.name == request.GET.get("table")), None)
    if table is None:
        raise Http404("There is no table of that name on this page.")
    if table.child_ids:
        access_log_record_many(
            request=request, child_ids=table.child_ids, what=f"Download: {what}", channel=AccessChannel.EXPORT
        )
    heading = [f"{title}: {table.caption}", *(filters.words() if filters else [])]
    heading.append(
        f"Downloaded {timezone.localtime():%d %B %Y %H:%M} by {request.user.get_full_name() or request.user}"
    )
    return table_download(table, fmt=fmt, heading=heading, filename=f"{title} {table.name}")


def _v(value) -> object:
    return None if value is None else value


# --- the managers' dashboard ------------------------------------------------------------------


def _tiles_table(tiles: dict, querystring: str) -> Table:
    rows = []
    for section, section_tiles in tiles.items():
        for tile in section_tiles:
            target = tile.benchmarks.target
            status = tile.status
            comparators = "; ".join(
                f"{c.get_source_display()} {c.value}" for c in tile.benchmarks.comparators
            )
            rows.append(
                [
                    cell(section),
                    cell(
                        tile.label, reverse("reports:dashboard-figure", args=[tile.key]) + f"?{querystring}"
                    ),
                    cell(tile.current.value),
                    cell(tile.current.numerator),
                    cell(tile.current.denominator),
                    cell(None if target is None else float(target.value)),
                    cell(status.label if status else "No target"),
                    cell(tile.previous.value),
                    cell(tile.year_before.value),
                    cell(comparators),
                ]
            )
    return Table(
        name="figures",
        caption="Headline figures",
        headers=[
            "Section",
            "Figure",
            "Value",
            "Numerator",
            "Denominator",
            "Target",
            "Status",
            "Previous period",
            "Same period last year",
            "Comparators",
        ],
        rows=rows,
        numeric=[False, False, True, True, True, True, False, True, True, False],
    )


@login_required
@permission_required("reports.view_performance_dashboard", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The managers' dashboard: a tile for each headline figure. Counts only, so nothing is
    logged; the records behind a figure are one click away, and logged there."""
    filters = Filters(request)
    tiles = selectors.dashboard_tiles(period=filters.period, team_id=filters.team_id, iro_id=filters.iro_id)
    table = _tiles_table(tiles, filters.querystring)
    download = _download(request, [table], title="Performance dashboard", filters=filters, what="dashboard")
    if download:
        return download
    return render(
        request,
        "reports/dashboards/dashboard.html",
        {
            **filters.context(),
            "tiles": tiles,
            "table": table,
            "previous": filters.period.previous(),
            "year_before": filters.period.year_before(),
            "can_set_targets": request.user.has_perm("reports.add_target"),
        },
    )


# --- one figure: its trend ------------------------------------------------------------------


def _figure_or_404(key: str):
    figure = REGISTRY.get(key)
    if figure is None:
        raise Http404("There is no figure with that key.")
    return figure


@login_required
@permission_required("reports.view_performance_dashboard", raise_exception=True)
def figure_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A figure's monthly trend over 12 or 24 months to the end of the chosen period (and its
    quarter-end trend for a figure defined at quarter ends), with the target and comparators."""
    figure = _figure_or_404(key)
    filters = Filters(request)
    months = 24 if request.GET.get("months") == "24" else 12
    start, end = trend_window(end=filters.period.end, months=months)
    benchmarks = targets.figure_benchmarks(key=key, year=filters.period.year)
    chart = None
    tables = []
    if figure.kind in CHARTABLE_KINDS:
        quarterly = figure.kind == "series" and "quarter end" in figure.label.lower()
        chart = figure_trend(
            key=key,
            query=FigureQuery(start=start, end=end, team_id=filters.team_id, iro_id=filters.iro_id),
            interval="quarter" if quarterly else "month",
            target=None if benchmarks.target is None else float(benchmarks.target.value),
            comparators=benchmarks.comparator_lines(),
        )
        tables.append(
            Table(
                name="trend",
                caption=chart.table.caption,
                headers=list(chart.table.headers),
                rows=[
                    [
                        cell(p.day),
                        cell(p.value),
                        *([cell(p.numerator), cell(p.denominator)] if len(chart.table.headers) > 2 else []),
                    ]
                    for p in chart.points
                ],
            )
        )
    else:
        result = figure.compute(filters.query)
        tables.append(_breakdown_table(figure, result))
    download = _download(request, tables, title=figure.label, filters=filters, what=key)
    if download:
        return download
    return render(
        request,
        "reports/dashboards/figure.html",
        {
            **filters.context(),
            "figure": figure,
            "chart": chart,
            "table": tables[0],
            "months": months,
            "trend_start": start,
            "trend_end": end,
            "benchmarks": benchmarks,
            "has_records": figure.records is not None,
        },
    )


def _breakdown_table(figure, result) -> Table:
    rows = []

    def walk(prefix, value):
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(f"{prefix} {name}".strip(), inner)
        else:
            rows.append([cell(prefix), cell(value)])

    walk("", result["value"])
    return Table(name="breakdown", caption=figure.label, headers=["Part", "Number"], rows=rows)


# --- drill-down: the records behind a figure ---------------------------------------------------

_HIDDEN_COLUMNS = {"child_id", "child_ids"}


def _record_url(row: dict) -> str | None:
    """The child's record; for a row about several children (a conference), the conference's
    record, from which each child's is one click."""
    if row.get("child_id"):
        return reverse("people:child-detail", args=[row["child_id"]])
    if row.get("conference_id"):
        return reverse("conferences:conference-detail", args=[row["conference_id"]])
    return None


def _records_table(key: str, rows: list[dict]) -> Table:
    columns: list[str] = []
    for row in rows:
        for name in row:
            if name not in columns and name not in _HIDDEN_COLUMNS:
                columns.append(name)
    # The child's name or ID links to the child's record; rows with no such column link the first.
    link_column = columns.index("child") if "child" in columns else 0
    table_rows = []
    for row in rows:
        cells = []
        url = _record_url(row)
        for index, name in enumerate(columns):
            value = row.get(name)
            if isinstance(value, dict | list):
                value = ", ".join(f"{k}: {v}" for k, v in value.items()) if isinstance(value, dict) else value
            cells.append(cell(value, url if index == link_column else None))
        table_rows.append(cells)
    return Table(
        name="records",
        caption=f"Records behind {REGISTRY[key].label}",
        headers=[name.replace("_", " ").capitalize() for name in columns],
        rows=table_rows,
        child_ids=records_child_ids(rows),
    )


def figure_records_allowed(request: HttpRequest, key: str) -> None:
    """The check the records endpoint of the API makes (``FigureRecordsView``), for the page:
    the view permissions of everything the rows show, and a 404, not a 403, for rows hidden
    from someone who may not see them (HSB records)."""
    if request.user.has_perms(figure_records_need(key)):
        return
    if figure_records_hidden(key):
        raise Http404()
    raise PermissionDenied


@login_required
@permission_required("reports.view_performance_dashboard", raise_exception=True)
def figure_records_page(request: HttpRequest, key: str) -> HttpResponse:
    """The records behind a figure's numerator and denominator, each row linking to the child's
    record, with the same filters. Every child on the page shown (or in the download) is logged,
    with the same words as the API's records endpoint."""
    figure = _figure_or_404(key)
    if figure.records is None:
        raise Http404("This figure has no list of records behind it yet.")
    figure_records_allowed(request, key)
    filters = Filters(request)
    rows = figure_records_for(user=request.user, query=filters.query, key=key)
    result = figure.compute(filters.query)
    # A breakdown has no single number: its parts are shown as a table above the records.
    breakdown = _breakdown_table(figure, result) if figure.kind == "breakdown" else None
    value = None if breakdown else selectors.figure_value(result)
    full = _records_table(key, rows)
    tables = [full, breakdown] if breakdown else [full]
    download = _download(request, tables, title=figure.label, filters=filters, what=f"Figure records: {key}")
    if download:
        return download
    page = Paginator(full.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown_rows = rows[(page.number - 1) * PAGE_SIZE : page.number * PAGE_SIZE]
    shown = Table(
        name="records",
        caption=full.caption,
        headers=full.headers,
        rows=list(page.object_list),
        numeric=full.numeric,
        child_ids=records_child_ids(shown_rows),
    )
    if shown.child_ids:
        access_log_record_list(request=request, child_ids=shown.child_ids, what=f"Figure records: {key}")
    return render(
        request,
        "reports/dashboards/records.html",
        {
            **filters.context(),
            "figure": figure,
            "value": value,
            "breakdown": breakdown,
            "cover": cover_words(key, result, rows),
            "whole": COVER[key].whole if key in COVER else None,
            "table": shown,
            "page": page,
            "pagination": pagination_links(request, page),
            "row_count": len(rows),
        },
    )


# --- targets and comparators ------------------------------------------------------------------


def _year_of(request: HttpRequest, today: date) -> int:
    from iro_service.timescales.dates import collection_year

    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return collection_year(today)
    return year if 2000 <= year <= 2100 else collection_year(today)


@login_required
@permission_required("reports.view_target", raise_exception=True)
def target_list(request: HttpRequest) -> HttpResponse:
    """The targets of a reporting year, and every change to them with who made it."""
    today = timezone.localdate()
    year = _year_of(request, today)
    rows = list(targets.target_list(year=year))
    table = Table(
        name="targets",
        caption=f"Targets for {year_label(year)}",
        headers=["Figure", "Target", "Which way is better", "Amber margin", "Note"],
        rows=[
            [
                cell(
                    REGISTRY[t.figure_key].label if t.figure_key in REGISTRY else t.figure_key,
                    reverse("reports:target-set") + f"?figure={t.figure_key}&year={t.year}"
                    if request.user.has_perm("reports.change_target")
                    else None,
                ),
                cell(float(t.value)),
                cell(t.get_direction_display()),
                cell(float(t.amber_margin)),
                cell(t.note),
            ]
            for t in rows
        ],
        numeric=[False, True, False, True, False],
    )
    history = Table(
        name="history",
        caption=f"Changes to the targets for {year_label(year)}",
        headers=["When", "Who", "Figure", "Change", "Target", "Amber margin"],
        rows=[
            [
                cell(timezone.localtime(h.history_date).strftime("%d %b %Y %H:%M")),
                cell(
                    h.history_user.get_full_name() or h.history_user.username if h.history_user else "Unknown"
                ),
                cell(REGISTRY[h.figure_key].label if h.figure_key in REGISTRY else h.figure_key),
                cell({"+": "Set", "~": "Changed", "-": "Removed"}[h.history_type]),
                cell(float(h.value)),
                cell(float(h.amber_margin)),
            ]
            for h in targets.targets_history(year=year)
        ],
        numeric=[False, False, False, False, True, True],
    )
    download = _download(request, [table, history], title="Targets", filters=None, what="targets")
    if download:
        return download
    return render(
        request,
        "reports/dashboards/targets.html",
        {
            "year": year,
            "year_label": year_label(year),
            "table": table,
            "history": history,
            "years": [(y, year_label(y)) for y in range(year + 1, year - 6, -1)],
            "can_set": request.user.has_perm("reports.add_target"),
        },
    )


@login_required
@permission_required("reports.add_target", raise_exception=True)
def target_set(request: HttpRequest) -> HttpResponse:
    """Set a figure's target for a year (a new one, or a change to the one there)."""
    today = timezone.localdate()
    # The target being changed: the one the link named, or, when the form is sent, the one for
    # the figure and year sent (so that a change made meanwhile is seen, not overwritten).
    if request.method == "POST":
        figure_key, year = request.POST.get("figure_key", ""), request.POST.get("year", "")
    else:
        figure_key, year = request.GET.get("figure", ""), str(_year_of(request, today))
    year_number = whole_number(year)
    existing = (
        Target.objects.filter(figure_key=figure_key, year=year_number).first()
        if year_number is not None
        else None
    )
    initial = {}
    if existing is not None:
        initial = {
            "figure_key": existing.figure_key,
            "year": existing.year,
            "value": existing.value,
            "direction": existing.direction,
            "amber_margin": existing.amber_margin,
            "note": existing.note,
            "updated_at": existing.updated_at.isoformat(),
        }
    elif figure_key in REGISTRY:
        initial = {"figure_key": figure_key, "year": year_number}
    form = TargetForm(request.POST or None, initial=initial, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target = target_services.target_set(
                figure_key=data["figure_key"],
                year=data["year"],
                value=data["value"],
                direction=data["direction"],
                amber_margin=data["amber_margin"],
                note=data["note"],
                seen_updated_at=data.get("updated_at") if form.editing else None,
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(
                request,
                f"The target for {REGISTRY[target.figure_key].label} in {year_label(target.year)} "
                f"is {target.value}.",
            )
            return redirect(reverse("reports:targets") + f"?year={target.year}")
    return render(request, "reports/dashboards/target_form.html", {"form": form, "existing": existing})


def _comparators_page(request, *, form=None, upload_form=None, rejected=None):
    today = timezone.localdate()
    year = _year_of(request, today)
    rows = list(targets.comparator_list(year=year))
    can_change = request.user.has_perm("reports.add_comparator")
    table = Table(
        name="comparators",
        caption=f"Comparators for {year_label(year)}",
        headers=["Figure", "Key", "Compared with", "Value", "Published by"],
        rows=[
            [
                cell(REGISTRY[c.figure_key].label if c.figure_key in REGISTRY else c.figure_key),
                cell(c.figure_key),
                cell(c.get_source_display()),
                cell(float(c.value)),
                cell(c.published_by),
            ]
            for c in rows
        ],
        numeric=[False, False, False, True, False],
    )
    download = _download(request, [table], title="Comparators", filters=None, what="comparators")
    if download:
        return download
    return render(
        request,
        "reports/dashboards/comparators.html",
        {
            "year": year,
            "year_label": year_label(year),
            "table": table,
            "comparators": rows,
            "years": [(y, year_label(y)) for y in range(year + 1, year - 6, -1)],
            "form": form or ComparatorForm(initial={"year": year}, today=today),
            "upload_form": upload_form or ComparatorUploadForm(),
            "rejected": rejected,
            "can_change": can_change,
        },
    )


@login_required
@permission_required("reports.view_comparator", raise_exception=True)
def comparator_list(request: HttpRequest) -> HttpResponse:
    """The published comparators of a year, with the form and the CSV upload for managers."""
    if request.method == "POST":
        if not request.user.has_perm("reports.add_comparator"):
            raise PermissionDenied
        form = ComparatorForm(request.POST, today=timezone.localdate())
        if form.is_valid():
            data = form.cleaned_data
            try:
                comparator = target_services.comparator_set(
                    figure_key=data["figure_key"],
                    year=data["year"],
                    source=data["source"],
                    value=data["value"],
                    published_by=data["published_by"],
                )
            except ValidationError as error:
                form_add_service_errors(error, form)
            else:
                messages.success(request, f"Saved: {comparator}.")
                return redirect(reverse("reports:comparators") + f"?year={comparator.year}")
        return _comparators_page(request, form=form)
    return _comparators_page(request)


@login_required
@permission_required("reports.add_comparator", raise_exception=True)
@require_POST
def comparator_upload(request: HttpRequest) -> HttpResponse:
    """Import comparators from a CSV: all rows or, if any row is wrong, none, with every problem."""
    form = ComparatorUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _comparators_page(request, upload_form=form)
    upload = form.cleaned_data["comparators"]
    try:
        result = target_services.comparators_import_csv(upload=upload, name=upload.name)
    except ImportRejected as rejected:
        form.add_error(
            "comparators",
            f"The file has {rejected.count} problem{'s' if rejected.count != 1 else ''}; nothing was "
            "imported. Each is listed below.",
        )
        return _comparators_page(request, upload_form=form, rejected=rejected)
    messages.success(request, f"Comparators imported: {result.created} added, {result.updated} changed.")
    return redirect("reports:comparators")


@login_required
@permission_required("reports.delete_comparator", raise_exception=True)
@require_POST
def comparator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comparator = get_object_or_404(Comparator, pk=pk)
    year = comparator.year
    target_services.comparator_delete(comparator=comparator)
    messages.success(request, "The comparator is removed.")
    return redirect(reverse("reports:comparators") + f"?year={year}")


# --- IRO caseloads ----------------------------------------------------------------------------


@login_required
@permission_required("reports.view_performance_dashboard", raise_exception=True)
def caseloads(request: HttpRequest) -> HttpResponse:
    """Per IRO and per team: children in care, on plans, HSB referrals and open QA concerns on the
    period's last day, per FTE against the Handbook's 50 to 70; and chair continuity per family.
    Counts and family names only: no child is shown, so nothing is logged."""
    filters = Filters(request)
    on = min(filters.period.end, filters.today)
    rows = selectors.iro_caseloads(
        on=on, since=filters.period.start, team_id=filters.team_id, iro_id=filters.iro_id
    )
    low, high = selectors.caseload_guidance()

    def guidance(per_fte):
        if per_fte is None:
            return "No FTE recorded"
        if per_fte < low:
            return f"Below {low}"
        if per_fte > high:
            return f"Above {high}"
        return "Within guidance"

    def caseload_table(name, caption, data):
        return Table(
            name=name,
            caption=caption,
            headers=[
                "Name",
                "Team",
                "FTE",
                "Children in care",
                "Children on plans",
                "HSB referrals in period",
                "Open QA concerns",
                "Children per FTE",
                "Against guidance",
            ],
            rows=[
                [
                    cell(r.name),
                    cell(r.team),
                    cell(float(r.fte)),
                    cell(r.children_in_care),
                    cell(r.children_on_plans),
                    cell(r.hsb_referrals),
                    cell(r.open_alerts),
                    cell(r.per_fte),
                    cell(guidance(r.per_fte)),
                ]
                for r in data
            ],
            numeric=[False, False, True, True, True, True, True, True, False],
        )

    iros = caseload_table("iros", f"Caseloads per IRO on {on:%d %B %Y}", rows)
    teams = caseload_table("teams", f"Caseloads per team on {on:%d %B %Y}", selectors.team_caseloads(rows))
    families = selectors.chair_continuity_by_family(
        period=filters.period, team_id=filters.team_id, iro_id=filters.iro_id
    )
    continuity = Table(
        name="continuity",
        caption="Chair continuity per family (review conferences in the period)",
        headers=["Family", "Review conferences", "Same chair as the one before", "Chairs", "Continuity %"],
        rows=[
            [cell(f.family), cell(f.reviews), cell(f.same_chair), cell(f.chairs), cell(f.rate)]
            for f in families
        ],
        numeric=[False, True, True, True, True],
    )
    download = _download(
        request, [iros, teams, continuity], title="IRO caseloads", filters=filters, what="caseloads"
    )
    if download:
        return download
    return render(
        request,
        "reports/dashboards/caseloads.html",
        {
            **filters.context(),
            "iros": iros,
            "teams": teams,
            "continuity": continuity,
            "on": on,
            "low": low,
            "high": high,
        },
    )


# --- business support -------------------------------------------------------------------------


def conference_child_ids(conferences) -> list[int]:
    """A row about a conference is a view of the records of the children considered at it (as
    the conference lists log them), read from the prefetched ``children``."""
    return [link.child_id for conference in conferences for link in conference.children.all()]


@login_required
@permission_required("reports.view_business_support_dashboard", raise_exception=True)
def business_support(request: HttpRequest) -> HttpResponse:
    """The backlog: records to distribute with how long overdue, per IRO; conference reports
    outstanding; meetings to book this week and next. The rows name children: logged."""
    filters = Filters(request)
    today = filters.today
    backlog = selectors.business_support_backlog(
        user=request.user, today=today, team_id=filters.team_id, iro_id=filters.iro_id
    )
    by_iro = Table(
        name="by-iro",
        caption="Records by IRO",
        headers=[
            "IRO",
            "Review records out of timescale",
            "Review records to distribute",
            "Conference records out of timescale",
            "Conference records to distribute",
            "Longest overdue (days)",
        ],
        rows=[
            [
                cell(r["iro"]),
                cell(r["review_records_out_of_timescale"]),
                cell(r["review_records_to_distribute"]),
                cell(r["conference_records_out_of_timescale"]),
                cell(r["conference_records_to_distribute"]),
                cell(r["longest_overdue_days"]),
            ]
            for r in backlog.by_iro
        ],
        numeric=[False, True, True, True, True, True],
    )
    review_records = Table(
        name="review-records",
        caption="Review records to distribute",
        headers=["Child", "Child ID", "Review", "Chair", "Record completed", "Record due", "Days overdue"],
        rows=[
            [
                cell(r.child.sort_name, reverse("reviews:care-record", args=[r.child_id])),
                cell(r.child.local_child_id),
                cell(r.review_date),
                cell(r.chair.full_name if r.chair else ""),
                cell(r.record_completed),
                cell(r.record_due),
                cell(max(0, r.days_overdue)),
            ]
            for r in backlog.review_records
        ],
        numeric=[False, False, False, False, False, False, True],
        child_ids=[r.child_id for r in backlog.review_records],
    )
    conference_records = Table(
        name="conference-records",
        caption="Conference records to distribute",
        headers=["Family", "Conference", "Chair", "Record completed", "Record due", "Days overdue"],
        rows=[
            [
                cell(
                    c.family.name if c.family else "", reverse("conferences:conference-detail", args=[c.pk])
                ),
                cell(c.date),
                cell(c.chair.full_name if c.chair else ""),
                cell(c.record_completed_on),
                cell(c.record_due),
                cell(max(0, (today - c.record_due).days) if c.record_due else None),
            ]
            for c in backlog.conference_records
        ],
        numeric=[False, False, False, False, False, True],
        child_ids=conference_child_ids(backlog.conference_records),
    )
    reports = Table(
        name="reports-outstanding",
        caption="Conference reports outstanding (this week and next)",
        headers=["Family", "Conference", "Report to parents", "Report to chair"],
        rows=[
            [
                cell(
                    c.family.name if c.family else "", reverse("conferences:conference-detail", args=[c.pk])
                ),
                cell(c.date),
                cell(c.report_to_parents_on or "Not received"),
                cell(c.report_to_chair_on or "Not received"),
            ]
            for c in backlog.reports_outstanding
        ],
        child_ids=conference_child_ids(backlog.reports_outstanding),
    )
    to_book = Table(
        name="to-book",
        caption="Meetings to book this week and next",
        headers=["Child or family", "Meeting", "Due"],
        rows=[
            [
                cell(p.child.sort_name, reverse("reviews:care-record", args=[p.child_id])),
                cell("LAC review"),
                cell(p.next_review_due),
            ]
            for p in backlog.reviews_to_book
        ]
        + [
            [
                cell(b.family.name if b.family else ", ".join(c.full_name for c in b.children)),
                cell(f"{b.kind} conference"),
                cell(b.due),
            ]
            for b in backlog.conferences_to_book
        ],
        child_ids=[p.child_id for p in backlog.reviews_to_book]
        + [c.pk for b in backlog.conferences_to_book for c in b.children],
    )
    tables = [by_iro, review_records, conference_records, reports, to_book]
    download = _download(
        request, tables, title="Business support", filters=filters, what="business support backlog"
    )
    if download:
        return download
    shown = [child_id for table in tables for child_id in table.child_ids]
    if shown:
        access_log_record_list(request=request, child_ids=shown, what="Business support dashboard")
    return render(
        request,
        "reports/dashboards/business_support.html",
        {**filters.context(), "tables": tables, "book_until": backlog.book_until},
    )


# --- the IRO's own page -----------------------------------------------------------------------


@login_required
@permission_required("reports.view_own_iro_page", raise_exception=True)
def my_page(request: HttpRequest) -> HttpResponse:
    """An IRO's caseload, what is due in the next 10 working days, their records outstanding
    and their alerts awaiting a response. The rows name children: logged."""
    iro = staff_member_of(request.user)
    if iro is None:
        return render(request, "reports/dashboards/my_page.html", {"iro": None})
    today = timezone.localdate()
    page = selectors.iro_page(user=request.user, iro=iro, today=today)
    due = Table(
        name="due",
        caption=f"Due by {page.due_until:%d %B %Y} (the next 10 working days)",
        headers=["Child or family", "What", "Due or booked for"],
        rows=[
            [
                cell(p.child.sort_name, reverse("reviews:care-record", args=[p.child_id])),
                cell("LAC review due"),
                cell(p.next_review_due),
            ]
            for p in page.reviews_due
        ]
        + [
            [
                cell(
                    c.family.name if c.family else "", reverse("conferences:conference-detail", args=[c.pk])
                ),
                cell(f"{c.get_conference_type_display()} conference"),
                cell(c.date),
            ]
            for c in page.conferences_due
        ],
        child_ids=[p.child_id for p in page.reviews_due] + conference_child_ids(page.conferences_due),
    )
    records = Table(
        name="records",
        caption="My records outstanding (out of timescale)",
        headers=["Child or family", "Meeting", "Record due", "Days overdue"],
        rows=[
            [
                cell(r.child.sort_name, reverse("reviews:care-record", args=[r.child_id])),
                cell(r.review_date),
                cell(r.record_due),
                cell((today - r.record_due).days if r.record_due else None),
            ]
            for r in page.records_outstanding
        ]
        + [
            [
                cell(
                    c.family.name if c.family else "", reverse("conferences:conference-detail", args=[c.pk])
                ),
                cell(c.date),
                cell(c.record_due),
                cell((today - c.record_due).days if c.record_due else None),
            ]
            for c in page.conference_records_outstanding
        ],
        numeric=[False, False, False, True],
        child_ids=[r.child_id for r in page.records_outstanding]
        + conference_child_ids(page.conference_records_outstanding),
    )
    awaiting = [*page.alerts.awaiting, *page.alerts.overdue, *page.alerts.escalated]
    alerts = Table(
        name="alerts",
        caption="My alerts awaiting a response",
        headers=["Alert", "Raised", "Addressed to", "Stage", "Overdue"],
        rows=[
            [
                cell(f"Alert {a.pk}", reverse("qa_alerts:alert-detail", args=[a.pk])),
                cell(a.raised_on),
                cell(a.practitioner_name),
                cell(a.stage),
                cell(bool(a.is_overdue)),
            ]
            for a in awaiting
        ],
        numeric=[False, False, False, True, False],
    )
    caseload = page.caseload
    summary = Table(
        name="caseload",
        caption="My caseload today",
        headers=[
            "Children in care",
            "Children on plans",
            "HSB referrals (last 12 months)",
            "Open QA concerns",
            "FTE",
            "Children per FTE",
        ],
        rows=[
            [
                cell(caseload.children_in_care),
                cell(caseload.children_on_plans),
                cell(caseload.hsb_referrals),
                cell(caseload.open_alerts),
                cell(float(caseload.fte)),
                cell(caseload.per_fte),
            ]
        ]
        if caseload
        else [],
        numeric=[True] * 6,
    )
    tables = [summary, due, records, alerts]
    download = _download(request, tables, title="My page", filters=None, what="IRO's own page")
    if download:
        return download
    shown = due.child_ids + records.child_ids
    if shown:
        access_log_record_list(request=request, child_ids=shown, what="IRO's own page")
    return render(request, "reports/dashboards/my_page.html", {"iro": iro, "tables": tables, "page": page})
