"""Writes for the conferences app: workflows that change its models, named <entity>_<action>.

Every write validates first and changes nothing if anything is wrong: each service runs in one
transaction and raises ``ValidationError({field: message})`` with a message that says what to do.
Due dates are never set by hand: ``conference_due_dates_refresh`` derives them from the dated
facts through the timescales module.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from conferences import selectors
from conferences.due_dates import child_stage_due_date, conference_due_values
from conferences.models import (
    INITIAL_STAGES,
    REVIEW_STAGES,
    TYPE_STAGES,
    AgencyInvitation,
    Appeal,
    AppealOutcome,
    ChildProtectionPlan,
    ChildStage,
    Conference,
    ConferenceChild,
    ConferenceOutcome,
    ConferenceReminder,
    ConferenceStatus,
    ConferenceType,
    ReminderKind,
    Section47Enquiry,
    StoodDownReason,
    StrategyDiscussion,
)
from iro_service.audit.roles import Role
from iro_service.core.db import update_columns
from iro_service.core.formats import long_date
from iro_service.people.codes import JobRole
from iro_service.people.models import Child, Family, FamilyMembership, StaffMember
from iro_service.people.services import refuse_if_changed_since
from iro_service.timescales.dates import (
    add_working_days,
    extra_non_working_days,
)
from iro_service.timescales.selectors import timescale_settings

# --- due dates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _HeldHistory:
    """Each child's held conferences, oldest first, for finding "the previous conference"."""

    dates: dict[int, list[date]]

    def previous(self, child_id: int, before: date) -> date | None:
        dates = self.dates.get(child_id, [])
        index = bisect.bisect_left(dates, before)
        return dates[index - 1] if index else None


def _held_history(child_ids: Iterable[int] | None) -> _HeldHistory:
    rows = ConferenceChild.objects.filter(conference__status=ConferenceStatus.HELD)
    if child_ids is not None:
        rows = rows.filter(child_id__in=list(child_ids))
    dates: dict[int, list[date]] = defaultdict(list)
    for child_id, held_on in rows.order_by("child_id", "conference__date").values_list(
        "child_id", "conference__date"
    ):
        dates[child_id].append(held_on)
    return _HeldHistory(dates=dict(dates))


