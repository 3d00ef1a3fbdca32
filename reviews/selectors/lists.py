"""The reviews app's list screens: children in care, reviews to book, records to distribute,
and the codes a form offers."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast

from iro_service.timescales.dates import collection_year
from reviews.code_lists import ended_before
from reviews.codes import CareStatus, MeetingStatus
from reviews.models import (
    Code,
    LacReview,
    PeriodOfCare,
    ReviewMeeting,
)
from reviews.selectors._common import _current_iro, due_soon_limit


def codes_in_year(*, on: date) -> dict[str, dict[str, str]]:
    """The SSDA903 codes valid on ``on``: those of its collection year, less any the DfE's rules
    end earlier in that year (``code_lists.LAST_DAYS``: P2 after 28 October 2023). {list: {code:
    label}}."""
    year = collection_year(on)
    codes: dict[str, dict[str, str]] = {}
    rows = Code.objects.filter(first_year__lte=year).filter(
        Q(last_year__isnull=True) | Q(last_year__gte=year)
    )
    for list_name, code, label in rows.values_list("list_name", "code", "label"):
        if ended_before(list_name, code, on) is None:
            codes.setdefault(list_name, {})[code] = label
    return codes


def _with_status(periods: QuerySet[PeriodOfCare], *, today: date) -> QuerySet[PeriodOfCare]:
    limit = due_soon_limit(today=today)
    return periods.annotate(
        status=Case(
            When(next_review_due__lt=today, then=Value(CareStatus.OVERDUE)),
            When(next_review_due__lte=limit, then=Value(CareStatus.DUE_SOON)),
            default=Value(CareStatus.ON_TRACK),
            output_field=CharField(),
        ),
        # Sorting by status means most urgent first: overdue, due soon, not due yet.
        status_rank=Case(
            When(next_review_due__lt=today, then=Value(0)),
            When(next_review_due__lte=limit, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    )


def children_in_care(
    *,
    user,
    today: date,
    iro_id: int | None = None,
    status: str = "",
    search: str = "",
    ordering: tuple[str, ...] = ("next_review_due",),
) -> QuerySet[PeriodOfCare]:
    """'My children in care' (and the same list for any IRO): open periods of care with the
    child, the current IRO, the last review's date and the red/amber/green status. One query
    for a page of any length, plus the count."""
    periods = (
        PeriodOfCare.objects.restrict(user)
        .filter(end_date__isnull=True)
        .select_related("child")
        .annotate(
            iro_id=_current_iro("iro_id"),
            iro_last_name=_current_iro("iro__last_name"),
            iro_first_name=_current_iro("iro__first_name"),
            last_review_date=Max("reviews__review_date"),
        )
    )
    periods = _with_status(periods, today=today)
    if iro_id:
        periods = periods.filter(
            child__iro_allocations__iro_id=iro_id, child__iro_allocations__end_date__isnull=True
        )
    if status in CareStatus.values:
        periods = periods.filter(status=status)
    search = search.strip()
    if search:
        periods = periods.filter(
            Q(child__local_child_id__iexact=search)
            | Q(child__first_name__icontains=search)
            | Q(child__last_name__icontains=search)
        )
    return periods.order_by(*ordering, "pk")


def reviews_to_book(
    *,
    user,
    today: date,
    weeks: int,
    iro_id: int | None = None,
    ordering: tuple[str, ...] = ("next_review_due",),
) -> QuerySet[PeriodOfCare]:
    """'Reviews to book': children in care whose next review is due within ``weeks`` weeks (or
    is overdue) and who have no meeting booked."""
    booked = ReviewMeeting.objects.filter(period=OuterRef("pk"), status=MeetingStatus.BOOKED)
    periods = (
        PeriodOfCare.objects.restrict(user)
        .filter(end_date__isnull=True, next_review_due__lte=today + timedelta(weeks=weeks))
        .filter(~Exists(booked))
        .select_related("child")
        .annotate(
            iro_last_name=_current_iro("iro__last_name"),
            iro_first_name=_current_iro("iro__first_name"),
            review_count=Subquery(
                LacReview.objects.filter(period=OuterRef("pk"))
                .values("period")
                .annotate(n=Max("sequence"))
                .values("n")[:1]
            ),
        )
    )
    periods = _with_status(periods, today=today)
    if iro_id:
        periods = periods.filter(
            child__iro_allocations__iro_id=iro_id, child__iro_allocations__end_date__isnull=True
        )
    return periods.order_by(*ordering, "pk")


def records_to_distribute(
    *,
    user,
    today: date,
    iro_id: int | None = None,
    team_id: int | None = None,
    completed_from: date | None = None,
    completed_to: date | None = None,
    overdue_only: bool = False,
    ordering: tuple[str, ...] = ("record_due",),
) -> QuerySet[LacReview]:
    """'Records to distribute': reviews whose record the IRO has completed and business support
    has not yet distributed, oldest due first, with the days past the due date. Filtered by the
    chair, the chair's team and the date the record was completed (both ends included)."""
    reviews = (
        LacReview.objects.restrict(user)
        .filter(record_completed__isnull=False, record_distributed__isnull=True)
        .select_related("child", "chair")
        .annotate(
            # date - date is a whole number of days in PostgreSQL.
            days_overdue=Func(
                Cast(Value(today), DateField()),
                F("record_due"),
                template="(%(expressions)s)",
                arg_joiner=" - ",
                output_field=IntegerField(),
            )
        )
    )
    if iro_id:
        reviews = reviews.filter(chair_id=iro_id)
    if team_id:
        reviews = reviews.filter(chair__team_id=team_id)
    if completed_from:
        reviews = reviews.filter(record_completed__gte=completed_from)
    if completed_to:
        reviews = reviews.filter(record_completed__lte=completed_to)
    if overdue_only:
        reviews = reviews.filter(record_due__lt=today)
    return reviews.order_by(*ordering, "pk")
