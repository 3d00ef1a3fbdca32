"""Cafcass involvement and independent legal advice (seed 5.9.8, 5.11)."""

from __future__ import annotations

from django.db.models import Count, Q

from reports.figures.base import FigureQuery, count, figure, iso_day
from reports.figures.cic._common import (
    CAFCASS_ROWS_NEED,
    LEGAL_ADVICE_ROWS_NEED,
    SECTION,
)
from reviews.selectors import (
    cafcass_involvements_for_figures,
    legal_advice_referrals_for_figures,
)


def _cafcass_in_period(query: FigureQuery):
    return cafcass_involvements_for_figures().filter(
        Q(end_date__isnull=True) | Q(end_date__gte=query.start), start_date__lte=query.end
    )


def _cafcass_records(query: FigureQuery) -> list[dict]:
    """One row per child (the figure counts each child once), with the child's first guardian
    appointment in the period and how many there were."""
    rows: dict[int, dict] = {}
    appointments = _cafcass_in_period(query).select_related("child").order_by("child_id", "start_date", "pk")
    for involvement in appointments:
        row = rows.get(involvement.child_id)
        if row is None:
            rows[involvement.child_id] = {
                "child_id": involvement.child_id,
                "child": involvement.child.full_name,
                "local_child_id": involvement.child.local_child_id,
                "guardian": involvement.guardian_name,
                "appointed": iso_day(involvement.start_date),
                "ended": iso_day(involvement.end_date),
                "appointments": 1,
            }
        else:
            row["appointments"] += 1
    return sorted(rows.values(), key=lambda row: (row["appointed"] or "", row["local_child_id"]))


@figure(
    key="lac_cafcass_involvements",
    kind="count",
    section=SECTION,
    label="Children with a Children's Guardian",
    definition="Children with a Cafcass Children's Guardian appointed at any time in the period (the "
    "appointment began on or before the end and had not ended before the start); each child once. "
    "No filters.",
    records=_cafcass_records,
    records_need=CAFCASS_ROWS_NEED,
)
def lac_cafcass_involvements(query: FigureQuery) -> dict:
    return count(_cafcass_in_period(query).aggregate(n=Count("child", distinct=True))["n"])


@figure(
    key="lac_legal_advice_referrals",
    kind="count",
    section=SECTION,
    label="Referrals for independent legal advice",
    definition="Children referred by their IRO for independent legal advice in the period. No filters.",
    records=lambda query: [
        {
            "child_id": referral.child_id,
            "child": referral.child.full_name,
            "local_child_id": referral.child.local_child_id,
            "referred": iso_day(referral.date_referred),
            "reason": referral.reason,
            "outcome": referral.outcome,
        }
        for referral in _legal_advice_in_period(query).select_related("child").order_by("date_referred", "pk")
    ],
    records_need=LEGAL_ADVICE_ROWS_NEED,
)
def lac_legal_advice_referrals(query: FigureQuery) -> dict:
    return count(_legal_advice_in_period(query).count())


def _legal_advice_in_period(query: FigureQuery):
    return legal_advice_referrals_for_figures().filter(
        date_referred__gte=query.start, date_referred__lte=query.end
    )
