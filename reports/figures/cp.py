"""Child protection figures (docs/figures.md, "Child protection" table).

Every figure is one database aggregate over a conferences selector: conditional counts
(``Count(..., filter=Q(...))``) comparing the cached due-date columns in SQL, so the number of
queries never depends on how many conferences or plans there are.

Filters: conference figures filter on the conference's chair (``chair__team_id`` / ``chair_id``).
Plan figures filter on the chair of the child's most recent held conference on or before the day
that matters: ``end`` for figures "at end", each quarter end for the series, the plan's start
(or end) date for plans started (or ended) in the period.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from conferences.models import (
    INITIAL_TYPES,
    AbuseCategory,
    Agency,
    AppealOutcome,
    Appellant,
    ChildStage,
    ConferenceStatus,
    ConferenceType,
    StoodDownReason,
)
from conferences.selectors import (
    LONG_PLAN_MONTHS,
    REPEAT_WITHIN_MONTHS,
    appeals_for_figures,
    conferences_for_figures,
    held_links_for_figures,
    invitations_for_figures,
    plans_for_figures,
    s47_enquiries_for_figures,
    stage_links_for_figures,
    structured_review_cutoff,
)
from iro_service.people.models import Disability, StaffMember
from iro_service.timescales.dates import is_working_day
from iro_service.timescales.selectors import timescale_settings
from reports.figures.base import FigureQuery, breakdown, count, figure, quarter_ends, rate, series

SECTION = "Child protection"

# Initial conferences measured against the strategy discussion: a receiving-in conference runs
# from the transfer notification and a pre-birth one from the gestation date (figures.md).
ICPC_TIMESCALE_TYPES = sorted(
    INITIAL_TYPES - {ConferenceType.INITIAL_RECEIVING_IN, ConferenceType.INITIAL_PRE_BIRTH}
)
REVIEW_TYPES = sorted(set(ConferenceType.values) - INITIAL_TYPES)
REVIEW_STAGE_VALUES = [ChildStage.FIRST_REVIEW, ChildStage.REVIEW]
# Plans ended "under 3 months" (figures.md); the 2-year rules are the conferences app's own.
SHORT_PLAN_MONTHS = 3
AGE_BANDS = [("0-4", 0, 4), ("5-9", 5, 9), ("10-15", 10, 15), ("16+", 16, None)]

# What a user must be allowed to see to be shown each kind of drill-down row (Figure.records_need).
# A conference's row shows the conference, its family and chair, and is about the children
# considered at it, who are written to the access log.
CONFERENCE_ROWS_NEED = (
    "conferences.view_conference",
    "conferences.view_conferencechild",
    "people.view_family",
    "people.view_staffmember",
)
PLAN_ROWS_NEED = ("people.view_child", "conferences.view_childprotectionplan")


class AddMonths(Func):
    """``date + N months`` in PostgreSQL, which clamps to the month's last day exactly like
    timescales.dates.add_months (31 Aug + 6 months = 28 Feb)."""

    output_field = DateField()

    def __init__(self, expression, months: int):
        super().__init__(expression, template=f"(%(expressions)s + interval '{int(months)} months')::date")


class WorkingDaysAfter(Func):
    """How many working days after ``start`` ``day`` is (``start`` is day 0), counted in SQL
    from a list of the non-working weekdays the timescales module knows about."""

    output_field = IntegerField()

    def __init__(self, start, day, closed_days: list[date]):
        self.closed_days = closed_days
        super().__init__(start, day)

    def as_sql(self, compiler, connection, **extra):
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        day_sql, day_params = compiler.compile(self.source_expressions[1])
        sql = (
            f"(SELECT count(*) FROM generate_series(({start_sql}) + 1, ({day_sql}), interval '1 day') AS g(d)"
            " WHERE extract(isodow FROM g.d) < 6 AND NOT (g.d::date = ANY(%s::date[])))"
        )
        return sql, (*start_params, *day_params, self.closed_days)


# --- helpers --------------------------------------------------------------------------------


def _conferences(query: FigureQuery) -> QuerySet:
    rows = conferences_for_figures()
    if query.team_id is not None:
        rows = rows.filter(chair__team_id=query.team_id)
    if query.iro_id is not None:
        rows = rows.filter(chair_id=query.iro_id)
    return rows


def _in_period(query: FigureQuery) -> Q:
    return Q(date__gte=query.start, date__lte=query.end)


def _held(query: FigureQuery) -> QuerySet:
    return _conferences(query).filter(_in_period(query), status=ConferenceStatus.HELD)


def _chair_on(day) -> Subquery:
    """The chair of the child's latest held conference on or before ``day`` (a date or an
    expression such as ``OuterRef("start_date")``)."""
    latest = (
        held_links_for_figures()
        .filter(child=OuterRef("child"), conference__date__lte=day)
        .order_by("-conference__date", "-conference_id")
    )
    return Subquery(latest.values("conference__chair_id")[:1])


def _chair_filter(query: FigureQuery, name: str) -> Q:
    """Rows whose annotated chair ``name`` is the query's IRO, or one of its team's IROs (the
    team through a subquery on staff, so that the per-row subquery stays a single index read)."""
    condition = Q()
    if query.team_id is not None:
        team_iros = StaffMember.objects.filter(team_id=query.team_id).values("pk")
        condition &= Q(**{f"{name}__in": team_iros})
    if query.iro_id is not None:
        condition &= Q(**{name: query.iro_id})
    return condition


def _plans(query: FigureQuery, *, on) -> QuerySet:
    """Plans filtered by the chair of each child's latest held conference on or before ``on``."""
    rows = plans_for_figures()
    if query.team_id is None and query.iro_id is None:
        return rows
    return rows.annotate(chair_at=_chair_on(on)).filter(_chair_filter(query, "chair_at"))


