"""Children in care: how many, started, ceased and under section 20 (docs/figures.md)."""

from __future__ import annotations

from django.db.models import Count

from reports.figures.base import FigureQuery, count, counts, figure, iso_day
from reports.figures.cic._common import (
    ALLOCATION_FILTER,
    PERIOD_ROWS_NEED,
    SECTION,
    STARTED_OR_CEASED_ROWS_NEED,
    _cic_at_end_records,
    _in_care_at_end,
    _period_counts,
    _period_rows,
)
from reviews.selectors import (
    in_care_on,
    legal_status_on,
    periods_of_care_for_figures,
)


@figure(
    key="cic_at_end",
    kind="count",
    section=SECTION,
    label="Children in care at the end of the period",
    definition="Children looked after on the end date: a period of care that started on or before it "
    "and had not ended by it. " + ALLOCATION_FILTER,
    records=_cic_at_end_records,
    records_need=PERIOD_ROWS_NEED,
)
def cic_at_end(query: FigureQuery) -> dict:
    return count(_period_counts(query)["at_end"])


def _started_or_ceased_rows(periods) -> list[dict]:
    """Drill-down rows for periods of care started or ended in the period."""
    return [
        {
            "child_id": period.child_id,
            "child": period.child.full_name,
            "local_child_id": period.child.local_child_id,
            "start_date": iso_day(period.start_date),
            "end_date": iso_day(period.end_date),
        }
        for period in periods.select_related("child")
    ]


def _started_records(query: FigureQuery) -> list[dict]:
    periods = periods_of_care_for_figures(team_id=query.team_id, iro_id=query.iro_id).filter(
        start_date__range=(query.start, query.end)
    )
    return _started_or_ceased_rows(periods.order_by("start_date", "pk"))


@figure(
    key="cic_started",
    kind="count",
    section=SECTION,
    label="Periods of care started",
    definition="Periods of care that started in the period. The team and IRO filters mean the child's "
    "IRO on the day the period started.",
    records=_started_records,
    records_need=STARTED_OR_CEASED_ROWS_NEED,
)
def cic_started(query: FigureQuery) -> dict:
    return count(_period_counts(query)["started"])


def _ceased_records(query: FigureQuery) -> list[dict]:
    periods = periods_of_care_for_figures(
        team_id=query.team_id, iro_id=query.iro_id, allocated_on_field="end_date"
    ).filter(end_date__range=(query.start, query.end))
    return _started_or_ceased_rows(periods.order_by("end_date", "pk"))


@figure(
    key="cic_ceased",
    kind="count",
    section=SECTION,
    label="Periods of care ended",
    definition="Periods of care that ended in the period. The team and IRO filters mean the child's "
    "IRO on the day the period ended.",
    records=_ceased_records,
    records_need=STARTED_OR_CEASED_ROWS_NEED,
)
def cic_ceased(query: FigureQuery) -> dict:
    return count(_period_counts(query)["ended"])


@figure(
    key="cic_s20_at_end",
    kind="count",
    section=SECTION,
    label="Children in care under section 20 at the end of the period",
    definition="Of the children in care on the end date, those whose legal status that day (the episode "
    "covering it) is V2, accommodation under section 20. " + ALLOCATION_FILTER,
    records=lambda query: _period_rows(_in_care_at_end(query).filter(legal_status_on_day="V2")),
    records_need=PERIOD_ROWS_NEED,
)
def cic_s20_at_end(query: FigureQuery) -> dict:
    def build(query: FigureQuery):
        periods = periods_of_care_for_figures().filter(
            in_care_on(on=query.end, team_id=query.team_id, iro_id=query.iro_id)
        )
        return periods.annotate(legal_status_on_day=legal_status_on(query.end)).filter(
            legal_status_on_day="V2"
        ), {"n": Count("pk")}

    return count(counts("cic_s20_at_end", query, build)["n"])
