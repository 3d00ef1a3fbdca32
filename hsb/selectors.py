"""Reads for the hsb app: one named query per screen, owning its joins, with a fixed number of
queries whatever the number of rows.

Who may see what is decided here, once: ``referrals_visible_to`` (everything for
``hsb.view_hsb_records``; for anyone else, the referrals whose meetings they chair). The pages
and the API answer 404 for anything outside it, so that someone not allowed cannot even learn
that a child has an HSB record."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from hsb.codes import THRESHOLD_RATINGS, Course
from hsb.models import HsbAssessment, HsbMeeting, HsbReferral, HsbTrainingRecord, PlannedCourse
from hsb.roles import MANAGE_WORK, VIEW_ALL
from iro_service.people.models import Child, StaffMember
from iro_service.people.selectors import staff_member_of
from iro_service.timescales.dates import add_working_days
from iro_service.timescales.selectors import timescale_settings
from reviews.selectors import child_in_care_on

# --- who may see what -----------------------------------------------------------------------


def sees_all(user) -> bool:
    """The HSB lead, IRO managers and senior managers: every HSB record."""
    return user.is_authenticated and user.has_perm(VIEW_ALL)


def referrals_visible_to(user) -> QuerySet[HsbReferral]:
    """The referrals ``user`` may see: all of them with ``hsb.view_hsb_records``; otherwise only
    those with a meeting the user's staff record chairs (an IRO chairing an HSB meeting)."""
    if sees_all(user):
        return HsbReferral.objects.restrict(user)
    staff = staff_member_of(user)
    if staff is None:
        return HsbReferral.objects.none()
    return HsbReferral.objects.restrict(user).filter(
        Exists(HsbMeeting.objects.filter(referral=OuterRef("pk"), chair_id=staff.pk))
    )


def meetings_visible_to(user) -> QuerySet[HsbMeeting]:
    return HsbMeeting.objects.filter(referral__in=referrals_visible_to(user).values("pk"))


def has_any_hsb_access(user) -> bool:
    """Whether ``user`` may see any HSB record at all (else every HSB page is a 404)."""
    return sees_all(user) or referrals_visible_to(user).exists()


def child_hsb_link(*, user, child: Child) -> dict | None:
    """The link from a child's page to their HSB records, for those allowed: anyone who may see
    every HSB record when the child has a referral (or, for the HSB lead, to add one), and an
    IRO who chairs a meeting about the child. None for everyone else: no link, no hint."""
    if sees_all(user):
        has = HsbReferral.objects.filter(child=child).exists()
        if not has and not user.has_perm(MANAGE_WORK):
            return None
    elif not referrals_visible_to(user).filter(child=child).exists():
        return None
    return {"label": "Harmful sexual behaviour", "url": reverse("hsb:child-referrals", args=[child.pk])}


# --- the lists ------------------------------------------------------------------------------


def _in_care_on_received() -> Exists:
    return child_in_care_on(child=OuterRef("child_id"), on=OuterRef("received_on"))


def _referral_rows(user) -> QuerySet[HsbReferral]:
    return (
        referrals_visible_to(user)
        .select_related("child", "decided_by")
        .annotate(in_care_on_received=_in_care_on_received())
    )


def _meeting_rows(user) -> QuerySet[HsbMeeting]:
    return (
        meetings_visible_to(user)
        .select_related("referral__child", "chair")
        .annotate(child_in_care=child_in_care_on(child=OuterRef("referral__child_id"), on=OuterRef("date")))
    )


def referrals_awaiting_decision(*, user) -> QuerySet[HsbReferral]:
    """The HSB lead's queue: referrals with no threshold decision yet, oldest first."""
    return _referral_rows(user).filter(decided_on__isnull=True).order_by("received_on", "pk")


def referrals_awaiting_meeting(*, user) -> QuerySet[HsbReferral]:
    """Referrals that met the threshold and have had no HSB meeting yet, oldest decision first."""
    met = Q(decided_on__isnull=False, rating__in=sorted(THRESHOLD_RATINGS))
    return (
        _referral_rows(user)
        .filter(met)
        .filter(~Exists(HsbMeeting.objects.filter(referral=OuterRef("pk"))))
        .order_by("decided_on", "pk")
    )