def _open_on(day) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


def _multiple() -> Q:
    return Q(categories_not_itemised=True) | Q(categories__len__gt=1)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _d(day) -> str | None:
    return day.isoformat() if day else None


# --- conferences ----------------------------------------------------------------------------


@figure(
    key="cp_conferences_held",
    kind="count",
    section=SECTION,
    label="Child protection conferences held",
    definition="Conferences held in the period (stood-down ones not counted). Filters: the chair.",
)
def cp_conferences_held(query: FigureQuery) -> dict:
    return count(_held(query).aggregate(n=Count("pk"))["n"])


@figure(
    key="cp_conferences_by_type",
    kind="breakdown",
    section=SECTION,
    label="Conferences held by type",
    definition="Conferences held in the period by conference type, combined types counted under "
    "their own type. Filters: the chair.",
)
def cp_conferences_by_type(query: FigureQuery) -> dict:
    totals = _held(query).aggregate(
        **{kind: Count("pk", filter=Q(conference_type=kind)) for kind in ConferenceType.values}
    )
    return breakdown(totals)


def _stood_down_rows(query: FigureQuery) -> list[dict]:
    rows = (
        _conferences(query)
        .filter(_in_period(query), status=ConferenceStatus.STOOD_DOWN)
        .select_related("family", "chair", "rearranged_as")
        .prefetch_related("children")
        .order_by("date", "pk")
    )
    return [
        {
            "conference_id": c.pk,
            "child_ids": sorted(link.child_id for link in c.children.all()),
            "date": _d(c.date),
            "type": c.conference_type,
            "family": c.family.reference,
            "chair": c.chair.full_name if c.chair else "",
            "reason": c.stood_down_reason,
            "detail": c.stood_down_detail,
            "rearranged_to": _d(c.rearranged_as.date) if c.rearranged_as else None,
        }
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
    totals = _conferences(query).aggregate(
        stood_down=Count("pk", filter=_in_period(query) & Q(status=ConferenceStatus.STOOD_DOWN)),
        held=Count("pk", filter=_in_period(query) & Q(status=ConferenceStatus.HELD)),
    )
    return rate(totals["stood_down"], totals["stood_down"] + totals["held"])


@figure(
    key="cp_stood_down_reasons",
    kind="breakdown",
    section=SECTION,
    label="Why conferences were stood down",
    definition="Conferences stood down on the day in the period, by reason. Filters: the chair.",
)
def cp_stood_down_reasons(query: FigureQuery) -> dict:
    stood_down = _conferences(query).filter(_in_period(query), status=ConferenceStatus.STOOD_DOWN)
    return breakdown(
        stood_down.aggregate(
            **{reason: Count("pk", filter=Q(stood_down_reason=reason)) for reason in StoodDownReason.values}
        )
    )


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
        {
            "conference_id": c.pk,
            "child_ids": sorted(link.child_id for link in c.children.all()),
            "date": _d(c.date),
            "type": c.conference_type,
            "family": c.family.reference,
            "chair": c.chair.full_name if c.chair else "",
            "due_date": _d(c.due_date),
            "on_time": not c.late,
        }
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
    day, closed = _years_before(start, 1), []
    while day <= end:
        if day.weekday() < 5 and not is_working_day(day):
            closed.append(day)
        day += timedelta(days=1)
    return closed


@figure(
    key="icpc_within_15wd_of_s47",
    kind="rate",
    section=SECTION,
    label="Initial conferences within the timescale of the s47 start (DfE)",
    definition="The conferences of icpc_on_time, measured from the earliest section 47 start date "
    "of the strategy discussion (the DfE measure); no recorded start counts as not in time, except "
    "for a conference imported from a CIN census with no section 47 enquiry, which is not measured. "
    "Filters: the chair.",
)
def icpc_within_15wd_of_s47(query: FigureQuery) -> dict:
    days = timescale_settings().icpc_days_from_strategy
    s47_start = Subquery(
        s47_enquiries_for_figures()
        .filter(strategy_discussion=OuterRef("strategy_discussion"))
        .order_by("start_date")
        .values("start_date")[:1]
    )
    rows = (
        _held(query)
        .filter(conference_type__in=ICPC_TIMESCALE_TYPES)
        .exclude(UNMEASURABLE_IMPORTED)
        .annotate(s47_start=s47_start)
        .annotate(s47_days=WorkingDaysAfter(F("s47_start"), F("date"), _closed_days(query.start, query.end)))
    )
    totals = rows.aggregate(
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


@figure(
    key="cp_chair_continuity",
    kind="rate",
    section=SECTION,
    label="Review conferences with the same chair as before",
    definition="Review conferences held in the period chaired by the IRO who chaired the family's "
    "previous held conference. Filters: the chair.",
)
def cp_chair_continuity(query: FigureQuery) -> dict:
    previous_chair = Subquery(
        conferences_for_figures()
        .filter(family=OuterRef("family"), status=ConferenceStatus.HELD, date__lt=OuterRef("date"))
        .order_by("-date", "-pk")
        .values("chair_id")[:1]
    )
    rows = _held(query).filter(conference_type__in=REVIEW_TYPES).annotate(previous_chair=previous_chair)
    totals = rows.aggregate(all=Count("pk"), same=Count("pk", filter=Q(previous_chair=F("chair_id"))))
    return rate(totals["same"], totals["all"])


@figure(
    key="cp_agency_attendance",
    kind="breakdown",
    section=SECTION,
    label="Agency contribution to conferences",
    definition="Per agency, at conferences held in the period: invited, attended, report submitted. "
    "Filters: the chair.",
)
def cp_agency_attendance(query: FigureQuery) -> dict:
    rows = invitations_for_figures().filter(
        conference__in=_held(query).values("pk"),
    )
    aggregates = {}
    for agency in Agency.values:
        aggregates[f"{agency}__invited"] = Count("pk", filter=Q(agency=agency, invited=True))
        aggregates[f"{agency}__attended"] = Count("pk", filter=Q(agency=agency, attended=True))
        aggregates[f"{agency}__report_submitted"] = Count(
            "pk", filter=Q(agency=agency, report_submitted=True)
        )
    totals = rows.aggregate(**aggregates)
    return breakdown(
        {
            agency: {
                part: totals[f"{agency}__{part}"] for part in ("invited", "attended", "report_submitted")
            }
            for agency in Agency.values
        }
    )


@figure(
    key="cp_appeals",
    kind="breakdown",
    section=SECTION,
    label="Appeals and complaints",
    definition="Appeals and complaints received in the period, by appellant and outcome, with the "
    "stage reached. Filters: the chair of the conference appealed against.",
)
def cp_appeals(query: FigureQuery) -> dict:
    rows = appeals_for_figures().filter(received_on__gte=query.start, received_on__lte=query.end)
    if query.team_id is not None:
        rows = rows.filter(conference__chair__team_id=query.team_id)
    if query.iro_id is not None:
        rows = rows.filter(conference__chair_id=query.iro_id)
    aggregates = {}
    for appellant in Appellant.values:
        aggregates[f"{appellant}__total"] = Count("pk", filter=Q(appellant=appellant))
        aggregates[f"{appellant}__stage_2_or_3"] = Count("pk", filter=Q(appellant=appellant, stage__gte=2))
        for outcome in AppealOutcome.values:
            aggregates[f"{appellant}__{outcome}"] = Count(
                "pk", filter=Q(appellant=appellant, outcome=outcome)
            )
    totals = rows.aggregate(**aggregates)
    return breakdown(
        {
            appellant: {
                "total": totals[f"{appellant}__total"],
                "stage_2_or_3": totals[f"{appellant}__stage_2_or_3"],
                **{outcome: totals[f"{appellant}__{outcome}"] for outcome in AppealOutcome.values},
            }
            for appellant in Appellant.values
        }
    )


# --- plans ----------------------------------------------------------------------------------


def _plan_rows(rows: QuerySet, on: date) -> list[dict]:
    return [
        {
            "plan_id": plan.pk,
            "child_id": plan.child_id,
            "child": plan.child.local_child_id,
            "start_date": _d(plan.start_date),
            "end_date": _d(plan.end_date),
            "categories": plan.categories,
            "age_on_end": plan.child.age_on(on),
            "is_repeat": plan.is_repeat,
            "previous_plan_ended": _d(plan.previous_plan_ended),
        }
        for plan in rows.select_related("child").order_by("start_date", "pk")
    ]


@figure(
    key="cp_plans_at_end",
    kind="count",
    section=SECTION,
    label="Children on a child protection plan",
    definition="Children with a plan open on the end date. Filters: the chair of the child's most "
    "recent held conference on or before the end date.",
    records=lambda query: _plan_rows(
        _plans(query, on=query.end).filter(_open_on(query.end)).with_repeat_facts(), query.end
    ),
    records_need=PLAN_ROWS_NEED,
)
def cp_plans_at_end(query: FigureQuery) -> dict:
    rows = _plans(query, on=query.end).filter(_open_on(query.end))
    return count(rows.aggregate(n=Count("child", distinct=True))["n"])


@figure(
    key="cp_plans_started",
    kind="count",
    section=SECTION,
    label="Plans started",
    definition="Plans started in the period. Filters: the chair of the conference that started it.",
)
def cp_plans_started(query: FigureQuery) -> dict:
    rows = _plans(query, on=OuterRef("start_date"))
    return count(
        rows.filter(start_date__gte=query.start, start_date__lte=query.end).aggregate(n=Count("pk"))["n"]
    )


def _ended(query: FigureQuery) -> QuerySet:
    return _plans(query, on=OuterRef("end_date")).filter(end_date__gte=query.start, end_date__lte=query.end)


@figure(
    key="cp_plans_ended",
    kind="count",
    section=SECTION,
    label="Plans ended",
    definition="Plans ended in the period. Filters: the chair of the conference that ended it.",
)
def cp_plans_ended(query: FigureQuery) -> dict:
    return count(_ended(query).aggregate(n=Count("pk"))["n"])


def _started(query: FigureQuery) -> QuerySet:
    rows = (
        _plans(query, on=OuterRef("start_date"))
        .filter(start_date__gte=query.start, start_date__lte=query.end)
        .with_repeat_facts()
    )
    # NULL when there is no earlier plan, and NULL >= start is not true: not a 2-year repeat.
    return rows.annotate(repeat_by=AddMonths(F("previous_plan_ended"), REPEAT_WITHIN_MONTHS))


def _within_2y() -> Q:
    return Q(previous_plan_ended__isnull=False, repeat_by__gte=F("start_date"))


@figure(
    key="cp_repeat_plans",
    kind="rate",
    section=SECTION,
    label="Repeat child protection plans",
    definition="Plans started in the period for a child who had any earlier plan, however long ago "
    "(or for whom an import declared one: the national measure), over plans started in the period. "
    "Filters: the chair of the conference that started the plan.",
    records=lambda query: _plan_rows(_started(query).filter(is_repeat=True), query.end),
    records_need=PLAN_ROWS_NEED,
)
def cp_repeat_plans(query: FigureQuery) -> dict:
    totals = _started(query).aggregate(all=Count("pk"), repeat=Count("pk", filter=Q(is_repeat=True)))
    return rate(totals["repeat"], totals["all"])


@figure(
    key="cp_repeat_plans_2y",
    kind="rate",
    section=SECTION,
    label="Repeat plans within 2 years",
    definition="Plans started in the period whose child's previous plan ended within 2 years before "
    "the new start, over plans started in the period. Filters: the chair of the conference that "
    "started the plan.",
)
def cp_repeat_plans_2y(query: FigureQuery) -> dict:
    totals = _started(query).aggregate(all=Count("pk"), repeat=Count("pk", filter=_within_2y()))
    return rate(totals["repeat"], totals["all"])


@figure(
    key="cp_multiple_categories",
    kind="series",
    section=SECTION,
    label="Plans with more than one category (quarter ends)",
    definition="At each quarter end E in the period: plans open on E with more than one category of "
    "abuse (or imported as MUL), with the open plans as denominator. Filters: the chair of the "
    "child's most recent held conference on or before E.",
)
def cp_multiple_categories(query: FigureQuery) -> dict:
    ends = quarter_ends(query.start, query.end)
    rows = plans_for_figures()
    if ends:
        # Only plans open at some quarter end can count: keeps the per-row subqueries few.
        rows = rows.filter(start_date__lte=ends[-1]).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=ends[0])
        )
    aggregates = {}
    for index, day in enumerate(ends):
        in_scope = _open_on(day)
        if query.team_id is not None or query.iro_id is not None:
            rows = rows.annotate(**{f"chair_{index}": _chair_on(day)})
            in_scope &= _chair_filter(query, f"chair_{index}")
        aggregates[f"open_{index}"] = Count("pk", filter=in_scope)
        aggregates[f"multiple_{index}"] = Count("pk", filter=in_scope & _multiple())
    totals = rows.aggregate(**aggregates) if aggregates else {}
    points = []
    for index, day in enumerate(ends):
        shape = rate(totals[f"multiple_{index}"], totals[f"open_{index}"])
        points.append({"date": day, **{k: shape[k] for k in ("value", "numerator", "denominator")}})
    return series(points, unit="%")


