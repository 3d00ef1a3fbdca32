"""IRO caseloads per IRO and per team, against the IRO Handbook's 50 to 70."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reports.dashboards import selectors
from reports.dashboards.exports import Table, cell
from reports.dashboards.views.shared import Filters, paged_table, paged_tables_download


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

    def continuity_table(data):
        return Table(
            name="continuity",
            caption="Chair continuity per family (review conferences in the period)",
            headers=[
                "Family",
                "Review conferences",
                "Same chair as the one before",
                "Chairs",
                "Continuity %",
            ],
            rows=[
                [cell(f.family), cell(f.reviews), cell(f.same_chair), cell(f.chairs), cell(f.rate)]
                for f in data
            ],
            numeric=[False, True, True, True, True],
        )

    iros_caption = f"Caseloads per IRO on {on:%d %B %Y}"
    teams_caption = f"Caseloads per team on {on:%d %B %Y}"
    lists = {
        "iros": (rows, lambda data: caseload_table("iros", iros_caption, data)),
        "teams": (selectors.team_caseloads(rows), lambda data: caseload_table("teams", teams_caption, data)),
        "continuity": (
            selectors.chair_continuity_by_family(
                period=filters.period, team_id=filters.team_id, iro_id=filters.iro_id
            ),
            continuity_table,
        ),
    }
    download = paged_tables_download(request, lists, title="IRO caseloads", filters=filters, what="caseloads")
    if download:
        return download
    # Nationally 6,250 IROs and 3,251 teams: each table is shown a page at a time (drawn whole,
    # the page took 4 s); a download is the whole table.
    iros, teams, continuity = (
        paged_table(request, name, items, make) for name, (items, make) in lists.items()
    )
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
