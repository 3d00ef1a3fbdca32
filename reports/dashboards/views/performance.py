"""The managers' dashboard, one figure's trend, and the records behind a figure."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from iro_service.audit.services import access_log_record_list
from iro_service.core.paging import pagination_links
from reports.charts import CHARTABLE_KINDS, figure_trend, trend_window
from reports.dashboards import selectors
from reports.dashboards.drilldown import COVER, cover_words
from reports.dashboards.exports import Table, cell
from reports.dashboards.views.shared import PAGE_SIZE, Filters, page_download
from reports.figures import REGISTRY, FigureQuery
from reports.figures.base import figures_run, records_child_ids
from reports.selectors import figure_records_for, figure_records_hidden, figure_records_need
from reports.targets import selectors as targets


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
    download = page_download(
        request, [table], title="Performance dashboard", filters=filters, what="dashboard"
    )
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
        with figures_run():
            result = figure.compute(filters.query)
        tables.append(_breakdown_table(figure, result))
    download = page_download(request, tables, title=figure.label, filters=filters, what=key)
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
    # Counted on the primary, as the rows are, so that the number and the rows below it agree.
    result = figure.compute(filters.query)
    # A breakdown has no single number: its parts are shown as a table above the records.
    breakdown = _breakdown_table(figure, result) if figure.kind == "breakdown" else None
    value = None if breakdown else selectors.figure_value(result)
    full = _records_table(key, rows)
    tables = [full, breakdown] if breakdown else [full]
    download = page_download(
        request, tables, title=figure.label, filters=filters, what=f"Figure records: {key}"
    )
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
