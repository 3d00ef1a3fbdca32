"""Reads for the reviews app: one named query per screen, owning its joins, with a fixed number
of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from iro_service.core.codes import code_shown
from iro_service.people.models import Child, IroAllocation, StaffMember
from iro_service.timescales.dates import add_working_days, collection_year
from iro_service.timescales.selectors import timescale_settings
from reviews.codes import STARTS_PERIOD, CareStatus, MeetingStatus
from reviews.models import (
    CafcassInvolvement,
    Code,
    Episode,
    IroContact,
    LacReview,
    LegalAdviceReferral,
    PeriodOfCare,
    ReviewMeeting,
    ReviewPart,
)


def codes_in_year(*, on: date) -> dict[str, dict[str, str]]:
    """The SSDA903 codes valid in the collection year of ``on``: {list: {code: label}}."""
    year = collection_year(on)
    codes: dict[str, dict[str, str]] = {}
    rows = Code.objects.filter(first_year__lte=year).filter(
        Q(last_year__isnull=True) | Q(last_year__gte=year)
    )
    for list_name, code, label in rows.values_list("list_name", "code", "label"):
        codes.setdefault(list_name, {})[code] = label
    return codes


def due_soon_limit(*, today: date) -> date:
    """The last date that counts as 'due soon' (amber): the reminder window in working days."""
    return add_working_days(today, timescale_settings().reminder_working_days)


def _current_iro(field: str):
    return Subquery(
        IroAllocation.objects.filter(child=OuterRef("child"), end_date__isnull=True)
        .order_by("-start_date")
        .values(field)[:1]
    )


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
        PeriodOfCare.objects.filter(end_date__isnull=True)
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
    today: date,
    weeks: int,
    iro_id: int | None = None,
    ordering: tuple[str, ...] = ("next_review_due",),
) -> QuerySet[PeriodOfCare]:
    """'Reviews to book': children in care whose next review is due within ``weeks`` weeks (or
    is overdue) and who have no meeting booked."""
    booked = ReviewMeeting.objects.filter(period=OuterRef("pk"), status=MeetingStatus.BOOKED)
    periods = (
        PeriodOfCare.objects.filter(
            end_date__isnull=True, next_review_due__lte=today + timedelta(weeks=weeks)
        )
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
        LacReview.objects.filter(record_completed__isnull=False, record_distributed__isnull=True)
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


@dataclass
class TimelineEntry:
    day: date
    kind: str
    title: str
    detail: str = ""
    review: LacReview | None = None


def care_record(*, child: Child) -> dict:
    """Everything the child's care page shows, in a fixed number of queries: periods with their
    episodes, reviews (with parts and chair), meetings, contacts, IRO changes, plans,
    Children's Guardians and legal-advice referrals, and the timeline built from them."""
    periods = list(
        PeriodOfCare.objects.filter(child=child)
        .order_by("-start_date")
        .prefetch_related(
            Prefetch("episodes", queryset=Episode.objects.order_by("start_date")),
            Prefetch(
                "reviews",
                queryset=LacReview.objects.select_related("chair").prefetch_related(
                    Prefetch("parts", queryset=ReviewPart.objects.order_by("part_number"))
                ),
            ),
            Prefetch("meetings", queryset=ReviewMeeting.objects.order_by("date")),
            "permanence_plans",
        )
    )
    contacts = list(IroContact.objects.filter(child=child).select_related("iro"))
    allocations = list(IroAllocation.objects.filter(child=child).select_related("iro").order_by("start_date"))
    guardians = list(child.cafcass_involvements.all())
    referrals = list(child.legal_advice_referrals.all())
    timeline: list[TimelineEntry] = []
    for period in periods:
        # Plain lists for the template, which cannot index a queryset from the end.
        period.episode_list = list(period.episodes.all())
        period.current_episode = period.episode_list[-1] if period.episode_list else None
        plans = sorted(period.permanence_plans.all(), key=lambda plan: plan.date_agreed)
        period.latest_plan = plans[-1] if plans else None
        period.review_list = sorted(period.reviews.all(), key=lambda review: review.review_date)
        for review in period.review_list:
            review.part_list = list(review.parts.all())
            review.last_part = review.part_list[-1] if review.part_list else None
        for episode in period.episode_list:
            starts = episode.reason_for_new_episode == STARTS_PERIOD
            detail = (
                f"Legal status: {code_shown('LS', episode.legal_status)}. "
                f"Placement: {code_shown('PLACE', episode.placement)}."
            )
            if not starts:
                # "Started to be looked after" is what the title says already.
                detail = f"{code_shown('RNE', episode.reason_for_new_episode)}. {detail}"
            timeline.append(
                TimelineEntry(
                    episode.start_date, "episode", "Came into care" if starts else "New episode", detail
                )
            )
        if period.end_date and period.current_episode:
            timeline.append(
                TimelineEntry(
                    period.end_date,
                    "episode",
                    "Left care",
                    f"Reason: {code_shown('REC', period.current_episode.reason_ceased)}.",
                )
            )
        for review in period.review_list:
            parts = review.part_list
            detail = f"Due by {review.due_date:%d %b %Y}"
            if len(parts) > 1:
                detail += "; held in parts: " + ", ".join(f"{p.date:%d %b %Y}" for p in parts)
            timeline.append(
                TimelineEntry(review.review_date, "review", f"Review {review.sequence}", detail, review)
            )
        for meeting in period.meetings.all():
            if meeting.status != MeetingStatus.HELD:
                detail = meeting.reason
                timeline.append(
                    TimelineEntry(
                        meeting.date,
                        "meeting",
                        f"Review meeting {meeting.get_status_display().lower()}",
                        detail,
                    )
                )
        for plan in period.permanence_plans.all():
            timeline.append(
                TimelineEntry(
                    plan.date_agreed, "plan", "Permanence plan agreed", plan.get_plan_type_display()
                )
            )
    for contact in contacts:
        timeline.append(
            TimelineEntry(
                contact.date, "contact", f"IRO {contact.get_kind_display().lower()}", contact.iro.full_name
            )
        )
    for allocation in allocations:
        timeline.append(
            TimelineEntry(allocation.start_date, "iro", f"IRO: {allocation.iro.full_name}", allocation.reason)
        )
    for guardian in guardians:
        timeline.append(
            TimelineEntry(
                guardian.start_date, "cafcass", "Children's Guardian appointed", guardian.guardian_name
            )
        )
        if guardian.end_date is not None:
            timeline.append(
                TimelineEntry(
                    guardian.end_date,
                    "cafcass",
                    "Children's Guardian's involvement ended",
                    guardian.guardian_name,
                )
            )
        if guardian.handover_date is not None:
            timeline.append(
                TimelineEntry(
                    guardian.handover_date,
                    "cafcass",
                    "Children's Guardian handed over to the IRO",
                    guardian.guardian_name,
                )
            )
    for referral in referrals:
        detail = referral.reason + (f" Outcome: {referral.outcome}" if referral.outcome else "")
        timeline.append(TimelineEntry(referral.date_referred, "legal", "Referred for legal advice", detail))
    timeline.sort(key=lambda entry: entry.day, reverse=True)
    return {
        "periods": periods,
        "current_period": next((p for p in periods if p.end_date is None), None),
        "timeline": timeline,
        "guardians": guardians,
        "referrals": referrals,
    }