@figure(
    key="cp_plans_ended_under_3_months",
    kind="count",
    section=SECTION,
    label="Plans ended within 3 months",
    definition="Plans ended in the period that lasted less than 3 months. Filters: the chair of the "
    "conference that ended the plan.",
)
def cp_plans_ended_under_3_months(query: FigureQuery) -> dict:
    rows = _ended(query).annotate(three_months=AddMonths(F("start_date"), SHORT_PLAN_MONTHS))
    return count(rows.aggregate(n=Count("pk", filter=Q(end_date__lt=F("three_months"))))["n"])


@figure(
    key="cp_plans_ended_2_years_plus",
    kind="rate",
    section=SECTION,
    label="Plans ended after 2 years or more",
    definition="Plans ended in the period that lasted 2 years or more, over plans ended in the "
    "period. Filters: the chair of the conference that ended the plan.",
)
def cp_plans_ended_2_years_plus(query: FigureQuery) -> dict:
    rows = _ended(query).annotate(two_years=AddMonths(F("start_date"), LONG_PLAN_MONTHS))
    totals = rows.aggregate(all=Count("pk"), long=Count("pk", filter=Q(end_date__gte=F("two_years"))))
    return rate(totals["long"], totals["all"])


def _open_at_least(query: FigureQuery, months: int) -> dict:
    cutoff = structured_review_cutoff(on=query.end, months=months)
    rows = _plans(query, on=query.end).filter(_open_on(query.end))
    return count(rows.aggregate(n=Count("pk", filter=Q(start_date__lte=cutoff)))["n"])


