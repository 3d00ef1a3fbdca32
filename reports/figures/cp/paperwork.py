"""Child protection figures: the conference paperwork, reports to parents and to the chair and
records distributed, against their cached due dates."""

from __future__ import annotations

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
)

from conferences.models import (
    INITIAL_TYPES,
)
from reports.figures.base import FigureQuery, figure, rate
from reports.figures.cp._common import (
    REVIEW_TYPES,
    SECTION,
    _held,
)

# The one statement of which conferences the paperwork figures leave out, for their definitions.
PAPERWORK_NOT_IMPORTED = "Conferences imported from a CIN census (no paperwork dates) are left out. "


def _report_rate(rows: QuerySet, done: str, due: str) -> dict:
    # Conferences imported from a CIN census have no paperwork dates to judge.
    totals = rows.filter(paperwork_tracked=True).aggregate(
        all=Count("pk"), on_time=Count("pk", filter=Q(**{f"{done}__lte": F(due)}))
    )
    return rate(totals["on_time"], totals["all"])


@figure(
    key="icpc_parent_reports_on_time",
    kind="rate",
    section=SECTION,
    label="Initial conferences: report to parents in time",
    definition="Initial conferences (every initial type) held in the period whose social worker's "
    "report reached the parents at least the local number of working days before. "
    + PAPERWORK_NOT_IMPORTED
    + "Filters: the chair.",
)
def icpc_parent_reports_on_time(query: FigureQuery) -> dict:
    rows = _held(query).filter(conference_type__in=INITIAL_TYPES)
    return _report_rate(rows, "report_to_parents_on", "parent_report_due")


@figure(
    key="icpc_chair_reports_on_time",
    kind="rate",
    section=SECTION,
    label="Initial conferences: report to the chair in time",
    definition="Initial conferences (every initial type) held in the period whose social worker's "
    "report reached the chair at least the local number of working days before. "
    + PAPERWORK_NOT_IMPORTED
    + "Filters: the chair.",
)
def icpc_chair_reports_on_time(query: FigureQuery) -> dict:
    rows = _held(query).filter(conference_type__in=INITIAL_TYPES)
    return _report_rate(rows, "report_to_chair_on", "chair_report_due")


@figure(
    key="rcpc_reports_on_time",
    kind="rate",
    section=SECTION,
    label="Review conferences: report to parents in time",
    definition="Review conferences held in the period whose social worker's report reached the "
    "parents at least the local number of working days before (seed 6.9 measures the parents). "
    + PAPERWORK_NOT_IMPORTED
    + "Filters: the chair.",
)
def rcpc_reports_on_time(query: FigureQuery) -> dict:
    rows = _held(query).filter(conference_type__in=REVIEW_TYPES)
    return _report_rate(rows, "report_to_parents_on", "parent_report_due")


@figure(
    key="cp_records_on_time",
    kind="rate",
    section=SECTION,
    label="Conference records distributed in time",
    definition="Conferences held in the period whose record and plan were distributed within the "
    "local number of working days. " + PAPERWORK_NOT_IMPORTED + "Filters: the chair.",
)
def cp_records_on_time(query: FigureQuery) -> dict:
    return _report_rate(_held(query), "record_distributed_on", "record_due")