def review_for_edit(*, pk: int) -> LacReview:
    return (
        LacReview.objects.select_related("child", "chair", "period")
        .prefetch_related(Prefetch("parts", queryset=ReviewPart.objects.order_by("part_number")))
        .get(pk=pk)
    )


@dataclass
class IroReminderList:
    iro: StaffMember
    reviews_due: list[PeriodOfCare] = field(default_factory=list)
    records_overdue: list[LacReview] = field(default_factory=list)


def iro_reminders(*, on: date, iro: StaffMember | None = None) -> list[IroReminderList]:
    """For each IRO in post (or one IRO): their children whose next review is due within the
    reminder window (or overdue), and the reviews they chaired whose record is out of
    timescale (not distributed by its due date). Three queries for all IROs together."""
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
    for period in periods:
        if period.iro_id in by_iro:
            by_iro[period.iro_id].reviews_due.append(period)
    records = (
        LacReview.objects.filter(
            record_distributed__isnull=True, record_due__lt=on, chair_id__in=list(by_iro)
        )
        .select_related("child")
        .order_by("record_due", "pk")
    )
    for review in records:
        by_iro[review.chair_id].records_overdue.append(review)
    return list(by_iro.values())


# --- for the figures service (reports) ------------------------------------------------------
# The reports app aggregates these querysets; the rules of who counts live here.


def _allocated_on(*, on, team_id: int | None, iro_id: int | None, inclusive_end: bool = False) -> Exists:
    """The child (``OuterRef("child")``) had an IRO of the team, or the IRO, allocated on
    ``on`` (a date or an expression). Allocations run [start, end): on a handover day the new
    IRO has the child, unless ``inclusive_end`` (the last day of something) counts both."""
    ended_after = Q(end_date__gte=on) if inclusive_end else Q(end_date__gt=on)
    allocations = IroAllocation.objects.filter(child=OuterRef("child"), start_date__lte=on).filter(
        Q(end_date__isnull=True) | ended_after
    )
    if team_id:
        allocations = allocations.filter(iro__team_id=team_id)
    if iro_id:
        allocations = allocations.filter(iro_id=iro_id)
    return Exists(allocations)