def meeting_records_to_distribute(*, user) -> QuerySet[HsbMeeting]:
    """Meetings whose record has not been distributed, the most overdue first."""
    return (
        _meeting_rows(user)
        .filter(record_distributed_on__isnull=True)
        .order_by("record_distributed_due", "pk")
    )


def review_window_end(*, today: date) -> date:
    """The last review date that counts as due soon: the reminder window in working days."""
    return add_working_days(today, timescale_settings().reminder_working_days)


def meeting_reviews_due(*, user, today: date) -> QuerySet[HsbMeeting]:
    """Meetings with a review date within the reminder window (or past) and no later meeting
    held for the referral: the review is still to happen."""
    later = HsbMeeting.objects.filter(referral=OuterRef("referral_id"), date__gt=OuterRef("date"))
    return (
        _meeting_rows(user)
        .filter(review_on__isnull=False, review_on__lte=review_window_end(today=today))
        .filter(~Exists(later))
        .order_by("review_on", "pk")
    )


def referral_list(*, user, search: str = "") -> QuerySet[HsbReferral]:
    """Every referral the user may see, newest first, optionally by the child's name or ID."""
    rows = _referral_rows(user)
    search = search.strip()
    if search:
        rows = rows.filter(
            Q(child__local_child_id__iexact=search)
            | Q(child__first_name__icontains=search)
            | Q(child__last_name__icontains=search)
        )
    return rows.order_by("-received_on", "-pk")


def child_referrals(*, user, child: Child) -> list[HsbReferral]:
    """A child's referrals, as far as the user may see them, with their meetings."""
    return list(
        _referral_rows(user)
        .filter(child=child)
        .prefetch_related(Prefetch("meetings", queryset=HsbMeeting.objects.order_by("date", "pk")))
        .order_by("-received_on", "-pk")
    )


# --- a referral's page ----------------------------------------------------------------------


@dataclass
class TimelineEntry:
    day: date
    title: str
    detail: str = ""


@dataclass
class ReferralPage:
    referral: HsbReferral
    meetings: list[HsbMeeting]
    assessments: list[HsbAssessment]
    timeline: list[TimelineEntry] = field(default_factory=list)


def referral_for_page(*, user, pk: int) -> ReferralPage:
    """A referral with its meetings (each with whether the child was in care that day), its
    assessments and its timeline, newest first. Raises ``HsbReferral.DoesNotExist`` for one the
    user may not see, exactly as for one that does not exist."""
    referral = _referral_rows(user).select_related("period_of_care", "cp_plan").get(pk=pk)
    meetings = list(_meeting_rows(user).filter(referral=referral).order_by("date", "pk"))
    assessments = list(
        HsbAssessment.objects.filter(referral=referral)
        .select_related("assessor_staff", "assessor_practitioner")
        .order_by("date", "pk")
    )
    timeline = [
        TimelineEntry(
            referral.received_on,
            "Referral received",
            f"From {referral.referrer_name} ({referral.referrer_team}). "
            + ("In care that day." if referral.in_care_on_received else "Not in care that day."),
        )
    ]
    if referral.is_decided:
        met = "meets" if referral.threshold_met else "does not meet"
        timeline.append(
            TimelineEntry(
                referral.decided_on,
                "Threshold decision",
                f"Rated {referral.rating_label.lower()}: {met} the threshold for an HSB meeting. "
                f"{referral.get_outcome_display()}. Decided by {referral.decided_by.full_name}.",
            )
        )
    for meeting in meetings:
        timeline.append(
            TimelineEntry(
                meeting.date,
                "HSB meeting held",
                f"Chaired by {meeting.chair.full_name}. "
                + ("In care that day." if meeting.child_in_care else "Not in care that day."),
            )
        )
        if meeting.record_produced_on:
            timeline.append(TimelineEntry(meeting.record_produced_on, "Meeting record produced"))
        if meeting.record_distributed_on:
            timeline.append(TimelineEntry(meeting.record_distributed_on, "Meeting record distributed"))
        if meeting.review_on:
            timeline.append(TimelineEntry(meeting.review_on, "Review of the meeting's plan due"))
    for assessment in assessments:
        timeline.append(
            TimelineEntry(
                assessment.date,
                f"{assessment.get_tool_display()} assessment",
                f"{assessment.get_outcome_display()}, by {assessment.assessor_name}.",
            )
        )
    timeline.sort(key=lambda entry: entry.day, reverse=True)
    return ReferralPage(referral=referral, meetings=meetings, assessments=assessments, timeline=timeline)


