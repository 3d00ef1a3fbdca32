"""What every child protection figure shares: the section, the sets of conference types and
stages measured, what drill-down rows need, the SQL twins of the timescales' date functions
(``AddMonths``, ``WorkingDaysAfter``), and the querysets and filters the figures start from."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from conferences.models import (
    INITIAL_TYPES,
    ChildStage,
    ConferenceStatus,
    ConferenceType,
)
from conferences.selectors import (
    conferences_for_figures,
    held_links_for_figures,
    plans_for_figures,
)
from iro_service.people.models import StaffMember
from reports.figures.base import FigureQuery, iso_day

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


def _conference_row(conference, **columns) -> dict:
    """A drill-down row about a conference (fetched with its family, chair and prefetched
    children), and the children considered at it for the access log (Figure.records_need)."""
    return {
        "conference_id": conference.pk,
        "child_ids": sorted(link.child_id for link in conference.children.all()),
        "date": iso_day(conference.date),
        "type": conference.conference_type,
        "family": conference.family.reference,
        "chair": conference.chair.full_name if conference.chair else "",
        **columns,
    }


def _plan_rows(rows: QuerySet, on: date, columns=None, **flags) -> list[dict]:
    """One row per plan; ``flags`` name annotations to show as columns (whether the plan is in the
    figure's numerator); ``columns`` (a function of the plan) gives further columns."""
    return [
        {
            "plan_id": plan.pk,
            "child_id": plan.child_id,
            "child": plan.child.local_child_id,
            "start_date": iso_day(plan.start_date),
            "end_date": iso_day(plan.end_date),
            "categories": plan.categories,
            "age_on_end": plan.child.age_on(on),
            "is_repeat": plan.is_repeat,
            "previous_plan_ended": iso_day(plan.previous_plan_ended),
            **{name: bool(getattr(plan, annotation)) for name, annotation in flags.items()},
            **(columns(plan) if columns else {}),
        }
        for plan in rows.select_related("child").order_by("start_date", "pk")
    ]
