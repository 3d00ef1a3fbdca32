"""What the file says should be held for one child, worked out from its elements alone (no
database): the conferences held, each plan's categories, the family of a child in no household
and the date that family begins."""

from __future__ import annotations

from datetime import date

from conferences.cin_census.reader import ChildIn, EpisodeIn, PlanIn
from conferences.models import (
    INITIAL_STAGES,
    ChildProtectionPlan,
    ChildStage,
    ConferenceOutcome,
    ConferenceType,
)

INITIAL, REVIEW = "initial", "review"


def _family_reference(child_id: str) -> str:
    return f"CIN-{child_id}"[:20]


def _earliest_date(record: ChildIn) -> date | None:
    days = [e.referral_date for e in record.episodes]
    days += [e.start for e in record.enquiries]
    days += [p.start for p in record.plans]
    days += [e.initial_conference for e in record.episodes if e.initial_conference]
    return min(days) if days else None


def _categories(plan: PlanIn, existing: ChildProtectionPlan | None) -> tuple[list[str], bool]:
    if plan.latest_category == "MUL":
        if existing is not None and len(existing.categories) > 1:
            # The system already knows which categories: MUL says no more than that.
            return existing.categories, existing.categories_not_itemised
        return [], True
    return [plan.latest_category], False


def _wanted_conferences(record: ChildIn, plan_starts: set[date]):
    """The conferences the file says were held for this child: {(date, kind): details}."""
    wanted: dict[tuple[date, str], dict] = {}
    for episode in record.episodes:
        for enquiry in episode.enquiries:
            if enquiry.initial_conference is not None:
                wanted.setdefault((enquiry.initial_conference, INITIAL), {"enquiry_start": enquiry.start})
        day = episode.initial_conference
        if day is not None and (day, INITIAL) not in wanted:
            wanted[(day, INITIAL)] = {"enquiry_start": _enquiry_for(episode, day)}
    for (day, kind), details in wanted.items():
        if kind == INITIAL:
            born = record.date_of_birth
            pre_birth = born is None or born > day
            details["stage"] = ChildStage.INITIAL_PRE_BIRTH if pre_birth else ChildStage.INITIAL
            details["type"] = ConferenceType.INITIAL_PRE_BIRTH if pre_birth else ConferenceType.INITIAL
            details["outcome"] = (
                ConferenceOutcome.PLAN_STARTED if day in plan_starts else ConferenceOutcome.NOT_NEEDED
            )
    for plan in record.plans:
        for index, day in enumerate(plan.reviews):
            first = index == 0
            wanted[(day, REVIEW)] = {
                "enquiry_start": None,
                "stage": ChildStage.FIRST_REVIEW if first else ChildStage.REVIEW,
                "type": ConferenceType.FIRST_REVIEW if first else ConferenceType.REVIEW,
                "outcome": ConferenceOutcome.PLAN_ENDED
                if day == plan.end
                else ConferenceOutcome.PLAN_CONTINUED,
            }
    return wanted


def _enquiry_for(episode: EpisodeIn, day: date) -> date | None:
    """The section 47 enquiry an episode-level initial conference followed: the latest one started
    by then that has no initial conference of its own."""
    candidates = [e.start for e in episode.enquiries if e.start <= day and e.initial_conference is None]
    return max(candidates) if candidates else None


def _kind(stage: str) -> str:
    return INITIAL if stage in INITIAL_STAGES else REVIEW
