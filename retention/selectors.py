"""Reads of the retention schedule: each child's disposal date, the children due, the register."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from conferences.selectors import protection_facts_by_child
from hsb.selectors import latest_referral_by_child
from iro_service.people.models import Child
from retention.models import DisposalRecord
from retention.schedule import ChildFacts, Disposal, child_disposal, is_due
from reviews.selectors import care_facts_by_child


@dataclass(frozen=True)
class DueChild:
    """A child whose whole record has passed its disposal date."""

    child_id: int
    disposal: Disposal


def _disposals(
    children: Iterable[tuple[int, date | None, date | None]], *, child_ids=None
) -> dict[int, Disposal]:
    """Each child's disposal, from the dated facts every app keeps: four queries in all."""
    care = care_facts_by_child(child_ids=child_ids)
    protection = protection_facts_by_child(child_ids=child_ids)
    hsb = latest_referral_by_child(child_ids=child_ids)
    disposals = {}
    for pk, born, expected in children:
        in_care, on_plan = care.get(pk), protection.get(pk)
        deaths = [fact.died for fact in (in_care, on_plan) if fact is not None and fact.died is not None]
        facts = ChildFacts(
            born=born or expected,
            looked_after=in_care is not None,
            died=min(deaths, default=None),
            latest_hsb_referral=hsb.get(pk),
            open_record=(in_care is not None and in_care.open_period)
            or (on_plan is not None and on_plan.open_plan),
        )
        disposals[pk] = child_disposal(facts)
    return disposals


def child_disposal_of(*, child: Child) -> Disposal:
    """When ``child``'s whole record may be disposed of, and under which rule."""
    return _disposals([(child.pk, child.date_of_birth, child.expected_date_of_birth)], child_ids=[child.pk])[
        child.pk
    ]


def children_due_for_disposal(*, user, today: date) -> list[DueChild]:
    """The children ``user`` may see whose whole record had passed its disposal date by
    ``today``, the longest overdue first. A restricted child is left out for anyone not named.

    The dates are worked out in Python by the schedule, the one place the rules live, from one
    query per app, so the number of queries does not grow with the children (the children's
    ids and dates of birth are read whole: a few hundred kilobytes for a large county)."""
    children = Child.objects.restrict(user).values_list("pk", "date_of_birth", "expected_date_of_birth")
    due = [
        DueChild(child_id=pk, disposal=disposal)
        for pk, disposal in _disposals(children).items()
        if is_due(disposal, today=today)
    ]
    return sorted(due, key=lambda row: (row.disposal.on, row.child_id))


def children_for_page(*, user, child_ids: list[int]) -> dict[int, Child]:
    """The children of one page of a list, by id, in one query (restricted as every read is)."""
    return {child.pk: child for child in Child.objects.restrict(user).filter(pk__in=child_ids)}


def child_for_disposal(*, user, pk: int) -> Child | None:
    return Child.objects.restrict(user).filter(pk=pk).first()


def disposal_register() -> QuerySet[DisposalRecord]:
    """The disposal register, newest first, with who authorised each entry."""
    return DisposalRecord.objects.select_related("authorised_by")
