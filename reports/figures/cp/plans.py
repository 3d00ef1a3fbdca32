"""Child protection figures: plans open, started and ended, repeat plans, plans with more than
one category, and how long plans last."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)

from conferences.selectors import (
    LONG_PLAN_MONTHS,
    REPEAT_WITHIN_MONTHS,
    plans_for_figures,
    structured_review_cutoff,
)
from iro_service.timescales.selectors import timescale_settings
from iro_service.timescales.sql import AddMonths
from reports.figures.base import FigureQuery, count, counts, figure, quarter_ends, rate, series
from reports.figures.cp._common import (
    PLAN_ROWS_NEED,
    SECTION,
    SHORT_PLAN_MONTHS,
    _chair_filter,
    _chair_on,
    _multiple,
    _open_on,
    _plan_rows,
    _plans,
)


def _plan_counts(query: FigureQuery) -> dict:
    """The children on a plan at the end (``children_at_end``), the plans started (``started``)
    and ended (``ended``) in the period, and of those ended the ones that lasted under 3 months
    (``ended_under_3_months``) and 2 years or more (``ended_2_years_plus``), each filtered by its
    own chair (at the end, at the start, at the end of the plan): one query for the figures
    counting them."""

    def build(query: FigureQuery):
        rows = plans_for_figures()
        chairs = {"at_end": Q(), "started": Q(), "ended": Q()}
        if query.team_id is not None or query.iro_id is not None:
            rows = rows.annotate(
                chair_at_end=_chair_on(query.end),
                chair_at_start=_chair_on(OuterRef("start_date")),
                chair_at_ended=_chair_on(OuterRef("end_date")),
            )
            chairs = {
                "at_end": _chair_filter(query, "chair_at_end"),
                "started": _chair_filter(query, "chair_at_start"),
                "ended": _chair_filter(query, "chair_at_ended"),
            }
        started = Q(start_date__gte=query.start, start_date__lte=query.end) & chairs["started"]
        ended = Q(end_date__gte=query.start, end_date__lte=query.end) & chairs["ended"]
        return rows, {
            "children_at_end": Count("child", distinct=True, filter=_open_on(query.end) & chairs["at_end"]),
            "started": Count("pk", filter=started),
            "ended": Count("pk", filter=ended),
            "ended_under_3_months": Count(
                "pk", filter=ended & Q(end_date__lt=AddMonths(F("start_date"), SHORT_PLAN_MONTHS))
            ),
            "ended_2_years_plus": Count(
                "pk", filter=ended & Q(end_date__gte=AddMonths(F("start_date"), LONG_PLAN_MONTHS))
            ),
        }

    return counts("cp_plans", query, build)


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
    return count(_plan_counts(query)["children_at_end"])


@figure(
    key="cp_plans_started",
    kind="count",
    section=SECTION,
    label="Plans started",
    definition="Plans started in the period. Filters: the chair of the conference that started it.",
    records=lambda query: _plan_rows(_started(query), query.end),
    records_need=PLAN_ROWS_NEED,
)
def cp_plans_started(query: FigureQuery) -> dict:
    return count(_plan_counts(query)["started"])


def _ended(query: FigureQuery) -> QuerySet:
    return _plans(query, on=OuterRef("end_date")).filter(end_date__gte=query.start, end_date__lte=query.end)


@figure(
    key="cp_plans_ended",
    kind="count",
    section=SECTION,
    label="Plans ended",
    definition="Plans ended in the period. Filters: the chair of the conference that ended it.",
    records=lambda query: _plan_rows(_ended(query).with_repeat_facts(), query.end),
    records_need=PLAN_ROWS_NEED,
)
def cp_plans_ended(query: FigureQuery) -> dict:
    return count(_plan_counts(query)["ended"])


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
    records=lambda query: _plan_rows(
        _started(query).annotate(within_2y=ExpressionWrapper(_within_2y(), output_field=BooleanField())),
        query.end,
        repeat_within_2_years="within_2y",
    ),
    records_need=PLAN_ROWS_NEED,
)
def cp_repeat_plans_2y(query: FigureQuery) -> dict:
    totals = _started(query).aggregate(all=Count("pk"), repeat=Count("pk", filter=_within_2y()))
    return rate(totals["repeat"], totals["all"])


def _multiple_categories_records(query: FigureQuery) -> list[dict]:
    """The plans open on the series' last quarter end (its denominator there), saying which
    have more than one category (its numerator); none when the period holds no quarter end."""
    ends = quarter_ends(query.start, query.end)
    if not ends:
        return []
    rows = (
        _plans(query, on=ends[-1])
        .filter(_open_on(ends[-1]))
        .with_repeat_facts()
        .annotate(multiple=ExpressionWrapper(_multiple(), output_field=BooleanField()))
    )
    return _plan_rows(rows, ends[-1], more_than_one_category="multiple")


@figure(
    key="cp_multiple_categories",
    kind="series",
    section=SECTION,
    label="Plans with more than one category (quarter ends)",
    definition="At each quarter end E in the period: plans open on E with more than one category of "
    "abuse (or imported as MUL), with the open plans as denominator. Filters: the chair of the "
    "child's most recent held conference on or before E.",
    records=_multiple_categories_records,
    records_need=PLAN_ROWS_NEED,
)
def cp_multiple_categories(query: FigureQuery) -> dict:
    ends = quarter_ends(query.start, query.end)

    def build(query: FigureQuery):
        # Only plans open at some quarter end can count: keeps the per-row subqueries few.
        rows = plans_for_figures().filter(start_date__lte=ends[-1])
        rows = rows.filter(Q(end_date__isnull=True) | Q(end_date__gt=ends[0]))
        aggregates = {}
        for index, day in enumerate(ends):
            in_scope = _open_on(day)
            if query.team_id is not None or query.iro_id is not None:
                rows = rows.annotate(**{f"chair_{index}": _chair_on(day)})
                in_scope &= _chair_filter(query, f"chair_{index}")
            aggregates[f"open_{index}"] = Count("pk", filter=in_scope)
            aggregates[f"multiple_{index}"] = Count("pk", filter=in_scope & _multiple())
        return rows, aggregates

    totals = counts("cp_multiple_categories", query, build) if ends else {}
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
    records=lambda query: _plan_rows(
        _ended(query)
        .with_repeat_facts()
        .annotate(three_months=AddMonths(F("start_date"), SHORT_PLAN_MONTHS))
        .filter(end_date__lt=F("three_months")),
        query.end,
    ),
    records_need=PLAN_ROWS_NEED,
)
def cp_plans_ended_under_3_months(query: FigureQuery) -> dict:
    return count(_plan_counts(query)["ended_under_3_months"])


@figure(
    key="cp_plans_ended_2_years_plus",
    kind="rate",
    section=SECTION,
    label="Plans ended after 2 years or more",
    definition="Plans ended in the period that lasted 2 years or more, over plans ended in the "
    "period. Filters: the chair of the conference that ended the plan.",
    records=lambda query: _plan_rows(
        _ended(query)
        .with_repeat_facts()
        .annotate(two_years=AddMonths(F("start_date"), LONG_PLAN_MONTHS))
        .annotate(long=ExpressionWrapper(Q(end_date__gte=F("two_years")), output_field=BooleanField())),
        query.end,
        lasted_2_years_or_more="long",
    ),
    records_need=PLAN_ROWS_NEED,
)
def cp_plans_ended_2_years_plus(query: FigureQuery) -> dict:
    totals = _plan_counts(query)
    return rate(totals["ended_2_years_plus"], totals["ended"])


def _open_at_least(query: FigureQuery, months: int) -> dict:
    cutoff = structured_review_cutoff(on=query.end, months=months)
    rows = _plans(query, on=query.end).filter(_open_on(query.end))
    return count(rows.aggregate(n=Count("pk", filter=Q(start_date__lte=cutoff)))["n"])


def _open_at_least_rows(query: FigureQuery, months: int) -> list[dict]:
    cutoff = structured_review_cutoff(on=query.end, months=months)
    rows = _plans(query, on=query.end).filter(_open_on(query.end), start_date__lte=cutoff)
    return _plan_rows(rows.with_repeat_facts(), query.end)


@figure(
    key="cp_plans_open_9_months_plus",
    kind="count",
    section=SECTION,
    label="Plans open 9 months or more",
    definition="Plans open on the end date that have been open for the structured-review period "
    "(a local setting, 9 months) or longer. Filters: the chair of the child's most recent held "
    "conference on or before the end date.",
    records=lambda query: _open_at_least_rows(query, timescale_settings().cp_plan_structured_review_months),
    records_need=PLAN_ROWS_NEED,
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
    records=lambda query: _open_at_least_rows(query, LONG_PLAN_MONTHS),
    records_need=PLAN_ROWS_NEED,
)
def cp_plans_open_2_years_plus(query: FigureQuery) -> dict:
    return _open_at_least(query, LONG_PLAN_MONTHS)