def conference_due_dates_refresh(*, conference_ids: Iterable[int] | None = None) -> int:
    """Recompute the cached due dates of the given conferences (all of them when None) from the
    facts and the current timescale settings; return how many rows changed.

    The one place due dates are written. Runs nightly (settings and non-working days change)
    and after every change to a conference, for it and the later conferences of its children.
    A stood-down conference is not held, so it never counts as "the previous conference"."""
    settings_row = timescale_settings()
    extra = extra_non_working_days()
    conferences = Conference.objects.select_related("strategy_discussion")
    if conference_ids is not None:
        conferences = conferences.filter(pk__in=list(conference_ids))
    conferences = list(conferences)
    if not conferences:
        return 0
    links = list(
        ConferenceChild.objects.filter(conference__in=[c.pk for c in conferences]).select_related("child")
    )
    history = _held_history({link.child_id for link in links} if conference_ids is not None else None)
    links_by_conference: dict[int, list[ConferenceChild]] = defaultdict(list)
    for link in links:
        links_by_conference[link.conference_id].append(link)

    changed_conferences, changed_links = [], []
    for conference in conferences:
        child_dues = []
        for link in links_by_conference[conference.pk]:
            due = child_stage_due_date(
                conference=conference,
                stage=link.stage,
                child=link.child,
                previous_held=history.previous(link.child_id, conference.date),
                settings_row=settings_row,
                extra=extra,
            )
            if due is not None:
                child_dues.append(due)
            if link.due_date != due:
                link.due_date = due
                changed_links.append(link)
        values = conference_due_values(
            conference=conference, child_dues=child_dues, settings_row=settings_row, extra=extra
        )
        if any(getattr(conference, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(conference, field, value)
            changed_conferences.append(conference)
    # bulk_update leaves updated_at alone: refreshing a cache must not make an editor's open
    # form look stale.
    fields = ["due_date", "parent_report_due", "chair_report_due", "record_due"]
    update_columns(
        Conference, [(c.pk, *(getattr(c, field) for field in fields)) for c in changed_conferences], fields
    )
    update_columns(ConferenceChild, [(link.pk, link.due_date) for link in changed_links], ["due_date"])
    return len(changed_conferences) + len(changed_links)


def _refresh_around(conference: Conference) -> None:
    """Refresh ``conference`` and every conference of its children on or after its date: a
    change to whether or when it was held moves their "previous conference"."""
    child_ids = ConferenceChild.objects.filter(conference=conference).values("child_id")
    later = Conference.objects.filter(children__child_id__in=child_ids, date__gte=conference.date)
    ids = set(later.values_list("pk", flat=True)) | {conference.pk}
    conference_due_dates_refresh(conference_ids=ids)


# --- strategy discussions -------------------------------------------------------------------


@transaction.atomic
def strategy_discussion_record(
    *, family: Family, on: date, children: list[Child], s47_start_date: date | None = None
) -> StrategyDiscussion:
    """Record a strategy discussion about ``family`` that started section 47 enquiries about
    ``children`` (on the day of the discussion unless ``s47_start_date`` says otherwise)."""
    if not children:
        raise ValidationError({"children": "Select the children the section 47 enquiries are about"})
    outsiders = [child for child in children if not family.memberships.filter(child=child).exists()]
    if outsiders:
        names = ", ".join(child.full_name for child in outsiders)
        raise ValidationError({"children": f"Not a member of {family.name}: {names}"})
    start = s47_start_date or on
    if start < on:
        raise ValidationError(
            {
                "s47_start_date": "The section 47 enquiry cannot start before the strategy discussion on "
                f"{long_date(on)}"
            }
        )
    discussion = StrategyDiscussion(family=family, date=on)
    discussion.full_clean()
    discussion.save()
    for child in children:
        enquiry = Section47Enquiry(strategy_discussion=discussion, child=child, start_date=start)
        enquiry.full_clean()
        enquiry.save()
    return discussion


# --- booking --------------------------------------------------------------------------------


def _open_plan(child: Child, on: date) -> ChildProtectionPlan | None:
    """The plan ``child`` is on at a conference held on ``on`` (started before it, not ended
    before it)."""
    return (
        ChildProtectionPlan.objects.filter(child=child, start_date__lt=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .order_by("-start_date")
        .first()
    )


def _validate_booking(
    *,
    family: Family,
    conference_type: str,
    on: date,
    chair: StaffMember,
    children: list[tuple[Child, str]],
    strategy_discussion: StrategyDiscussion | None,
    transfer_notified_on: date | None,
) -> None:
    errors: dict[str, list[str]] = defaultdict(list)
    if chair.job_role != JobRole.IRO:
        errors["chair"].append(f"{chair.full_name} is not an IRO: choose an IRO to chair the conference")
    elif chair.end_date is not None and chair.end_date < on:
        errors["chair"].append(
            f"{chair.full_name} left the service on {long_date(chair.end_date)}: choose another chair"
        )
    if not children:
        errors["children"].append("Select the children the conference is about")
    stages = {stage for _, stage in children}
    wanted = TYPE_STAGES.get(conference_type)
    if wanted is None:
        errors["conference_type"].append("Select the type of conference")
    elif children and stages != wanted:
        labels = dict(ChildStage.choices)
        errors["conference_type"].append(
            f"{ConferenceType(conference_type).label} conferences are for children at these stages: "
            + ", ".join(sorted(labels[s] for s in wanted))
            + ". Check each child's stage or choose the combined type that fits."
        )
    if strategy_discussion is not None:
        if strategy_discussion.family_id != family.pk:
            errors["strategy_discussion"].append("That strategy discussion was about another family")
        elif on < strategy_discussion.date:
            errors["date"].append(
                f"The conference cannot be before its strategy discussion on "
                f"{long_date(strategy_discussion.date)}"
            )
    needs_discussion = ChildStage.INITIAL in stages and conference_type != ConferenceType.INITIAL_RECEIVING_IN
    if needs_discussion and strategy_discussion is None:
        errors["strategy_discussion"].append(
            "Select the strategy discussion that started the section 47 enquiry: an initial conference "
            "counts "
            "from it"
        )
    if conference_type == ConferenceType.INITIAL_RECEIVING_IN:
        if transfer_notified_on is None:
            errors["transfer_notified_on"].append("Enter the date the transfer in was notified")
        elif transfer_notified_on > on:
            errors["transfer_notified_on"].append("The transfer must be notified before the conference")
    elif transfer_notified_on is not None:
        errors["transfer_notified_on"].append("Only a receiving-in conference has a transfer date")

    members = set(
        FamilyMembership.objects.filter(family=family, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .values_list("child_id", flat=True)
    )
    for child, stage in children:
        if child.pk not in members:
            errors["children"].append(
                f"{child.full_name} is not in the {family.name} household on {long_date(on)}"
            )
        plan = _open_plan(child, on)
        if stage in REVIEW_STAGES and plan is None:
            errors["children"].append(
                f"{child.full_name} has no open child protection plan on {long_date(on)}: "
                "a review conference needs one. "
                "Hold an initial conference instead."
            )
        if stage in INITIAL_STAGES and plan is not None:
            errors["children"].append(
                f"{child.full_name} is already on a child protection plan from {long_date(plan.start_date)}: "
                "their next conference is a review"
            )
        if stage == ChildStage.INITIAL_PRE_BIRTH:
            if child.expected_date_of_birth is None:
                errors["children"].append(
                    f"Enter {child.full_name}'s expected date of birth for a pre-birth conference"
                )
            if child.date_of_birth is not None and child.date_of_birth <= on:
                errors["children"].append(
                    f"{child.full_name} was born on {long_date(child.date_of_birth)}: hold an "
                    f"initial conference, "
                    "not a pre-birth one"
                )
    if errors:
        raise ValidationError(dict(errors))


@transaction.atomic
def conference_book(
    *,
    family: Family,
    conference_type: str,
    on: date,
    chair: StaffMember,
    children: list[tuple[Child, str]],
    strategy_discussion: StrategyDiscussion | None = None,
    transfer_notified_on: date | None = None,
    agencies: Iterable[str] = (),
) -> Conference:
    """Book a conference for ``family`` on ``on`` about ``children`` (each with their stage),
    invite ``agencies`` and work out its due dates."""
    # Lock the family: two people booking its conference at once must not both succeed on
    # stale plan checks.
    Family.objects.select_for_update().get(pk=family.pk)
    _validate_booking(
        family=family,
        conference_type=conference_type,
        on=on,
        chair=chair,
        children=children,
        strategy_discussion=strategy_discussion,
        transfer_notified_on=transfer_notified_on,
    )
    conference = Conference(
        family=family,
        conference_type=conference_type,
        date=on,
        chair=chair,
        strategy_discussion=strategy_discussion,
        transfer_notified_on=transfer_notified_on,
    )
    conference.full_clean()
    conference.save()
    for child, stage in children:
        link = ConferenceChild(conference=conference, child=child, stage=stage)
        link.full_clean()
        link.save()
    for agency in agencies:
        invitation = AgencyInvitation(conference=conference, agency=agency, invited=True)
        invitation.full_clean()
        invitation.save()
    conference_due_dates_refresh(conference_ids=[conference.pk])
    conference.refresh_from_db()
    return conference


def _lock_conference(conference: Conference, seen_updated_at: datetime | None) -> Conference:
    # of=("self",): the chair may be blank (imported conferences), and PostgreSQL cannot lock
    # the nullable side of an outer join; only the conference row needs the lock.
    locked = (
        Conference.objects.select_for_update(of=("self",))
        .select_related("family", "chair")
        .get(pk=conference.pk)
    )
    refuse_if_changed_since(locked, seen_updated_at, what="conference")
    return locked


@transaction.atomic
def conference_stand_down(
    *,
    conference: Conference,
    reason: str,
    detail: str = "",
    rearranged_on: date | None = None,
    seen_updated_at: datetime | None = None,
) -> Conference:
    """Stand down a booked conference on the day, with the reason (seed 6.7), and book the
    rearranged conference on ``rearranged_on`` for the same children. Returns the rearranged
    conference, or the stood-down one when no new date is known yet."""
    locked = _lock_conference(conference, seen_updated_at)
    if locked.status != ConferenceStatus.BOOKED:
        raise ValidationError({"status": f"This conference is already {locked.get_status_display().lower()}"})
    if reason not in StoodDownReason.values:
        raise ValidationError({"reason": "Select why the conference could not go ahead"})
    if reason == StoodDownReason.OTHER and not detail.strip():
        raise ValidationError({"detail": "Say why the conference could not go ahead"})
    if rearranged_on is not None and rearranged_on < locked.date:
        raise ValidationError(
            {"rearranged_on": f"The rearranged conference must be on or after {long_date(locked.date)}"}
        )
    locked.status = ConferenceStatus.STOOD_DOWN
    locked.stood_down_reason = reason
    locked.stood_down_detail = detail.strip()
    locked.full_clean()
    locked.save()
    result = locked
    if rearranged_on is not None:
        links = list(locked.children.select_related("child").order_by(*ConferenceChild.BY_NAME))
        rearranged = conference_book(
            family=locked.family,
            conference_type=locked.conference_type,
            on=rearranged_on,
            chair=locked.chair,
            children=[(link.child, link.stage) for link in links],
            strategy_discussion=locked.strategy_discussion,
            transfer_notified_on=locked.transfer_notified_on,
            agencies=locked.invitations.values_list("agency", flat=True),
        )
        locked.rearranged_as = rearranged
        locked.save(update_fields=["rearranged_as", "updated_at"])
        result = rearranged
    _refresh_around(locked)
    return result


# --- recording a conference and its plans ---------------------------------------------------


def _plan_start(*, child: Child, conference: Conference, categories: list[str]) -> ChildProtectionPlan:
    if not categories:
        raise ValidationError(
            {"categories": f"Select at least one category of abuse for {child.full_name}'s plan"}
        )
    overlapping = (
        ChildProtectionPlan.objects.filter(child=child)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=conference.date))
        .order_by("start_date")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "categories": f"{child.full_name} already has a child protection plan from "
                f"{long_date(overlapping.start_date)}: one child's plans cannot overlap"
            }
        )
    plan = ChildProtectionPlan(
        child=child,
        start_conference=conference,
        start_date=conference.date,
        categories=sorted(set(categories)),
    )
    plan.full_clean()
    plan.save()
    return plan


def _plan_end(*, plan: ChildProtectionPlan, conference: Conference, reason: str) -> ChildProtectionPlan:
    if not reason:
        raise ValidationError({"end_reason": f"Select why {plan.child.full_name}'s plan is ending"})
    plan.end_conference = conference
    plan.end_date = conference.date
    plan.end_reason = reason
    plan.full_clean()
    plan.save()
    return plan


def _held_conference_for(child: Child, on: date) -> Conference | None:
    return (
        Conference.objects.filter(status=ConferenceStatus.HELD, date=on, children__child=child)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def cp_plan_start(*, child: Child, start_date: date, categories: list[str]) -> ChildProtectionPlan:
    """Start a plan for ``child`` at the held conference on ``start_date`` (a plan starts on
    the date of the conference that made it)."""
    conference = _held_conference_for(child, start_date)
    if conference is None:
        raise ValidationError(
            {
                "start_date": f"There is no held conference for {child.full_name} on "
                f"{long_date(start_date)}: "
                "a plan "
                "starts on the date of the conference that made it"
            }
        )
    return _plan_start(child=child, conference=conference, categories=categories)


@transaction.atomic
def cp_plan_end(*, plan: ChildProtectionPlan, end_date: date, end_reason: str) -> ChildProtectionPlan:
    """End ``plan`` at the held conference on ``end_date`` with ``end_reason``."""
    locked = ChildProtectionPlan.objects.select_for_update().select_related("child").get(pk=plan.pk)
    if locked.end_date is not None:
        raise ValidationError({"end_date": f"This plan already ended on {long_date(locked.end_date)}"})
    conference = _held_conference_for(locked.child, end_date)
    if conference is None:
        raise ValidationError(
            {
                "end_date": f"There is no held conference for {locked.child.full_name} on "
                f"{long_date(end_date)}: "
                "a plan ends on the date of the conference that ended it"
            }
        )
    if end_date <= locked.start_date:
        raise ValidationError(
            {"end_date": f"The plan must end after it started on {long_date(locked.start_date)}"}
        )
    return _plan_end(plan=locked, conference=conference, reason=end_reason)


@dataclass(frozen=True)
class ChildDecision:
    """What a conference decided for one child."""

    outcome: str
    categories: tuple[str, ...] = ()
    end_reason: str = ""


@dataclass(frozen=True)
class AgencyAttendance:
    agency: str
    invited: bool = True
    attended: bool = False
    report_submitted: bool = False


@transaction.atomic
def conference_record(
    *,
    conference: Conference,
    decisions: dict[int, ChildDecision],
    attendance: Iterable[AgencyAttendance] = (),
    seen_updated_at: datetime | None = None,
) -> Conference:
    """Record that a booked conference was held: each child's outcome (keyed by child id),
    starting or ending their plans, and which agencies were invited, came and sent reports."""
    locked = _lock_conference(conference, seen_updated_at)
    if locked.status != ConferenceStatus.BOOKED:
        raise ValidationError({"status": f"This conference is already {locked.get_status_display().lower()}"})
    if locked.date > timezone.localdate():
        raise ValidationError(
            {
                "outcome": f"The conference is on {long_date(locked.date)}: "
                "record what it decided once it has been held"
            }
        )
    links = list(locked.children.select_related("child").order_by(*ConferenceChild.BY_NAME))
    missing = [link.child.full_name for link in links if link.child_id not in decisions]
    if missing:
        raise ValidationError({"outcome": "Select the outcome for " + ", ".join(missing)})
    for link in links:
        decision = decisions[link.child_id]
        name = link.child.full_name
        allowed = (
            {ConferenceOutcome.PLAN_STARTED, ConferenceOutcome.NOT_NEEDED}
            if link.stage in INITIAL_STAGES
            else {ConferenceOutcome.PLAN_CONTINUED, ConferenceOutcome.PLAN_ENDED}
        )
        if decision.outcome not in allowed:
            raise ValidationError(
                {
                    "outcome": f"Select an outcome for {name} that fits a {link.get_stage_display().lower()} "
                    "conference: " + " or ".join(sorted(ConferenceOutcome(o).label.lower() for o in allowed))
                }
            )
        if decision.categories and decision.outcome not in (
            ConferenceOutcome.PLAN_STARTED,
            ConferenceOutcome.PLAN_CONTINUED,
        ):
            raise ValidationError({"categories": f"{name} has no plan, so has no categories of abuse"})
        if decision.outcome == ConferenceOutcome.PLAN_STARTED:
            _plan_start(child=link.child, conference=locked, categories=list(decision.categories))
        elif link.stage in REVIEW_STAGES:
            plan = _open_plan(link.child, locked.date)
            if plan is None:
                raise ValidationError(
                    {
                        "outcome": f"{name} has no open child protection plan on "
                        f"{long_date(locked.date)} to review"
                    }
                )
            if decision.outcome == ConferenceOutcome.PLAN_ENDED:
                _plan_end(plan=plan, conference=locked, reason=decision.end_reason)
            elif decision.categories and sorted(set(decision.categories)) != sorted(plan.categories):
                # A review can change the categories of a continuing plan.
                plan.categories = sorted(set(decision.categories))
                plan.categories_not_itemised = False
                plan.full_clean()
                plan.save()
        link.outcome = decision.outcome
        link.full_clean()
        link.save()
    for row in attendance:
        invitation, _ = AgencyInvitation.objects.get_or_create(conference=locked, agency=row.agency)
        invitation.invited = row.invited
        invitation.attended = row.attended
        invitation.report_submitted = row.report_submitted
        invitation.full_clean()
        invitation.save()
    locked.status = ConferenceStatus.HELD
    locked.full_clean()
    locked.save()
    _refresh_around(locked)
    return locked


# --- paperwork: reports and records ---------------------------------------------------------


@transaction.atomic
def conference_reports_record(
    *,
    conference: Conference,
    report_to_parents_on: date | None,
    report_to_chair_on: date | None,
    seen_updated_at: datetime | None = None,
) -> Conference:
    """Record the dates the social worker's report reached the parents and the chair."""
    locked = _lock_conference(conference, seen_updated_at)
    errors = {}
    for field, value, who in (
        ("report_to_parents_on", report_to_parents_on, "parents"),
        ("report_to_chair_on", report_to_chair_on, "chair"),
    ):
        if value is not None and value > locked.date:
            errors[field] = (
                f"The date the report reached the {who} cannot be after the conference on "
                f"{long_date(locked.date)}. "
                "If it arrived after the conference, leave the date blank."
            )
    if errors:
        raise ValidationError(errors)
    locked.report_to_parents_on = report_to_parents_on
    locked.report_to_chair_on = report_to_chair_on
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def conference_record_distribute(
    *,
    conference: Conference,
    completed_on: date,
    distributed_on: date | None,
    seen_updated_at: datetime | None = None,
) -> Conference:
    """Record that the conference record and plan were completed and, when known, distributed."""
    locked = _lock_conference(conference, seen_updated_at)
    if locked.status != ConferenceStatus.HELD:
        raise ValidationError({"completed_on": "Only a conference that was held has a record to distribute"})
    if completed_on < locked.date:
        raise ValidationError(
            {
                "completed_on": f"The record cannot be completed before the conference on "
                f"{long_date(locked.date)}"
            }
        )
    if distributed_on is not None and distributed_on < completed_on:
        raise ValidationError(
            {
                "distributed_on": "The record cannot be distributed before it was completed on "
                f"{long_date(completed_on)}"
            }
        )
    locked.record_completed_on = completed_on
    locked.record_distributed_on = distributed_on
    locked.full_clean()
    locked.save()
    return locked


# --- appeals --------------------------------------------------------------------------------


@transaction.atomic
def appeal_record(
    *,
    conference: Conference,
    appellant: str,
    received_on: date,
    child: Child | None = None,
    summary: str = "",
) -> Appeal:
    """Record an appeal or complaint about a held conference's decision or conduct."""
    conference = Conference.objects.get(pk=conference.pk)
    if conference.status != ConferenceStatus.HELD:
        raise ValidationError({"conference": "Appeals are about conferences that were held"})
    if received_on < conference.date:
        raise ValidationError(
            {
                "received_on": f"An appeal cannot be received before the conference on "
                f"{long_date(conference.date)}"
            }
        )
    if child is not None and not conference.children.filter(child=child).exists():
        raise ValidationError({"child": f"{child.full_name} was not considered at this conference"})
    appeal = Appeal(
        conference=conference, child=child, appellant=appellant, received_on=received_on, summary=summary
    )
    appeal.full_clean()
    appeal.save()
    return appeal


@transaction.atomic
def appeal_update(
    *,
    appeal: Appeal,
    stage: int,
    outcome: str,
    response_sent_on: date | None,
    seen_updated_at: datetime | None = None,
) -> Appeal:
    """Move an appeal to ``stage`` with its outcome and the date the written response was sent.
    Refused if someone else changed the appeal since ``seen_updated_at``, the version the editor
    read, so that two managers moving it on at once cannot silently overwrite each other."""
    locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    refuse_if_changed_since(locked, seen_updated_at, what="appeal")
    if stage < locked.stage:
        raise ValidationError(
            {"stage": f"The appeal is already at stage {locked.stage}: stages only go forward"}
        )
    if outcome != AppealOutcome.PENDING and outcome != AppealOutcome.WITHDRAWN and response_sent_on is None:
        raise ValidationError({"response_sent_on": "Enter the date the written response was sent"})
    if response_sent_on is not None and response_sent_on < locked.received_on:
        raise ValidationError(
            {
                "response_sent_on": "The response cannot be sent before the appeal was received on "
                f"{long_date(locked.received_on)}"
            }
        )
    locked.stage = stage
    locked.outcome = outcome
    locked.response_sent_on = response_sent_on
    locked.full_clean()
    locked.save()
    return locked


# --- reminders ------------------------------------------------------------------------------


def conference_reminders_send(*, on: date) -> int:
    """Email each chair their conferences in the next reminder window and their overdue
    records, and business support the reports outstanding and records to distribute. Returns
    the number of emails sent. Idempotent: each email is claimed for the day by a
    ConferenceReminder row before it is sent, so running the job again (or twice at once)
    sends nothing twice."""
    settings_row = timescale_settings()
    horizon = add_working_days(on, settings_row.reminder_working_days)
    sent = 0
    upcoming = selectors.conferences_upcoming(on=on, until=horizon)
    overdue = selectors.records_overdue(on=on)
    by_chair: dict[int, dict[str, list[Conference]]] = defaultdict(lambda: {"upcoming": [], "overdue": []})
    chairs: dict[int, StaffMember] = {}
    for conference in upcoming:
        by_chair[conference.chair_id]["upcoming"].append(conference)
        chairs[conference.chair_id] = conference.chair
    for conference in overdue:
        if conference.chair_id is None:
            continue
        by_chair[conference.chair_id]["overdue"].append(conference)
        chairs[conference.chair_id] = conference.chair
    for chair_id, lists in by_chair.items():
        chair = chairs[chair_id]
        address = chair.email or (chair.user.email if chair.user_id else "")
        if not address:
            continue
        lines = [f"Conferences you chair up to {long_date(horizon)}:"]
        lines += [
            f"- {c.date:%d %b %Y}: {c.get_conference_type_display()}, {c.family.name}"
            for c in lists["upcoming"]
        ]
        lines += ["", "Records overdue:"]
        lines += [
            f"- {c.family.name}, conference {c.date:%d %b %Y}, due {c.record_due:%d %b %Y}"
            for c in lists["overdue"]
        ]
        sent += _reminder_send_once(
            kind=ReminderKind.CHAIR,
            recipients=[address],
            on=on,
            subject="Your child protection conferences",
            body="\n".join(lines),
        )
    reports = selectors.reports_outstanding(on=on).filter(date__lte=horizon)
    records = selectors.records_to_distribute()
    support = list(
        get_user_model()
        .objects.filter(groups__name=Role.BUSINESS_SUPPORT, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
    if support and (reports.exists() or records.exists()):
        body = (
            f"Conferences up to {long_date(horizon)} still waiting for a social worker's report: "
            f"{reports.count()}\n"
            f"Conference records waiting to be distributed: {records.count()}\n"
        )
        sent += _reminder_send_once(
            kind=ReminderKind.PAPERWORK,
            recipients=support,
            on=on,
            subject="Child protection conference paperwork",
            body=body,
        )
    return sent


def _reminder_send_once(*, kind: str, recipients: list[str], on: date, subject: str, body: str) -> int:
    """Send one reminder unless it has already gone today; 1 if it was sent now, else 0.

    The claim is committed before the email goes: an email cannot be taken back, so it must
    never be sent from inside a transaction that could still roll back, and a concurrent run
    that loses the race for the claim sends nothing. If sending fails, the claim is removed
    and the error raised, so that the task's retry sends it."""
    recipient = ",".join(recipients)[:254]
    with transaction.atomic():
        claim, created = ConferenceReminder.objects.get_or_create(kind=kind, recipient=recipient, sent_on=on)
    if not created:
        return 0
    try:
        send_mail(subject, body, None, recipients)
    except Exception:
        claim.delete()
        raise
    return 1
