"""Reads for the figures service (reports): the reports app aggregates these querysets; the rules
of who counts live here."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from iro_service.people.models import Child, IroAllocation
from iro_service.people.selectors import iro_allocated_on
from reviews.models import (
    CafcassInvolvement,
    Episode,
    LacReview,
    LegalAdviceReferral,
    PeriodOfCare,
)


def lac_reviews_for_figures(
    *, team_id: int | None = None, iro_id: int | None = None, allocated_on: date | None = None
) -> QuerySet[LacReview]:
    """Reviews for the figures. The team and IRO filters mean the review's chair, or with
    ``allocated_on`` the child's IRO on that date (for figures about children, not meetings)."""
    reviews = LacReview.objects.all()
    if allocated_on is not None:
        if team_id or iro_id:
            reviews = reviews.filter(iro_allocated_on(on=allocated_on, team_id=team_id, iro_id=iro_id))
        return reviews
    if team_id:
        reviews = reviews.filter(chair__team_id=team_id)
    if iro_id:
        reviews = reviews.filter(chair_id=iro_id)
    return reviews


def periods_of_care_for_figures(
    *, team_id: int | None = None, iro_id: int | None = None, allocated_on_field: str = "start_date"
) -> QuerySet[PeriodOfCare]:
    """Periods of care for the started / ceased figures; the team and IRO filters mean the
    child's IRO on the period's ``allocated_on_field`` date (an allocation ending that day counts)."""
    return PeriodOfCare.objects.filter(
        period_allocated_on(team_id=team_id, iro_id=iro_id, allocated_on_field=allocated_on_field)
    )


def period_allocated_on(*, team_id: int | None, iro_id: int | None, allocated_on_field: str) -> Q:
    """The condition of ``periods_of_care_for_figures``, for a count to filter on (``Q()``, every
    period, without a team or IRO)."""
    if not (team_id or iro_id):
        return Q()
    return Q(
        iro_allocated_on(on=OuterRef(allocated_on_field), team_id=team_id, iro_id=iro_id, inclusive_end=True)
    )


def in_care_on(*, on: date, team_id: int | None = None, iro_id: int | None = None) -> Q:
    """The condition of ``periods_in_care_on`` without its annotations, for a count to filter on."""
    condition = _looked_after_on(on)
    if team_id or iro_id:
        condition &= Q(iro_allocated_on(on=on, team_id=team_id, iro_id=iro_id))
    return condition


def _looked_after_on(on) -> Q:
    """Periods of care covering ``on`` (a date or an expression): started on or before it and
    not ended by it. A child who leaves care on a day is no longer looked after that day, as in
    the SSDA903 count at 31 March."""
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))


def child_in_care_on(*, child, on) -> Exists:
    """Whether the child (an id or an ``OuterRef``) was looked after on ``on`` (a date or an
    expression such as ``OuterRef("date")``), for other apps to annotate their rows with: it
    is derived from the periods of care, never typed."""
    return Exists(PeriodOfCare.objects.filter(_looked_after_on(on), child=child))


def periods_of_care_of(*, child: Child) -> QuerySet[PeriodOfCare]:
    """A child's periods of care, latest first (for another app's record to link to one)."""
    return PeriodOfCare.objects.filter(child=child).order_by("-start_date", "pk")


def periods_in_care_on(
    *, on: date, team_id: int | None = None, iro_id: int | None = None
) -> QuerySet[PeriodOfCare]:
    """Children looked after on ``on``: periods that started on or before it and had not ended
    by it (a child who leaves care on ``on`` is no longer looked after that day, as in the
    SSDA903 count at 31 March). The team and IRO filters mean the child's IRO on ``on``.

    Annotated with what was true on ``on``: ``legal_status_on_day`` (the episode covering the
    day), ``review_due_on_day`` (the next review's due date: from the last review held on or
    before the day, or the first review's due date if none) and the IRO's name."""
    periods = PeriodOfCare.objects.filter(in_care_on(on=on, team_id=team_id, iro_id=iro_id)).annotate(
        legal_status_on_day=legal_status_on(on),
        review_due_on_day=review_due_on(on),
        last_review_on_day=Subquery(_last_review(on).values("review_date")[:1]),
        iro_first_name=Subquery(_iro_on(on).values("iro__first_name")[:1]),
        iro_last_name=Subquery(_iro_on(on).values("iro__last_name")[:1]),
    )
    return periods


# Each subquery orders by its own table's columns: an inherited ordering through a relation would
# join people_child into the subquery run for every period.


def legal_status_on(on: date) -> Subquery:
    """The period's legal status on ``on``: the episode covering the day."""
    current_episode = (
        Episode.objects.filter(period=OuterRef("pk"), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .order_by("-start_date")
    )
    return Subquery(current_episode.values("legal_status")[:1])


def _last_review(on: date):
    return LacReview.objects.filter(period=OuterRef("pk"), review_date__lte=on).order_by("-review_date")


def review_due_on(on: date) -> Coalesce:
    """The period's next review due on ``on``: from the last review held on or before the day, or
    the first review's due date if none."""
    return Coalesce(Subquery(_last_review(on).values("next_review_due")[:1]), F("first_review_due"))


def _iro_on(on: date):
    return (
        IroAllocation.objects.filter(child=OuterRef("child"), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .order_by("-start_date")
    )


def legal_advice_referrals_for_figures() -> QuerySet[LegalAdviceReferral]:
    """Every referral of a child for independent legal advice, for the figures."""
    return LegalAdviceReferral.objects.all()


def cafcass_involvements_for_figures() -> QuerySet[CafcassInvolvement]:
    """Every Children's Guardian appointment (care proceedings), for the figures."""
    return CafcassInvolvement.objects.all()