def iro_allocated_on(*, on, team_id: int | None = None, iro_id: int | None = None) -> Exists:
    """The row's child (its ``child`` field) had an IRO of the team, or the IRO, allocated on
    ``on`` (a date or an expression): the figures' team and IRO filters for other apps' records
    about children, by the same rule as this app's."""
    return _allocated_on(on=on, team_id=team_id, iro_id=iro_id)


def lac_reviews_for_figures(
    *, team_id: int | None = None, iro_id: int | None = None, allocated_on: date | None = None
) -> QuerySet[LacReview]:
    """Reviews for the figures. The team and IRO filters mean the review's chair, or with
    ``allocated_on`` the child's IRO on that date (for figures about children, not meetings)."""
    reviews = LacReview.objects.all()
    if allocated_on is not None:
        if team_id or iro_id:
            reviews = reviews.filter(_allocated_on(on=allocated_on, team_id=team_id, iro_id=iro_id))
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
    periods = PeriodOfCare.objects.all()
    if team_id or iro_id:
        periods = periods.filter(
            _allocated_on(on=OuterRef(allocated_on_field), team_id=team_id, iro_id=iro_id, inclusive_end=True)
        )
    return periods


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
    # Each subquery orders by its own table's columns: an inherited ordering through a relation
    # would join people_child into the subquery run for every period.
    current_episode = (
        Episode.objects.filter(period=OuterRef("pk"), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .order_by("-start_date")
    )
    last_review = LacReview.objects.filter(period=OuterRef("pk"), review_date__lte=on).order_by(
        "-review_date"
    )
    iro_on_day = (
        IroAllocation.objects.filter(child=OuterRef("child"), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .order_by("-start_date")
    )
    periods = PeriodOfCare.objects.filter(_looked_after_on(on)).annotate(
        legal_status_on_day=Subquery(current_episode.values("legal_status")[:1]),
        review_due_on_day=Coalesce(
            Subquery(last_review.values("next_review_due")[:1]), F("first_review_due")
        ),
        last_review_on_day=Subquery(last_review.values("review_date")[:1]),
        iro_first_name=Subquery(iro_on_day.values("iro__first_name")[:1]),
        iro_last_name=Subquery(iro_on_day.values("iro__last_name")[:1]),
    )
    if team_id or iro_id:
        periods = periods.filter(_allocated_on(on=on, team_id=team_id, iro_id=iro_id))
    return periods


# What may be changed on a recorded review besides its parts, by the review page and the API
# alike (the record's distribution date is business support's, set by another page).
LAC_REVIEW_EDITABLE_FIELDS = (
    "chair",
    "participation_code",
    "sw_report_received",
    "decisions_circulated",
    "record_completed",
    "late_reason",
)


def lac_review_editable_values(*, review: LacReview) -> dict:
    """A recorded review's editable fields as stored: where an edit starts from."""
    return {name: getattr(review, name) for name in LAC_REVIEW_EDITABLE_FIELDS}


# --- for the QA alerts app ------------------------------------------------------------------


def children_in_care_on(*, child_ids, on: date) -> set[int]:
    """Of ``child_ids``, the children looked after on ``on`` (as ``periods_in_care_on`` counts
    them: a period started by then and not ended by it). One query."""
    return set(
        PeriodOfCare.objects.filter(child_id__in=list(child_ids), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .values_list("child_id", flat=True)
    )


def guardians_of_children(*, child_ids) -> QuerySet[CafcassInvolvement]:
    """The Children's Guardians recorded for these children, newest first, with the child."""
    return (
        CafcassInvolvement.objects.filter(child_id__in=list(child_ids))
        .select_related("child")
        .order_by("-start_date", "pk")
    )


def legal_advice_referrals_of_children(*, child_ids) -> QuerySet[LegalAdviceReferral]:
    """The referrals for independent legal advice recorded for these children, newest first."""
    return (
        LegalAdviceReferral.objects.filter(child_id__in=list(child_ids))
        .select_related("child")
        .order_by("-date_referred", "pk")
    )


def review_with_child(*, pk: int) -> LacReview:
    """One review with its child and chair (an alert raised from the review's page)."""
    return LacReview.objects.select_related("child", "chair").get(pk=pk)


def legal_advice_referrals_for_figures() -> QuerySet[LegalAdviceReferral]:
    """Every referral of a child for independent legal advice, for the figures."""
    return LegalAdviceReferral.objects.all()


def cafcass_involvements_for_figures() -> QuerySet[CafcassInvolvement]:
    """Every Children's Guardian appointment (care proceedings), for the figures."""
    return CafcassInvolvement.objects.all()
