"""Reads for the DfE's rules that one child's record is checked against (``reviews.dfe_rules``):
the period of care just saved, and every record of the collection year to date that breaks a
rule, for the return quality page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from iro_service.core.dfe import DfeWarning
from iro_service.timescales.dates import collection_year, collection_year_bounds
from reviews import dfe_rules
from reviews.models import Episode, LacReview, PeriodOfCare
from reviews.selectors._common import _current_iro
from reviews.selectors.figures import iro_allocated_on


def _with_records(periods: QuerySet[PeriodOfCare]) -> QuerySet[PeriodOfCare]:
    return periods.select_related("child").prefetch_related(
        Prefetch("episodes", queryset=Episode.objects.order_by("start_date")),
        Prefetch("reviews", queryset=LacReview.objects.order_by("review_date")),
    )


def period_dfe_warnings(*, period_id: int, as_of: date) -> list[DfeWarning]:
    """What the DfE's rules find in a period of care as it now stands (three queries)."""
    period = _with_records(PeriodOfCare.objects.filter(pk=period_id)).get()
    return dfe_rules.period_warnings(period, as_of=as_of)


@dataclass(frozen=True)
class ReturnQualityRow:
    """One record of the year that breaks one DfE rule, with its child and current IRO."""

    warning: DfeWarning
    child_id: int
    child_name: str
    local_child_id: str
    iro_name: str


def return_quality_rows(
    *, user, today: date, team_id: int | None = None, iro_id: int | None = None, rule: str = ""
) -> list[ReturnQualityRow]:
    """Every episode and review of the current collection year to date that breaks one of the
    DfE's rules checked on save: an episode open at any time in the year, a review held in it.
    Filtered by the child's IRO (or the IRO's team) today, as the lists are; children hidden
    from the user are left out. Three queries whatever the number of rows."""
    start, end = collection_year_bounds(collection_year(today))
    as_of = min(today, end)
    periods = (
        PeriodOfCare.objects.restrict(user)
        .filter(start_date__lte=as_of)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .annotate(
            iro_first_name=_current_iro("iro__first_name"), iro_last_name=_current_iro("iro__last_name")
        )
    )
    if team_id or iro_id:
        periods = periods.filter(iro_allocated_on(on=today, team_id=team_id, iro_id=iro_id))
    rows = []
    for period in _with_records(
        periods.order_by("child__last_name", "child__first_name", "child_id", "start_date")
    ):
        for warning in dfe_rules.period_warnings(period, as_of=as_of, rules=[rule] if rule else None):
            if warning.record == dfe_rules.REVIEW:
                in_year = start <= warning.on <= as_of
            else:
                episode = next(e for e in period.episodes.all() if e.pk == warning.record_id)
                in_year = episode.start_date <= as_of and (
                    episode.end_date is None or episode.end_date >= start
                )
            if not in_year:
                continue
            rows.append(
                ReturnQualityRow(
                    warning=warning,
                    child_id=period.child_id,
                    child_name=period.child.full_name,
                    local_child_id=period.child.local_child_id,
                    iro_name=" ".join(n for n in (period.iro_first_name, period.iro_last_name) if n),
                )
            )
    return rows
