"""Recording that a conference was held: each child's outcome, starting, continuing and
ending child protection plans, and which agencies were invited, came and sent reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from conferences.models import (
    INITIAL_STAGES,
    REVIEW_STAGES,
    AgencyInvitation,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    ConferenceOutcome,
    ConferenceStatus,
)
from conferences.services._common import _dfe_warnings, _lock_conference, _open_plan, _refresh_around
from conferences.services.refresh import plan_next_reviews_refresh
from iro_service.core.formats import long_date
from iro_service.people.models import Child

# --- recording a conference and its plans ---------------------------------------------------


class ChildDecisionError(ValidationError):
    """A decision that cannot be recorded for one child of the conference. It carries the child,
    so that a page shows the error beside that child's answers instead of guessing from the
    words of the message."""

    def __init__(self, message, *, child_id: int):
        super().__init__(message)
        self.child_id = child_id


def _plan_start(*, child: Child, conference: Conference, categories: list[str]) -> ChildProtectionPlan:
    if not categories:
        raise ChildDecisionError(
            {"categories": f"Select at least one category of abuse for {child.full_name}'s plan"},
            child_id=child.pk,
        )
    overlapping = (
        ChildProtectionPlan.objects.filter(child=child)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=conference.date))
        .order_by("start_date")
        .first()
    )
    if overlapping is not None:
        raise ChildDecisionError(
            {
                "categories": f"{child.full_name} already has a child protection plan from "
                f"{long_date(overlapping.start_date)}: one child's plans cannot overlap"
            },
            child_id=child.pk,
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
        raise ChildDecisionError(
            {"end_reason": f"Select why {plan.child.full_name}'s plan is ending"}, child_id=plan.child_id
        )
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
    plan = _plan_start(child=child, conference=conference, categories=categories)
    plan_next_reviews_refresh(child_ids=[child.pk])
    plan.refresh_from_db()
    return plan


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
    plan = _plan_end(plan=locked, conference=conference, reason=end_reason)
    plan_next_reviews_refresh(child_ids=[locked.child_id])
    plan.refresh_from_db()
    return plan


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
    starting or ending their plans, and which agencies were invited, came and sent reports.
    The conference comes back with the DfE's CIN census rules its children's records break
    (``dfe_warnings``)."""
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
    missing = [link for link in links if link.child_id not in decisions]
    if missing:
        raise ChildDecisionError(
            {"outcome": "Select the outcome for " + ", ".join(link.child.full_name for link in missing)},
            child_id=missing[0].child_id,
        )
    for link in links:
        decision = decisions[link.child_id]
        name = link.child.full_name
        allowed = (
            {ConferenceOutcome.PLAN_STARTED, ConferenceOutcome.NOT_NEEDED}
            if link.stage in INITIAL_STAGES
            else {ConferenceOutcome.PLAN_CONTINUED, ConferenceOutcome.PLAN_ENDED}
        )
        if decision.outcome not in allowed:
            raise ChildDecisionError(
                {
                    "outcome": f"Select an outcome for {name} that fits a {link.get_stage_display().lower()} "
                    "conference: " + " or ".join(sorted(ConferenceOutcome(o).label.lower() for o in allowed))
                },
                child_id=link.child_id,
            )
        if decision.categories and decision.outcome not in (
            ConferenceOutcome.PLAN_STARTED,
            ConferenceOutcome.PLAN_CONTINUED,
        ):
            raise ChildDecisionError(
                {"categories": f"{name} has no plan, so has no categories of abuse"}, child_id=link.child_id
            )
        if decision.outcome == ConferenceOutcome.PLAN_STARTED:
            _plan_start(child=link.child, conference=locked, categories=list(decision.categories))
        elif link.stage in REVIEW_STAGES:
            plan = _open_plan(link.child, locked.date)
            if plan is None:
                raise ChildDecisionError(
                    {
                        "outcome": f"{name} has no open child protection plan on "
                        f"{long_date(locked.date)} to review"
                    },
                    child_id=link.child_id,
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
    locked.dfe_warnings = _dfe_warnings(child_ids=[link.child_id for link in links], on=locked.date)
    return locked
