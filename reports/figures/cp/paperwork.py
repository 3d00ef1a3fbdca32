"""Child protection figures: the conference paperwork, reports to parents and to the chair and
records distributed, against their cached due dates."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)

from conferences.models import (
    INITIAL_TYPES,
)
from reports.figures.base import FigureQuery, figure, iso_day, rate
from reports.figures.cp._common import (
    CONFERENCE_ROWS_NEED,
    REVIEW_TYPES,
    SECTION,
    _conference_row,
    _held,
)

# The one statement of which conferences the paperwork figures leave out, for their definitions.
PAPERWORK_NOT_IMPORTED = "Conferences imported from a CIN census (no paperwork dates) are left out. "


def _report_rate(rows: QuerySet, done: str, due: str) -> dict:
    # Conferences imported from a CIN census have no paperwork dates to judge.
    totals = rows.filter(paperwork_tracked=True).aggregate(
        all=Count("pk"), on_time=Count("pk", filter=_done_by_due(done, due))
    )
    return rate(totals["on_time"], totals["all"])


def _done_by_due(done: str, due: str) -> Q:
    return Q(**{f"{done}__lte": F(due)})


def _report_rows(rows: QuerySet, done: str, due: str) -> list[dict]:
    """The conferences the rate measures, with the paperwork's due and done dates; ``on_time``
    is the rate's own condition, evaluated by the database (a missing date is not in time)."""
    measured = (
        rows.filter(paperwork_tracked=True)
        .annotate(done_by_due=ExpressionWrapper(_done_by_due(done, due), output_field=BooleanField()))
        .select_related("family", "chair")
        .prefetch_related("children")
        .order_by("date", "pk")
    )
    return [
        _conference_row(
            c, due=iso_day(getattr(c, due)), done=iso_day(getattr(c, done)), on_time=bool(c.done_by_due)
        )
        for c in measured
    ]


def _initial(query: FigureQuery) -> QuerySet:
    return _held(query).filter(conference_type__in=INITIAL_TYPES)


def _review(query: FigureQuery) -> QuerySet:
    return _held(query).filter(conference_type__in=REVIEW_TYPES)


@figure(
    key="icpc_parent_reports_on_time",
    kind="rate",
    section=SECTION,
    label="Initial conferences: report to parents in time",
    definition="Initial conferences (every initial type) held in the period whose social worker's "
    "report reached the parents at least the local number of working days before. "
    + PAPERWORK_NOT_IMPORTED
    + "Filters: the chair.",
    records=lambda query: _report_rows(_initial(query), "report_to_parents_on", "parent_report_due"),
    records_need=CONFERENCE_ROWS_NEED,
)
def icpc_parent_reports_on_time(query: FigureQuery) -> dict:
    return _report_rate(_initial(query), "report_to_parents_on", "parent_report_due")


@figure(
    key="icpc_chair_reports_on_time",
    kind="rate",
    section=SECTION,
    label="Initial conferences: report to the chair in time",
    definition="Initial conferences (every initial type) held in the period whose social worker's "
    "report reached the chair at least the local number of working days before. "
    + PAPERWORK_NOT_IMPORTED
    + "Filters: the chair.",
    records=lambda query: _report_rows(_initial(query), "report_to_chair_on", "chair_report_due"),
    records_need=CONFERENCE_ROWS_NEED,
)
def icpc_chair_reports_on_time(query: FigureQuery) -> dict:
    return _report_rate(_initial(query), "report_to_chair_on", "chair_report_due")


@figure(
    key="rcpc_reports_on_time",
    kind="rate",
    section=SECTION,
    label="Review conferences: report to parents in time",
    definition="Review conferences held in the period whose social worker's report reached the "
    "parents at least the local number of working days before (seed 6.9 measures the parents). "
    + PAPERWORK_NOT_IMPORTED
    + "Filters: the chair.",
    records=lambda query: _report_rows(_review(query), "report_to_parents_on", "parent_report_due"),
    records_need=CONFERENCE_ROWS_NEED,
)
def rcpc_reports_on_time(query: FigureQuery) -> dict:
    return _report_rate(_review(query), "report_to_parents_on", "parent_report_due")


@figure(
    key="cp_records_on_time",
    kind="rate",
    section=SECTION,
    label="Conference records distributed in time",
    definition="Conferences held in the period whose record and plan were distributed within the "
    "local number of working days. " + PAPERWORK_NOT_IMPORTED + "Filters: the chair.",
    records=lambda query: _report_rows(_held(query), "record_distributed_on", "record_due"),
    records_need=CONFERENCE_ROWS_NEED,
)
def cp_records_on_time(query: FigureQuery) -> dict:
    return _report_rate(_held(query), "record_distributed_on", "record_due")
