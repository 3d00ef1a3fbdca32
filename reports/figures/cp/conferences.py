"""Child protection figures: conferences held, by type and stood down, and whether initial and
review conferences were held in time (docs/figures.md, "Child protection", first rows)."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from conferences.models import (
    ConferenceStatus,
    ConferenceType,
    StoodDownReason,
)
from conferences.selectors import (
    s47_enquiries_for_figures,
    stage_links_for_figures,
)
from iro_service.timescales.selectors import timescale_settings
from iro_service.timescales.sql import WorkingDaysAfter, non_working_weekdays
from reports.figures.base import FigureQuery, breakdown, count, counts, figure, iso_day, rate
from reports.figures.cp._common import (
    CONFERENCE_ROWS_NEED,
    ICPC_TIMESCALE_TYPES,
    REVIEW_STAGE_VALUES,
    REVIEW_TYPES,
    SECTION,
    _conference_row,
    _conferences,
    _held,
    _in_period,
    _years_before,
)


def _conference_counts(query: FigureQuery) -> dict:
    """The conferences of the period held (``held``) and stood down on the day (``stood_down``):
    one query for the two figures counting them."""

    def build(query: FigureQuery):
        return _conferences(query).filter(_in_period(query)), {
            "held": Count("pk", filter=Q(status=ConferenceStatus.HELD)),
            "stood_down": Count("pk", filter=Q(status=ConferenceStatus.STOOD_DOWN)),
        }

    return counts("cp_conferences", query, build)


def _held_rows(query: FigureQuery) -> list[dict]:
    """The conferences held in the period, with the children considered at each."""
    rows = _held(query).select_related("family", "chair").prefetch_related("children").order_by("date", "pk")
    return [_conference_row(c) for c in rows]


@figure(
    key="cp_conferences_held",
    kind="count",
    section=SECTION,
    label="Child protection conferences held",
    definition="Conferences held in the period (stood-down ones not counted). Filters: the chair.",
    records=_held_rows,
    records_need=CONFERENCE_ROWS_NEED,
)
def cp_conferences_held(query: FigureQuery) -> dict:
    return count(_conference_counts(query)["held"])


@figure(
    key="cp_conferences_by_type",
    kind="breakdown",
    section=SECTION,
    label="Conferences held by type",
    definition="Conferences held in the period by conference type, combined types counted under "
    "their own type. Filters: the chair.",
    records=_held_rows,
    records_need=CONFERENCE_ROWS_NEED,
)
def cp_conferences_by_type(query: FigureQuery) -> dict:
    def build(query: FigureQuery):
        return _held(query), {
            kind: Count("pk", filter=Q(conference_type=kind)) for kind in ConferenceType.values
        }

    return breakdown(counts("cp_conferences_by_type", query, build))


def _stood_down_rows(query: FigureQuery) -> list[dict]:
    rows = (
        _conferences(query)
        .filter(_in_period(query), status=ConferenceStatus.STOOD_DOWN)
        .select_related("family", "chair", "rearranged_as")
        .prefetch_related("children")
        .order_by("date", "pk")
    )
    return [
        _conference_row(
            c,
            reason=c.stood_down_reason,
            detail=c.stood_down_detail,
            rearranged_to=iso_day(c.rearranged_as.date) if c.rearranged_as else None,
        )
        for c in rows
    ]


@figure(
    key="cp_conferences_stood_down",
    kind="rate",
    section=SECTION,
    label="Conferences stood down on the day",
    definition="Conferences stood down on the day in the period over conferences held plus stood "
    "down in the period. Filters: the chair.",
    records=_stood_down_rows,
    records_need=CONFERENCE_ROWS_NEED,
)
def cp_conferences_stood_down(query: FigureQuery) -> dict:
    totals = _conference_counts(query)
    return rate(totals["stood_down"], totals["stood_down"] + totals["held"])


@figure(
    key="cp_stood_down_reasons",
    kind="breakdown",
    section=SECTION,
    label="Why conferences were stood down",
    definition="Conferences stood down on the day in the period, by reason. Filters: the chair.",
    records=_stood_down_rows,
    records_need=CONFERENCE_ROWS_NEED,
)
def cp_stood_down_reasons(query: FigureQuery) -> dict:
    def build(query: FigureQuery):
        stood_down = _conferences(query).filter(_in_period(query), status=ConferenceStatus.STOOD_DOWN)
        reasons = {
            reason: Count("pk", filter=Q(stood_down_reason=reason)) for reason in StoodDownReason.values
        }
        return stood_down, reasons

    return breakdown(counts("cp_stood_down_reasons", query, build))


def _late_stage(stages) -> Exists:
    """The conference has a child at one of ``stages`` whose stage was due before the
    conference date, or whose due date cannot be worked out (no clock recorded)."""
    return Exists(
        stage_links_for_figures().filter(
            Q(due_date__isnull=True) | Q(due_date__lt=OuterRef("date")),
            conference=OuterRef("pk"),
            stage__in=stages,
        )
    )


# An initial conference imported from a CIN census for a child with no section 47 enquiry (the
# census gives the date but no start to measure from) is not measured; the DfE does not either.
UNMEASURABLE_IMPORTED = Q(paperwork_tracked=False, strategy_discussion__isnull=True)


def _icpcs(query: FigureQuery) -> QuerySet:
    return (
        _held(query)
        .filter(conference_type__in=ICPC_TIMESCALE_TYPES)
        .exclude(UNMEASURABLE_IMPORTED)
        .annotate(late=_late_stage(["initial"]))
    )


def _rcpcs(query: FigureQuery) -> QuerySet:
    return (
        _held(query).filter(conference_type__in=REVIEW_TYPES).annotate(late=_late_stage(REVIEW_STAGE_VALUES))
    )


def _timeliness_rows(rows: QuerySet) -> list[dict]:
    return [
        _conference_row(c, due_date=iso_day(c.due_date), on_time=not c.late)
        for c in rows.select_related("family", "chair").prefetch_related("children").order_by("date", "pk")
    ]


@figure(
    key="icpc_on_time",
    kind="rate",
    section=SECTION,
    label="Initial conferences held in time",
    definition="Initial conferences held in the period (Initial, Initial / Pre-birth Initial and "
    "Initial re-convened; not receiving-in or pre-birth) at which every child at the initial "
    "stage was within the local number of working days of the strategy discussion. A conference "
    "imported from a CIN census with no section 47 enquiry is not measured. Filters: the chair.",
    records=lambda query: _timeliness_rows(_icpcs(query)),
    records_need=CONFERENCE_ROWS_NEED,
)
def icpc_on_time(query: FigureQuery) -> dict:
    totals = _icpcs(query).aggregate(all=Count("pk"), on_time=Count("pk", filter=Q(late=False)))
    return rate(totals["on_time"], totals["all"])


def _closed_days(start: date, end: date) -> list[date]:
    """Weekdays that are not working days, from well before the period to its end: a fixed
    list for the period, not for the data."""
    return non_working_weekdays(_years_before(start, 1), end)


def _s47_measured(query: FigureQuery) -> QuerySet:
    """The conferences of icpc_on_time with the earliest section 47 start of their strategy
    discussion and the working days from it to the conference."""
    s47_start = Subquery(
        s47_enquiries_for_figures()
        .filter(strategy_discussion=OuterRef("strategy_discussion"))
        .order_by("start_date")
        .values("start_date")[:1]
    )
    return (
        _held(query)
        .filter(conference_type__in=ICPC_TIMESCALE_TYPES)
        .exclude(UNMEASURABLE_IMPORTED)
        .annotate(s47_start=s47_start)
        .annotate(s47_days=WorkingDaysAfter(F("s47_start"), F("date"), _closed_days(query.start, query.end)))
    )


def _s47_rows(query: FigureQuery) -> list[dict]:
    days = timescale_settings().icpc_days_from_strategy
    rows = _s47_measured(query).select_related("family", "chair").prefetch_related("children")
    return [
        _conference_row(
            c,
            s47_started=iso_day(c.s47_start),
            # No start recorded: nothing to count from (the SQL function gives 0), not in time.
            working_days_from_s47=c.s47_days if c.s47_start else None,
            on_time=c.s47_start is not None and c.s47_days <= days,
        )
        for c in rows.order_by("date", "pk")
    ]


@figure(
    key="icpc_within_15wd_of_s47",
    kind="rate",
    section=SECTION,
    label="Initial conferences within the timescale of the s47 start (DfE)",
    definition="The conferences of icpc_on_time, measured from the earliest section 47 start date "
    "of the strategy discussion (the DfE measure); no recorded start counts as not in time, except "
    "for a conference imported from a CIN census with no section 47 enquiry, which is not measured. "
    "Filters: the chair.",
    records=_s47_rows,
    records_need=CONFERENCE_ROWS_NEED,
)
def icpc_within_15wd_of_s47(query: FigureQuery) -> dict:
    days = timescale_settings().icpc_days_from_strategy
    totals = _s47_measured(query).aggregate(
        all=Count("pk"), on_time=Count("pk", filter=Q(s47_start__isnull=False, s47_days__lte=days))
    )
    return rate(totals["on_time"], totals["all"])


@figure(
    key="rcpc_on_time",
    kind="rate",
    section=SECTION,
    label="Review conferences held in time",
    definition="Review conferences held in the period (every type with a review in it) at which "
    "every child at a review stage was within 3 months of the initial conference (first review) "
    "or 6 months of the previous one. Filters: the chair.",
    records=lambda query: _timeliness_rows(_rcpcs(query)),
    records_need=CONFERENCE_ROWS_NEED,
)
def rcpc_on_time(query: FigureQuery) -> dict:
    totals = _rcpcs(query).aggregate(all=Count("pk"), on_time=Count("pk", filter=Q(late=False)))
    return rate(totals["on_time"], totals["all"])
