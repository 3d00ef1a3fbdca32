"""Child protection figures: the children on a plan at the end of the period, by age, sex,
ethnicity and disability, and the open plans by category of abuse."""

from __future__ import annotations

from django.db.models import (
    Count,
    Q,
    QuerySet,
)

from conferences.models import (
    AbuseCategory,
)
from iro_service.people.models import Disability
from reports.figures.base import FigureQuery, breakdown, figure, rate
from reports.figures.cp._common import (
    AGE_BANDS,
    PLAN_ROWS_NEED,
    SECTION,
    _multiple,
    _open_on,
    _plan_rows,
    _plans,
    _years_before,
)


def _open_at_end(query: FigureQuery) -> QuerySet:
    return _plans(query, on=query.end).filter(_open_on(query.end))


def _has_disability(child) -> bool:
    return bool(child.disabilities) and Disability.NONE not in child.disabilities


def _children_records(query: FigureQuery) -> list[dict]:
    """One row per child on a plan on the end date (a child's plans never overlap), with what
    the breakdowns count them by."""
    return _plan_rows(
        _open_at_end(query).with_repeat_facts(),
        query.end,
        columns=lambda plan: {
            "sex": plan.child.sex,
            "ethnicity": plan.child.ethnicity,
            "disability": _has_disability(plan.child),
        },
    )


@figure(
    key="cp_children_by_age",
    kind="breakdown",
    section=SECTION,
    label="Children on a plan by age",
    definition="Children on a plan on the end date by age on that date: unborn, 0-4, 5-9, 10-15, "
    "16+. Filters: the chair of the child's most recent held conference on or before the end date.",
    records=_children_records,
    records_need=PLAN_ROWS_NEED,
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
    records=_children_records,
    records_need=PLAN_ROWS_NEED,
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
    records=_children_records,
    records_need=PLAN_ROWS_NEED,
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
    records=_children_records,
    records_need=PLAN_ROWS_NEED,
)
def cp_children_with_disability(query: FigureQuery) -> dict:
    disabled = Q(child__disabilities__len__gte=1) & ~Q(child__disabilities__contains=[Disability.NONE])
    totals = _open_at_end(query).aggregate(
        all=Count("child", distinct=True), disabled=Count("child", distinct=True, filter=disabled)
    )
    return rate(totals["disabled"], totals["all"])


def _single() -> Q:
    return Q(categories_not_itemised=False, categories__len=1)


def _categories_records(query: FigureQuery) -> list[dict]:
    """The plans open on the end date that the breakdown counts: one known category, or more
    than one (MUL)."""
    counted = (_single() & Q(categories__contained_by=AbuseCategory.values)) | _multiple()
    return _plan_rows(_open_at_end(query).filter(counted).with_repeat_facts(), query.end)


@figure(
    key="cp_categories_at_end",
    kind="breakdown",
    section=SECTION,
    label="Open plans by category of abuse",
    definition="Plans open on the end date by category: a single category under its code, more than "
    "one (or an import's MUL) under MUL. Filters: as cp_plans_at_end.",
    records=_categories_records,
    records_need=PLAN_ROWS_NEED,
)
def cp_categories_at_end(query: FigureQuery) -> dict:
    single = _single()
    aggregates = {
        code: Count("pk", filter=single & Q(categories__contains=[code])) for code in AbuseCategory.values
    }
    aggregates["MUL"] = Count("pk", filter=_multiple())
    return breakdown(_open_at_end(query).aggregate(**aggregates))
