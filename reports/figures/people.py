"""Figures about the IRO service itself (docs/figures.md, children in care table)."""

from __future__ import annotations

from iro_service.people.models import Employment
from iro_service.people.selectors import iros_in_post_with_fte
from reports.figures.base import FigureQuery, breakdown, count, figure
from reports.figures.cic._common import iros_in_post_totals

# The rows are about staff, not children: nothing goes to the children's access log.
IRO_ROWS_NEED = ("people.view_staffmember", "people.view_team")


def _iro_rows(query: FigureQuery) -> list[dict]:
    return [
        {
            "iro": iro.full_name,
            "staff_id": iro.pk,
            "team": iro.team.name,
            "fte": float(iro.fte),
            "employment": iro.employment,
        }
        for iro in iros_in_post_with_fte(on=query.end, team_id=query.team_id, iro_id=query.iro_id)
    ]


@figure(
    key="iro_fte_at_end",
    kind="count",
    section="Children in care",
    label="IRO full-time equivalents",
    definition="Sum of the FTE of IROs in post on the end date.",
    records=_iro_rows,
    records_need=IRO_ROWS_NEED,
)
def iro_fte_at_end(query: FigureQuery) -> dict:
    total = iros_in_post_totals(query)["fte"]
    # docs/figures.md gives this figure to 1 dp; the exact sum (12.66 in the seed) goes alongside.
    return {**count(total, decimals=1), "exact": float(total)}


@figure(
    key="iro_staff_at_end",
    kind="breakdown",
    section="Children in care",
    label="IROs in post by employment",
    definition="IROs in post on the end date, by employment (permanent, agency): a head count, not FTE.",
    records=_iro_rows,
    records_need=IRO_ROWS_NEED,
)
def iro_staff_at_end(query: FigureQuery) -> dict:
    totals = iros_in_post_totals(query)
    return breakdown({kind: totals[kind] for kind in Employment.values})