@figure(
    key="cp_plans_open_9_months_plus",
    kind="count",
    section=SECTION,
    label="Plans open 9 months or more",
    definition="Plans open on the end date that have been open for the structured-review period "
    "(a local setting, 9 months) or longer. Filters: the chair of the child's most recent held "
    "conference on or before the end date.",
)
def cp_plans_open_9_months_plus(query: FigureQuery) -> dict:
    return _open_at_least(query, timescale_settings().cp_plan_structured_review_months)


@figure(
    key="cp_plans_open_2_years_plus",
    kind="count",
    section=SECTION,
    label="Plans open 2 years or more",
    definition="Plans open on the end date that have been open 2 years or longer. Filters: the chair "
    "of the child's most recent held conference on or before the end date.",
)
def cp_plans_open_2_years_plus(query: FigureQuery) -> dict:
    return _open_at_least(query, LONG_PLAN_MONTHS)


def _open_at_end(query: FigureQuery) -> QuerySet:
    return _plans(query, on=query.end).filter(_open_on(query.end))


@figure(
    key="cp_children_by_age",
    kind="breakdown",
    section=SECTION,
    label="Children on a plan by age",
    definition="Children on a plan on the end date by age on that date: unborn, 0-4, 5-9, 10-15, "
    "16+. Filters: the chair of the child's most recent held conference on or before the end date.",
)
def cp_children_by_age(query: FigureQuery) -> dict:
    end = query.end
    unborn = Q(child__date_of_birth__isnull=True) | Q(child__date_of_birth__gt=end)
    aggregates = {"unborn": Count("child", distinct=True, filter=unborn)}
    for band, youngest, oldest in AGE_BANDS:
        # Age >= youngest: born on or before the youngest-th birthday; age <= oldest: born after
        # the (oldest + 1)-th birthday cutoff.
        band_q = Q(child__date_of_birth__lte=_years_before(end, youngest))
        if oldest is not None:
            band_q &= Q(child__date_of_birth__gt=_years_before(end, oldest + 1))
        aggregates[band] = Count("child", distinct=True, filter=band_q)
    return breakdown(_open_at_end(query).aggregate(**aggregates))


