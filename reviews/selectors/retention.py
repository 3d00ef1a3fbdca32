"""Dated facts about children in care that the retention schedule (``retention/schedule.py``)
derives disposal dates from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, Q

from reviews.models import PeriodOfCare

# SSDA903 reason episode ceased: the child died.
DIED = "E2"


@dataclass(frozen=True)
class CareFacts:
    """What the retention schedule needs to know of a child's periods of care."""

    open_period: bool
    died: date | None


def care_facts_by_child(*, child_ids: Iterable[int] | None = None) -> dict[int, CareFacts]:
    """For every child who has had a period of care (or those of ``child_ids``): whether a
    period is still open, and the earliest day an episode ended because the child died. One
    query."""
    periods = PeriodOfCare.objects.all()
    if child_ids is not None:
        periods = periods.filter(child_id__in=list(child_ids))
    rows = periods.values("child_id").annotate(
        open_periods=Count("pk", filter=Q(end_date__isnull=True), distinct=True),
        died=Min("episodes__end_date", filter=Q(episodes__reason_ceased=DIED)),
    )
    return {row["child_id"]: CareFacts(open_period=row["open_periods"] > 0, died=row["died"]) for row in rows}
