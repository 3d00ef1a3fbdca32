"""The IRO service: children in care per IRO FTE and chair continuity."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q

from reports.figures.base import FigureQuery, count, figure, rate
from reports.figures.cic._common import (
    ALLOCATION_FILTER,
    CONTINUITY_ROWS_NEED,
    PERIOD_ROWS_NEED,
    SECTION,
    _cic_at_end_records,
    _period_counts,
    iros_in_post_totals,
)
from reviews.selectors import (
    lac_reviews_for_figures,
)


@figure(
    key="iro_cic_per_fte",
    kind="count",
    section=SECTION,
    label="Children in care per full-time IRO",
    definition="Children in care on the end date divided by the FTE of IROs in post that day (IRO "
    "Handbook guidance: 50 to 70). With a filter, the team's or IRO's children over their FTE.",
    # The rows are the children counted; the FTE they are divided by is iro_fte_at_end's rows.
    records=_cic_at_end_records,
    records_need=PERIOD_ROWS_NEED,
)
def iro_cic_per_fte(query: FigureQuery) -> dict:
    children = _period_counts(query)["at_end"]
    fte = iros_in_post_totals(query)["fte"]
    if not fte:
        return count(None)
    return {**count(Decimal(children) / Decimal(fte), decimals=1), "children": children, "fte": float(fte)}


def _continuity_rows(query: FigureQuery):
    reviews = lac_reviews_for_figures(team_id=query.team_id, iro_id=query.iro_id, allocated_on=query.end)
    return (
        reviews.filter(review_date__range=(query.start, query.end))
        .values("child")
        .annotate(reviews=Count("pk"), chairs=Count("chair", distinct=True))
        .filter(reviews__gte=2)
    )


def _continuity_records(query: FigureQuery) -> list[dict]:
    rows = _continuity_rows(query).values(
        "child", "child__local_child_id", "child__first_name", "child__last_name", "reviews", "chairs"
    )
    return sorted(
        (
            {
                "child_id": row["child"],
                "child": f"{row['child__first_name']} {row['child__last_name']}",
                "local_child_id": row["child__local_child_id"],
                "reviews": row["reviews"],
                "chairs": row["chairs"],
                "same_iro": row["chairs"] == 1,
            }
            for row in rows
        ),
        key=lambda row: (row["same_iro"], row["local_child_id"]),
    )


@figure(
    key="iro_continuity",
    kind="rate",
    section=SECTION,
    label="Children whose reviews were all chaired by the same IRO",
    definition="Of the children with two or more reviews in the period, those whose reviews were all "
    "chaired by the same IRO. " + ALLOCATION_FILTER,
    records=_continuity_records,
    records_need=CONTINUITY_ROWS_NEED,
)
def iro_continuity(query: FigureQuery) -> dict:
    totals = _continuity_rows(query).aggregate(
        children=Count("child"), same=Count("child", filter=Q(chairs=1))
    )
    return rate(totals["same"], totals["children"])
