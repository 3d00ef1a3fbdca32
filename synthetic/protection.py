"""A family's child protection work: strategy discussions and section 47 enquiries, conferences
of every type (children joining a plan make the combined ones, transfers in and reconvened
initial conferences the rest), stood-down conferences rearranged, attendance, plans, CIN episodes
and appeals. The cached due dates, and each open plan's next review, come from
``conferences.due_dates``."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from conferences.codes import TYPE_STAGES
from conferences.due_dates import child_stage_due_date, conference_due_values, plan_next_review
from conferences.models import (
    AbuseCategory,
    Agency,
    AgencyInvitation,
    Appeal,
    AppealOutcome,
    Appellant,
    ChildProtectionPlan,
    ChildStage,
    CinEpisode,
    Conference,
    ConferenceChild,
    ConferenceOutcome,
    ConferenceStatus,
    ConferenceType,
    PlanEndReason,
    Section47Enquiry,
    StoodDownReason,
    StrategyDiscussion,
)
from iro_service.timescales.dates import add_months
from synthetic.presets import LAST_DAY

# The code lists drawn from, as tuples once: ``.values`` builds a new list at each call.
_STOOD_DOWN_REASON_CODES = tuple(StoodDownReason.values)
_AGENCY_CODES = tuple(Agency.values)
_APPELLANT_CODES = tuple(Appellant.values)
_ABUSE_CATEGORY_CODES = tuple(AbuseCategory.values)

# The conference type of each set of stages (the single-stage initial types are chosen apart).
TYPE_OF_STAGES = {stages: kind for kind, stages in TYPE_STAGES.items()} | {
    frozenset({ChildStage.INITIAL}): ConferenceType.INITIAL
}
REFERRAL_SOURCES = ("1A", "1B", "2A", "2B", "3A", "3E", "4", "5A", "5C", "6", "8")
CLOSURE_REASONS = ("RC1", "RC2", "RC3", "RC4", "RC7", "RC8")
UNBORN_DAYS = 150  # an unborn child is conferenced once the birth is this close
BOOKED_AHEAD_DAYS = 90  # conferences booked after the last day of the data


def _age(born: date, on: date) -> float:
    return (on - born).days / 365.25


def protection_build(chunk, family, children: list, start: date) -> date | None:
    """One child protection cycle from the strategy discussion on ``start``. Returns the day
    the plans ended (None if none started or they are still open)."""
    rng, tables = chunk.rng, chunk.tables
    chair = rng.choice(chunk.staff.iros)
    transfer_in = rng.random() < 0.05
    discussion = None
    if not transfer_in:
        discussion = StrategyDiscussion(family_id=family, date=start)
        discussion.pk = tables[StrategyDiscussion].add(family_id=family, date=start)
    day = start + timedelta(days=rng.randrange(7, 21))
    stage: dict[int, str] = {}  # child index -> stage at the next conference
    on_plan: dict[int, int] = {}  # child index -> plan id
    held: dict[int, list[date]] = {}
    plan_end_target = add_months(day, rng.choice((6, 9, 12, 15, 18, 24, 30, 36, 48)))
    ended_on = None
    first = True
    # The facts every conference of the cycle shares.
    write = partial(
        _conference, chunk, family, children, chair, discussion, held, start if transfer_in else None
    )
    while True:
        # Who this conference considers: children on a plan, and children not yet on one who
        # are born (under 17) or due within UNBORN_DAYS.
        for index, child in enumerate(children):
            if index in stage or index in held:
                continue  # on a plan already, or conferenced before in this cycle
            if child.born > day + timedelta(days=UNBORN_DAYS) or _age(child.born, day) > 17:
                continue
            if first and index and child.born <= day and rng.random() < 0.08:
                continue  # living with the other parent: joins the plan at a later conference
            if not first and index not in on_plan and rng.random() < 0.5 and child.born <= day:
                continue
            joining = ChildStage.INITIAL_PRE_BIRTH if child.born > day else ChildStage.INITIAL
            if frozenset({*stage.values(), joining}) not in TYPE_OF_STAGES:
                continue  # no conference type considers children at three stages
            stage[index] = joining
            if joining == ChildStage.INITIAL_PRE_BIRTH:
                chunk.unborn_at(child, day)
            else:
                if discussion is not None and first:
                    tables[Section47Enquiry].add(
                        strategy_discussion_id=discussion.pk, child_id=child.pk, start_date=start
                    )
        if not stage:
            return ended_on
        stages = frozenset(stage.values())
        kind = TYPE_OF_STAGES[stages]
        if kind == ConferenceType.INITIAL and first:
            kind = (
                ConferenceType.INITIAL_RECEIVING_IN
                if transfer_in
                else (ConferenceType.INITIAL_RECONVENED if rng.random() < 0.03 else ConferenceType.INITIAL)
            )
        if day > LAST_DAY:
            if day <= LAST_DAY + timedelta(days=BOOKED_AHEAD_DAYS):
                write(
                    kind,
                    day,
                    stage,
                    status=ConferenceStatus.BOOKED,
                )
            return None
        if rng.random() < 0.07:
            stood_down = write(
                kind,
                day,
                stage,
                status=ConferenceStatus.STOOD_DOWN,
            )
            day = day + timedelta(days=rng.randrange(5, 15))
            if day > LAST_DAY:
                return None
        else:
            stood_down = None
        conference, _ = write(
            kind,
            day,
            stage,
            status=ConferenceStatus.HELD,
            on_plan=on_plan,
            ending=day >= plan_end_target,
        )
        if stood_down is not None:
            tables[Conference].rows[stood_down[1]]["rearranged_as_id"] = conference
        first = False
        for index in list(stage):
            held.setdefault(index, []).append(day)
        # Each open plan's next review, from this conference (every child on a plan is at it);
        # none once a plan has ended.
        for plan in on_plan.values():
            row = chunk.plans[plan][0]
            next_review = (None, None)
            if row.get("end_date") is None:
                next_review = plan_next_review(start_date=row["start_date"], last_held=day)
            row["next_review_counted_from"], row["next_review_due"] = next_review
        # The next stage of each child on a plan; the others leave the cycle.
        next_stage = {}
        for index, was in stage.items():
            if index in on_plan:
                next_stage[index] = (
                    ChildStage.FIRST_REVIEW
                    if was in (ChildStage.INITIAL, ChildStage.INITIAL_PRE_BIRTH)
                    else ChildStage.REVIEW
                )
        stage = next_stage
        if not on_plan or all(chunk.plan_ended(plan) for plan in on_plan.values()):
            ended_on = day if on_plan else None
            return ended_on
        months = 3 if ChildStage.FIRST_REVIEW in stage.values() else 6
        day = add_months(day, months) - timedelta(days=rng.randrange(0, 21))
        if rng.random() < 0.08:
            day += timedelta(days=rng.randrange(5, 30))


def _conference(
    chunk,
    family,
    children,
    chair,
    discussion,
    held,
    transfer,
    kind,
    day,
    stage,
    *,
    status,
    on_plan=None,
    ending=False,
) -> tuple[int, int]:
    """Write one conference with its children, invitations and (when held) outcomes and plans;
    returns its primary key and the index of its row in the table (to set ``rearranged_as``
    later)."""
    rng, tables = chunk.rng, chunk.tables
    has_initial = ChildStage.INITIAL in stage.values()
    conference = Conference(
        family_id=family,
        conference_type=kind,
        date=day,
        strategy_discussion=discussion
        if has_initial and kind != ConferenceType.INITIAL_RECEIVING_IN
        else None,
        transfer_notified_on=transfer if kind == ConferenceType.INITIAL_RECEIVING_IN else None,
    )
    dues = {}
    for index, child_stage in stage.items():
        previous = held.get(index)
        dues[index] = child_stage_due_date(
            conference=conference,
            stage=child_stage,
            child=chunk.child_model(children[index]),
            previous_held=previous[-1] if previous else None,
            settings_row=chunk.settings,
            extra=chunk.extra,
        )
    values = conference_due_values(
        conference=conference,
        child_dues=[due for due in dues.values() if due is not None],
        settings_row=chunk.settings,
        extra=chunk.extra,
    )
    row = {
        "family_id": family,
        "conference_type": kind,
        "date": day,
        "chair_id": chair,
        "strategy_discussion_id": discussion.pk if conference.strategy_discussion else None,
        "transfer_notified_on": conference.transfer_notified_on,
        "status": status,
        **values,
    }
    if status == ConferenceStatus.STOOD_DOWN:
        row["stood_down_reason"] = rng.choice(_STOOD_DOWN_REASON_CODES)
        if row["stood_down_reason"] == StoodDownReason.OTHER:
            row["stood_down_detail"] = "The family asked for an interpreter for the mother."
    if status == ConferenceStatus.HELD:
        row["report_to_parents_on"] = _before(rng, values["parent_report_due"], day)
        row["report_to_chair_on"] = _before(rng, values["chair_report_due"], day)
        completed = values["record_due"] - timedelta(days=rng.randrange(-5, 8))
        completed = max(completed, day)
        if completed <= LAST_DAY:
            row["record_completed_on"] = completed
            distributed = completed + timedelta(days=rng.randrange(0, 4))
            if distributed <= LAST_DAY and rng.random() < 0.95:
                row["record_distributed_on"] = distributed
    pk = tables[Conference].add(**row)
    position = len(tables[Conference].rows) - 1
    for index, child_stage in stage.items():
        child = children[index]
        outcome = ""
        if status == ConferenceStatus.HELD:
            outcome = _outcome(chunk, child, index, child_stage, day, pk, on_plan, ending)
        tables[ConferenceChild].add(
            conference_id=pk, child_id=child.pk, stage=child_stage, outcome=outcome, due_date=dues[index]
        )
    if status != ConferenceStatus.BOOKED:
        for agency in rng.sample(_AGENCY_CODES, rng.randrange(3, 7)):
            attended = status == ConferenceStatus.HELD and rng.random() < 0.8
            tables[AgencyInvitation].add(
                conference_id=pk, agency=agency, attended=attended, report_submitted=rng.random() < 0.6
            )
    if status == ConferenceStatus.HELD and rng.random() < 0.005:
        received = day + timedelta(days=rng.randrange(5, 20))
        if received + timedelta(days=20) <= LAST_DAY:
            tables[Appeal].add(
                conference_id=pk,
                child_id=children[next(iter(stage))].pk,
                appellant=rng.choice(_APPELLANT_CODES),
                received_on=received,
                outcome=rng.choice([AppealOutcome.UPHELD, AppealOutcome.NOT_UPHELD, AppealOutcome.RESOLVED]),
                response_sent_on=received + timedelta(days=rng.randrange(5, 20)),
                summary="The parents disagreed with the category of the plan.",
            )
    chunk.conference_written(pk, day, chair, family, [children[index] for index in stage], status)
    return pk, position


def _before(rng, due: date, conference_day: date) -> date | None:
    if rng.random() < 0.08:
        return None
    return min(due + timedelta(days=rng.randrange(-3, 3)), conference_day)


def _outcome(chunk, child, index, child_stage, day, conference, on_plan, ending) -> str:
    rng, tables = chunk.rng, chunk.tables
    if child_stage in (ChildStage.INITIAL, ChildStage.INITIAL_PRE_BIRTH):
        if rng.random() < 0.12:
            return ConferenceOutcome.NOT_NEEDED
        categories = sorted(rng.sample(_ABUSE_CATEGORY_CODES, 1 if rng.random() < 0.8 else 2))
        on_plan[index] = tables[ChildProtectionPlan].add(
            child_id=child.pk, start_conference_id=conference, start_date=day, categories=categories
        )
        tables[CinEpisode].add(
            child_id=child.pk,
            referral_date=day - timedelta(days=rng.randrange(20, 40)),
            referral_source=rng.choice(REFERRAL_SOURCES),
            primary_need="N1",
            initial_cpc_date=day,
        )
        chunk.plan_started(on_plan[index])
        return ConferenceOutcome.PLAN_STARTED
    plan = on_plan[index]
    if not ending:
        return ConferenceOutcome.PLAN_CONTINUED
    reason = rng.choices(
        (PlanEndReason.NO_LONGER_AT_RISK, PlanEndReason.LEGAL_PROCEEDINGS, PlanEndReason.MOVED_AWAY),
        (80, 15, 5),
    )[0]
    chunk.plan_end(plan, day, conference, reason, child)
    return ConferenceOutcome.PLAN_ENDED
