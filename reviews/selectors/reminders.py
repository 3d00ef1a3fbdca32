"""What each IRO is reminded of: reviews due soon and records overdue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Min

from iro_service.people.models import StaffMember
from reviews.models import (
    LacReview,
    PeriodOfCare,
)
from reviews.selectors._common import _current_iro, due_soon_limit


@dataclass
class IroReminderList:
    iro: StaffMember
    reviews_due: list[PeriodOfCare] = field(default_factory=list)
    records_overdue: list[LacReview] = field(default_factory=list)


def iro_reminders(*, on: date, iro: StaffMember | None = None, user=None) -> list[IroReminderList]:
    """For each IRO in post (or one IRO): their children whose next review is due within the
    reminder window (or overdue), and the reviews they chaired whose record is out of
    timescale (not distributed by its due date). Three queries for all IROs together. The
    children hidden from the IRO each list is for are left out (a restricted child whose IRO
    is not named: the nightly email must not disclose them either); with ``user`` (a page's
    reader), those hidden from the reader too."""
    limit = due_soon_limit(today=on)
    iros = StaffMember.objects.iros().in_post(on).order_by("last_name", "first_name")
    if iro is not None:
        iros = iros.filter(pk=iro.pk)
    by_iro = {member.pk: IroReminderList(iro=member) for member in iros}
    periods = (
        PeriodOfCare.objects.filter(end_date__isnull=True, next_review_due__lte=limit)
        .select_related("child")
        .annotate(iro_id=_current_iro("iro_id"))
        .order_by("next_review_due", "pk")
    )
    if iro is not None:
        periods = periods.filter(
            child__iro_allocations__iro_id=iro.pk, child__iro_allocations__end_date__isnull=True
        )
    periods = periods.restrict_to_staff("iro_id")
    if user is not None:
        periods = periods.restrict(user)
    for period in periods:
        if period.iro_id in by_iro:
            by_iro[period.iro_id].reviews_due.append(period)
    records = _records_overdue(on=on, chair_ids=list(by_iro), user=user)
    for review in records.select_related("child").order_by("record_due", "pk"):
        by_iro[review.chair_id].records_overdue.append(review)
    return list(by_iro.values())


def _records_overdue(*, on: date, chair_ids, user=None):
    """The reviews chaired by ``chair_ids`` whose record is out of timescale on ``on``, less
    those hidden from their chair (and, with ``user``, from the reader): one rule for the
    reminder email and the business support dashboard's counts."""
    records = LacReview.objects.filter(
        record_distributed__isnull=True, record_due__lt=on, chair_id__in=chair_ids
    ).restrict_to_staff("chair_id")
    if user is not None:
        records = records.restrict(user)
    return records


@dataclass(frozen=True)
class RecordsOverdue:
    count: int
    oldest_due: date


def records_overdue_by_iro(*, on: date, iro_ids) -> dict[int, RecordsOverdue]:
    """For each IRO of ``iro_ids``, how many of the records they chaired are out of timescale
    and the oldest one's due date, as ``iro_reminders`` lists them: one aggregate query, so a
    count of the whole country's backlog reads no rows."""
    rows = (
        _records_overdue(on=on, chair_ids=list(iro_ids))
        .order_by()
        .values("chair_id")
        .annotate(n=Count("pk"), oldest=Min("record_due"))
    )
    return {row["chair_id"]: RecordsOverdue(count=row["n"], oldest_due=row["oldest"]) for row in rows}


# The reports app aggregates these querysets; the rules of who counts live here.