@figure(
    key="cp_children_by_sex",
    kind="breakdown",
    section=SECTION,
    label="Children on a plan by sex",
    definition="Children on a plan on the end date by recorded sex. Filters: as cp_plans_at_end.",
)
def cp_children_by_sex(query: FigureQuery) -> dict:
    rows = _open_at_end(query).values("child__sex").annotate(n=Count("child", distinct=True))
    return breakdown({row["child__sex"]: row["n"] for row in rows.order_by("child__sex")})


@figure(
    key="cp_children_by_ethnicity",
    kind="breakdown",
    section=SECTION,
    label="Children on a plan by ethnicity",
    definition="Children on a plan on the end date by ethnicity code. Filters: as cp_plans_at_end.",
)
def cp_children_by_ethnicity(query: FigureQuery) -> dict:
    rows = _open_at_end(query).values("child__ethnicity").annotate(n=Count("child", distinct=True))
    return breakdown({row["child__ethnicity"]: row["n"] for row in rows.order_by("child__ethnicity")})


@figure(
    key="cp_children_with_disability",
    kind="rate",
    section=SECTION,
    label="Children on a plan with a disability",
    definition="Children on a plan on the end date with a recorded disability (any code other than "
    "NONE), over children on a plan. Filters: as cp_plans_at_end.",
)
def cp_children_with_disability(query: FigureQuery) -> dict:
    disabled = Q(child__disabilities__len__gte=1) & ~Q(child__disabilities__contains=[Disability.NONE])
    totals = _open_at_end(query).aggregate(
        all=Count("child", distinct=True), disabled=Count("child", distinct=True, filter=disabled)
    )
    return rate(totals["disabled"], totals["all"])


@figure(
    key="cp_categories_at_end",
    kind="breakdown",
    section=SECTION,
    label="Open plans by category of abuse",
    definition="Plans open on the end date by category: a single category under its code, more than "
    "one (or an import's MUL) under MUL. Filters: as cp_plans_at_end.",
)
def cp_categories_at_end(query: FigureQuery) -> dict:
    single = Q(categories_not_itemised=False, categories__len=1)
    aggregates = {
        code: Count("pk", filter=single & Q(categories__contains=[code])) for code in AbuseCategory.values
    }
    aggregates["MUL"] = Count("pk", filter=_multiple())
    return breakdown(_open_at_end(query).aggregate(**aggregates))