def meeting_for_page(*, user, pk: int) -> HsbMeeting:
    return _meeting_rows(user).get(pk=pk)


def referrals_for_api(*, user) -> QuerySet[HsbReferral]:
    """The referrals endpoint's rows: what the user may see, newest first."""
    return _referral_rows(user).order_by("-received_on", "pk")


def meetings_for_api(*, user) -> QuerySet[HsbMeeting]:
    return _meeting_rows(user).order_by("-date", "pk")


# --- choices for the forms ------------------------------------------------------------------


def chairs_in_post(*, on: date) -> QuerySet[StaffMember]:
    """Who may chair an HSB meeting: IROs and IRO managers (the HSB lead) in post."""
    return (
        StaffMember.objects.in_post(on)
        .filter(job_role__in=["iro", "iro_manager"])
        .order_by("last_name", "first_name", "pk")
    )


def staff_in_post(*, on: date) -> QuerySet[StaffMember]:
    return StaffMember.objects.in_post(on).select_related("team").order_by("last_name", "first_name", "pk")


# --- the training register ------------------------------------------------------------------


def training_register() -> QuerySet[HsbTrainingRecord]:
    """Every training record, newest first, with its worker and their team."""
    return HsbTrainingRecord.objects.select_related("staff__team", "practitioner").order_by(
        "-completed_on", "pk"
    )


@dataclass
class WorkforceRow:
    """One team (or outside agency) and how many of its workers have done each course."""

    name: str
    outside: bool
    counts: list[int]


def workforce_by_team_and_course() -> list[WorkforceRow]:
    """Who is trained, by team and course: the number of distinct workers of each team (staff)
    or agency (outside practitioners) with each course on the register. One query."""
    courses = Course.values
    cells: dict[tuple[str, bool], dict[str, set]] = defaultdict(lambda: defaultdict(set))
    rows = HsbTrainingRecord.objects.values_list(
        "course", "staff_id", "staff__team__name", "practitioner_id", "practitioner__agency"
    )
    for course, staff_id, team, practitioner_id, agency in rows:
        if staff_id is not None:
            cells[(team, False)][course].add(staff_id)
        else:
            cells[(agency, True)][course].add(practitioner_id)
    return [
        WorkforceRow(name=name, outside=outside, counts=[len(cells[(name, outside)][c]) for c in courses])
        for name, outside in sorted(cells, key=lambda key: (key[1], key[0].lower()))
    ]


def planned_courses() -> QuerySet[PlannedCourse]:
    return PlannedCourse.objects.order_by("planned_from", "pk")


# --- for the figures service (reports) ------------------------------------------------------
# The reports app aggregates these querysets; the rules of who counts live here.


def referrals_for_figures() -> QuerySet[HsbReferral]:
    """Every referral, with ``in_care_on_received`` derived from the periods of care."""
    return HsbReferral.objects.annotate(in_care_on_received=_in_care_on_received())


def meetings_for_figures() -> QuerySet[HsbMeeting]:
    """Every meeting, with ``child_in_care``: the child was in care on the meeting date."""
    return HsbMeeting.objects.annotate(
        child_in_care=child_in_care_on(child=OuterRef("referral__child_id"), on=OuterRef("date"))
    )


def training_for_figures() -> QuerySet[HsbTrainingRecord]:
    """Every completed HSB course, of staff and of outside practitioners."""
    return HsbTrainingRecord.objects.all()


def latest_referral_by_child(*, child_ids: Iterable[int] | None = None) -> dict[int, date]:
    """The date the latest HSB referral of each child was received (for the retention
    schedule, ``retention/schedule.py``). One query."""
    referrals = HsbReferral.objects.all()
    if child_ids is not None:
        referrals = referrals.filter(child_id__in=list(child_ids))
    return dict(
        referrals.values("child_id").annotate(latest=Max("received_on")).values_list("child_id", "latest")
    )
