"""Strategy discussions, and booking and standing down conferences: the checks a booking must
pass (chair, children's stages and plans, strategy discussion, transfer date)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from conferences.codes import needs_strategy_discussion
from conferences.models import (
    INITIAL_STAGES,
    REVIEW_STAGES,
    TYPE_STAGES,
    AgencyInvitation,
    ChildStage,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    Section47Enquiry,
    StoodDownReason,
    StrategyDiscussion,
)
from conferences.services._common import _dfe_warnings, _lock_conference, _open_plan, _refresh_around
from conferences.services.refresh import conference_due_dates_refresh
from iro_service.core.formats import long_date
from iro_service.people.codes import JobRole
from iro_service.people.models import Child, Family, FamilyMembership, StaffMember

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
    discussion.dfe_warnings = _dfe_warnings(child_ids=[child.pk for child in children], on=start)
    return discussion


# --- booking --------------------------------------------------------------------------------


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
    needs_discussion = needs_strategy_discussion(conference_type=conference_type, stages=stages)
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


def _conference_book(
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
    """Book the conference (``conference_book`` without the DfE's rules, which a rearranged
    conference's caller checks once)."""
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
    invite ``agencies`` and work out its due dates. The conference comes back with the DfE's
    CIN census rules its children's records break (``dfe_warnings``)."""
    conference = _conference_book(
        family=family,
        conference_type=conference_type,
        on=on,
        chair=chair,
        children=children,
        strategy_discussion=strategy_discussion,
        transfer_notified_on=transfer_notified_on,
        agencies=agencies,
    )
    conference.dfe_warnings = _dfe_warnings(child_ids=[child.pk for child, _ in children], on=on)
    return conference


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
    conference, or the stood-down one when no new date is known yet, with the DfE's CIN census
    rules its children's records break (``dfe_warnings``)."""
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
        rearranged = _conference_book(
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
    result.dfe_warnings = _dfe_warnings(
        child_ids=[link.child_id for link in locked.children.all()], on=result.date
    )
    return result
