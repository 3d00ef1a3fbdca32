"""The demo county's child protection work, 2014-04-01 to 2017-03-31 (with a warm-up from July
2013 so that plans are open when the demo years begin): families of siblings, pre-birth and
combined conferences, stood-down conferences with the seed's reasons (6.7), plans, reports,
records and appeals (6.14).

Each family is simulated on its own through time from the parameter table ``YEARS`` and the
probabilities below: tune them to move the figures, then read the summary this prints.
Deterministic (fixed seed), idempotent (skips when the demo families exist), synthetic, and
fast: rows are built in memory and written with ``bulk_create_with_history``; the cached due
dates are worked out first with the same functions the refresh service uses (a test checks
that the service would change nothing).
"""

from __future__ import annotations

import bisect
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F, Q
from simple_history.utils import bulk_create_with_history

from conferences.models import (
    INITIAL_TYPES,
    TYPE_STAGES,
    AgencyInvitation,
    Appeal,
    ChildProtectionPlan,
    ChildStage,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    Section47Enquiry,
    StrategyDiscussion,
)
from conferences.services import child_stage_due_date, conference_due_values
from iro_service.people.codes import WHITE_ETHNICITIES
from iro_service.people.demo import ETHNICITY_WEIGHTS, FIRST_NAMES, LAST_NAMES
from iro_service.people.models import Child, Family, FamilyMembership, StaffMember
from iro_service.timescales.dates import (
    add_months,
    add_working_days,
    extra_non_working_days,
    is_working_day,
    working_days_before,
)
from iro_service.timescales.selectors import timescale_settings

SEED = 20170401
FAMILY_PREFIX = "CPF"
WARM_UP = date(2013, 7, 1)
FIRST_DAY = date(2014, 4, 1)
LAST_DAY = date(2017, 3, 31)

# New families a year by the type of their first conference (seed 6.1; 2013-14 and 2014-15 as
# 2015-16). Combined and review conferences follow from what happens to each family.
YEARS: dict[int, dict[str, int]] = {
    2013: {"initial": 115, "pre_birth": 27, "initial_and_pre_birth": 14, "receiving_in": 14},  # 9 months
    2014: {"initial": 150, "pre_birth": 35, "initial_and_pre_birth": 18, "receiving_in": 19},
    2015: {"initial": 150, "pre_birth": 35, "initial_and_pre_birth": 18, "receiving_in": 19},
    2016: {"initial": 192, "pre_birth": 54, "initial_and_pre_birth": 18, "receiving_in": 14},
}
SIBLINGS = [(1, 36), (2, 30), (3, 20), (4, 14)]  # children at an initial conference
# Age at the initial conference (seed 6.6: unborn 6.7%, 0-4 37.6%, 5-9 30.7%, 10-15 22.6%, 16+ 2.4%).
AGE_BANDS = [((0, 4), 42), ((5, 9), 33), ((10, 15), 24), ((16, 17), 1.5)]
P_PLAN_AT_INITIAL = 0.88
P_ICPC_IN_TIME = 0.97
P_END_AT_FIRST_REVIEW = 0.25
P_END_AT_LATER_REVIEW = 0.62
P_NEW_SIBLING_AT_REVIEW = 0.016
P_NEW_SIBLING_UNBORN = 0.75
P_RETURN_AFTER_PLANS_END = 0.25
P_EARLIER_PLAN_DECLARED = 0.09
P_SAME_CHAIR = 0.85
P_PARENT_REPORT_IN_TIME = {"initial": 0.494, "review": 0.423}
P_CHAIR_REPORT_IN_TIME = 0.75
P_STOOD_DOWN = 0.021
# Seed 6.7: 19 stood down in 2016-17 and why.
STOOD_DOWN_REASONS = [
    ("agency_non_attendance", "Agencies did not attend", 5),
    ("transferring_authority_absent", "The transferring authority did not attend", 2),
    ("late_or_incomplete_report", "Assessment incomplete and report late", 2),
    ("family_not_prepared", "Insufficient preparation for the family", 2),
    ("social_worker_unavailable", "Social worker ill, no replacement available", 3),
    ("no_interpreter", "No interpreter available", 2),
    (
        "unsafe_to_continue",
        "Family member's behaviour deteriorated; the meeting could not safely continue",
        2,
    ),
    ("other", "Social worker rushed to hospital", 1),
]
CATEGORIES = [
    (("NEG",), 48),
    (("EMO",), 33),
    (("PHY",), 9),
    (("SAB",), 4),
    (("EMO", "PHY"), 4),
    (("EMO", "NEG"), 2),
]
END_REASONS = [("no_longer_at_risk", 80), ("legal_proceedings", 13), ("moved_away", 5), ("other", 2)]
# Seed 6.14 for 2016-17; earlier years smaller. (appellant, stage, outcome, count)
APPEALS = {
    2014: [("young_person", 1, "not_upheld", 4), ("parent_or_carer", 1, "resolved", 3)],
    2015: [
        ("young_person", 1, "not_upheld", 5),
        ("parent_or_carer", 1, "resolved", 2),
        ("professional", 1, "resolved", 1),
    ],
    2016: [
        ("young_person", 1, "not_upheld", 7),
        ("parent_or_carer", 1, "resolved", 1),
        ("parent_or_carer", 2, "withdrawn", 1),
        ("professional", 1, "resolved", 1),
    ],
}
AGENCIES_ALWAYS = ["police", "gp"]


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _random_working_day(rng: random.Random, start: date, end: date) -> date:
    return _working_day_on_or_before(start + timedelta(days=rng.randrange(max(1, (end - start).days))))


@dataclass
class SimChild:
    child: Child
    plan: ChildProtectionPlan | None = None
    last_conference: date | None = None
    reviewed: bool = False


@dataclass
class Built:
    """Everything the simulation made, written in bulk at the end."""

    families: list = field(default_factory=list)
    children: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    discussions: list = field(default_factory=list)
    enquiries: list = field(default_factory=list)
    conferences: list = field(default_factory=list)
    links: list = field(default_factory=list)
    invitations: list = field(default_factory=list)
    plans: list = field(default_factory=list)
    rearranged: list = field(default_factory=list)  # (stood down, rearranged)


class _Simulation:
    def __init__(self, *, iros: list[StaffMember]):
        self.rng = random.Random(SEED)
        self.iros = iros
        self.settings = timescale_settings()
        self.built = Built()
        self.child_number = 0
        self.family_number = 0
        self.type_for_stages = {
            stages: kind
            for kind, stages in TYPE_STAGES.items()
            if kind not in (ConferenceType.INITIAL_RECEIVING_IN, ConferenceType.INITIAL_RECONVENED)
        }

    # --- people ---------------------------------------------------------------------------

    def new_child(self, family: Family, *, on: date, ethnicity: str, last: str, unborn: bool) -> Child:
        self.child_number += 1
        rng = self.rng
        sex = rng.choice("MF")
        if unborn:
            # Known early enough for the conference to be held by 28 weeks' gestation.
            expected = on + timedelta(weeks=16 + rng.randrange(0, 12))
            # Born by the end of the demo years if due by then; unborn at 31 March 2017 otherwise.
            born = expected + timedelta(days=rng.randrange(-10, 10)) if expected < LAST_DAY else None
        else:
            low, high = _pick(rng, AGE_BANDS)
            born = on - timedelta(days=rng.randrange(low * 365 + 30, high * 365 + 360))
            expected = None
        child = Child(
            local_child_id=f"D3{self.child_number:05d}",
            first_name=rng.choice(FIRST_NAMES[sex]),
            last_name=last,
            date_of_birth=born,
            expected_date_of_birth=expected,
            sex=sex,
            ethnicity=ethnicity,
            disabilities=["NONE"] if rng.random() < 0.93 else ["LD"],
        )
        self.built.children.append(child)
        self.built.memberships.append(
            FamilyMembership(
                family=family,
                child=child,
                start_date=min(born or on, on) if born else on - timedelta(days=30),
            )
        )
        return child

    def chair_for(self, family_chair: StaffMember, on: date) -> StaffMember:
        in_post = [iro for iro in self.iros if iro.start_date <= on]
        if family_chair in in_post and self.rng.random() < P_SAME_CHAIR:
            return family_chair
        return self.rng.choice(in_post)

    # --- conferences ----------------------------------------------------------------------

    def conference(self, *, family, kind, on, chair, stages, discussion=None, transfer=None) -> Conference:
        """A held conference on ``on`` (after a stood-down one, sometimes), with paperwork."""
        rng = self.rng
        rearranged_on = add_working_days(on, rng.randrange(3, 8))
        if rng.random() < P_STOOD_DOWN and rearranged_on <= LAST_DAY:
            reason, detail, _ = _pick(rng, [((r, d, n), n) for r, d, n in STOOD_DOWN_REASONS])
            stood_down = Conference(
                family=family,
                conference_type=kind,
                date=on,
                chair=chair,
                strategy_discussion=discussion,
                transfer_notified_on=transfer,
                status=ConferenceStatus.STOOD_DOWN,
                stood_down_reason=reason,
                stood_down_detail=detail,
            )
            self.built.conferences.append(stood_down)
            self.add_links(stood_down, stages, outcomes=None)
            on = rearranged_on
            held = self.held(
                family=family, kind=kind, on=on, chair=chair, discussion=discussion, transfer=transfer
            )
            self.built.rearranged.append((stood_down, held))
            return held
        return self.held(
            family=family, kind=kind, on=on, chair=chair, discussion=discussion, transfer=transfer
        )

    def held(self, *, family, kind, on, chair, discussion, transfer) -> Conference:
        rng = self.rng
        initial = kind in INITIAL_TYPES
        settings = self.settings
        parents_due = working_days_before(
            on, settings.icpc_report_to_parents_days if initial else settings.rcpc_report_days
        )
        chair_due = working_days_before(
            on, settings.icpc_report_to_chair_days if initial else settings.rcpc_report_days
        )
        if rng.random() < P_PARENT_REPORT_IN_TIME["initial" if initial else "review"]:
            to_parents = working_days_before(parents_due, rng.randrange(0, 3))
        else:
            to_parents = working_days_before(on, rng.randrange(0, 2)) if rng.random() < 0.7 else on
            if to_parents <= parents_due:
                to_parents = on
        to_chair = (
            working_days_before(chair_due, rng.randrange(0, 2))
            if rng.random() < P_CHAIR_REPORT_IN_TIME
            else on
        )
        completed = add_working_days(on, rng.choice([2, 3, 4, 5, 5, 6, 7, 8, 9]))
        distributed = add_working_days(completed, rng.choice([0, 0, 1, 1, 2]))
        if completed > LAST_DAY:
            completed = distributed = None
        elif distributed > LAST_DAY:
            distributed = None
        conference = Conference(
            family=family,
            conference_type=kind,
            date=on,
            chair=chair,
            strategy_discussion=discussion,
            transfer_notified_on=transfer,
            status=ConferenceStatus.HELD,
            report_to_parents_on=to_parents,
            report_to_chair_on=to_chair,
            record_completed_on=completed,
            record_distributed_on=distributed,
        )
        self.built.conferences.append(conference)
        agencies = AGENCIES_ALWAYS + rng.sample(
            ["health_visitor", "school", "school_nurse", "probation", "housing"], 2
        )
        for agency in agencies:
            attended = rng.random() < 0.85
            self.built.invitations.append(
                AgencyInvitation(
                    conference=conference,
                    agency=agency,
                    attended=attended,
                    report_submitted=rng.random() < 0.7,
                )
            )
        return conference

    def add_links(self, conference, stages, outcomes):
        for sim, stage in stages:
            outcome = outcomes.get(sim.child.local_child_id, "") if outcomes else ""
            self.built.links.append(
                ConferenceChild(conference=conference, child=sim.child, stage=stage, outcome=outcome)
            )

    def start_plan(self, sim: SimChild, conference: Conference, *, first_ever: bool) -> None:
        plan = ChildProtectionPlan(
            child=sim.child,
            start_conference=conference,
            start_date=conference.date,
            categories=list(_pick(self.rng, CATEGORIES)),
            previous_plans_declared=1 if first_ever and self.rng.random() < P_EARLIER_PLAN_DECLARED else None,
        )
        self.built.plans.append(plan)
        sim.plan, sim.reviewed, sim.last_conference = plan, False, conference.date

    # --- a family's life ------------------------------------------------------------------

    def family(self, *, start: date, kind: str) -> None:
        rng = self.rng
        self.family_number += 1
        last = rng.choice(LAST_NAMES)
        family = Family(reference=f"{FAMILY_PREFIX}{self.family_number:05d}", name=f"{last} family")
        self.built.families.append(family)
        ethnicity = _pick(rng, [(code, weight) for code, weight in ETHNICITY_WEIGHTS])
        family_chair = rng.choice([iro for iro in self.iros if iro.start_date <= start] or self.iros)
        born = 0 if kind == "pre_birth" else _pick(rng, SIBLINGS)
        members = [
            self.new_child(family, on=start, ethnicity=ethnicity, last=last, unborn=False)
            for _ in range(born)
        ]
        if kind in ("pre_birth", "initial_and_pre_birth"):
            members.append(self.new_child(family, on=start, ethnicity=ethnicity, last=last, unborn=True))
        episode_start, first_episode = start, True
        while episode_start <= LAST_DAY:
            ended = self.episode(family, members, episode_start, kind, family_chair, first_episode)
            if ended is None or rng.random() >= P_RETURN_AFTER_PLANS_END:
                return
            episode_start = _working_day_on_or_before(ended + timedelta(days=rng.randrange(90, 900)))
            kind, first_episode = "initial", False
            members = [child for child in members if (child.age_on(episode_start) or 0) < 17]
            if not members:
                return

    def episode(self, family, children, discussed_on, kind, family_chair, first_ever) -> date | None:
        """One run of conferences from a strategy discussion until every plan has ended. Returns
        the date the last plan ended, or None if plans are still open at the end of the demo."""
        rng = self.rng
        settings = self.settings
        transfer = None
        discussion = None
        if kind == "receiving_in":
            transfer = discussed_on
            conference_type = ConferenceType.INITIAL_RECEIVING_IN
            limit = settings.transfer_in_days
        else:
            discussion = StrategyDiscussion(family=family, date=discussed_on)
            self.built.discussions.append(discussion)
            for child in children:
                self.built.enquiries.append(
                    Section47Enquiry(strategy_discussion=discussion, child=child, start_date=discussed_on)
                )
            limit = settings.icpc_days_from_strategy
        in_time = rng.random() < P_ICPC_IN_TIME
        on = add_working_days(
            discussed_on,
            rng.randrange(limit - 7, limit + 1) if in_time else rng.randrange(limit + 1, limit + 12),
        )
        if on > LAST_DAY:
            return None
        sims = [SimChild(child) for child in children]
        stages = [
            (
                sim,
                ChildStage.INITIAL_PRE_BIRTH
                if sim.child.date_of_birth is None or sim.child.date_of_birth > on
                else ChildStage.INITIAL,
            )
            for sim in sims
        ]
        if kind != "receiving_in":
            conference_type = self.type_for_stages[frozenset(stage for _, stage in stages)]
        chair = self.chair_for(family_chair, on)
        conference = self.conference(
            family=family,
            kind=conference_type,
            on=on,
            chair=chair,
            stages=stages,
            discussion=discussion,
            transfer=transfer,
        )
        plan_needed = rng.random() < P_PLAN_AT_INITIAL
        outcomes = {}
        for sim, _ in stages:
            if plan_needed and rng.random() < 0.96:
                self.start_plan(sim, conference, first_ever=first_ever)
                outcomes[sim.child.local_child_id] = "plan_started"
            else:
                outcomes[sim.child.local_child_id] = "not_needed"
        self.add_links(conference, stages, outcomes)
        on_plan = [sim for sim in sims if sim.plan is not None]
        last_end = conference.date
        while on_plan:
            due = min(add_months(sim.last_conference, 3 if not sim.reviewed else 6) for sim in on_plan)
            # Booked well inside the due date, so that a stood-down review rearranged a week or so
            # later is still in time (seed 6.7: 100% of reviews in time).
            on = _working_day_on_or_before(due - timedelta(days=rng.randrange(12, 25)))
            if on > LAST_DAY:
                return None
            stages = [
                (sim, ChildStage.REVIEW if sim.reviewed else ChildStage.FIRST_REVIEW) for sim in on_plan
            ]
            newcomer = None
            if rng.random() < P_NEW_SIBLING_AT_REVIEW and len({stage for _, stage in stages}) == 1:
                unborn = rng.random() < P_NEW_SIBLING_UNBORN
                child = self.new_child(
                    family, on=on, ethnicity=children[0].ethnicity, last=children[0].last_name, unborn=unborn
                )
                children.append(child)
                newcomer = SimChild(child)
                stages.append((newcomer, ChildStage.INITIAL_PRE_BIRTH if unborn else ChildStage.INITIAL))
                if not unborn:
                    discussion = StrategyDiscussion(family=family, date=working_days_before(on, 10))
                    self.built.discussions.append(discussion)
                    self.built.enquiries.append(
                        Section47Enquiry(
                            strategy_discussion=discussion, child=child, start_date=discussion.date
                        )
                    )
            conference_type = self.type_for_stages[frozenset(stage for _, stage in stages)]
            chair = self.chair_for(family_chair, on)
            conference = self.conference(
                family=family,
                kind=conference_type,
                on=on,
                chair=chair,
                stages=stages,
                discussion=discussion if newcomer and newcomer.child.date_of_birth else None,
            )
            outcomes = {}
            for sim, stage in stages:
                key = sim.child.local_child_id
                if sim is newcomer:
                    self.start_plan(sim, conference, first_ever=True)
                    outcomes[key] = "plan_started"
                    continue
                ending = P_END_AT_FIRST_REVIEW if stage == ChildStage.FIRST_REVIEW else P_END_AT_LATER_REVIEW
                if rng.random() < ending or (sim.child.age_on(conference.date) or 0) >= 18:
                    sim.plan.end_conference = conference
                    sim.plan.end_date = conference.date
                    sim.plan.end_reason = _pick(rng, END_REASONS)
                    sim.plan = None
                    outcomes[key] = "plan_ended"
                else:
                    sim.reviewed, sim.last_conference = True, conference.date
                    outcomes[key] = "plan_continued"
            self.add_links(conference, stages, outcomes)
            if newcomer is not None:
                sims.append(newcomer)
            on_plan = [sim for sim in sims if sim.plan is not None]
            last_end = conference.date
        return last_end

    def run(self) -> None:
        arrivals = []
        for year, counts in YEARS.items():
            start = max(date(year, 4, 1), WARM_UP)
            end = date(year + 1, 3, 31)
            for kind, count in counts.items():
                arrivals += [(_random_working_day(self.rng, start, end), kind) for _ in range(count)]
        for start, kind in sorted(arrivals):
            self.family(start=start, kind=kind)


def _due_dates(built: Built) -> None:
    """Fill the cached due dates before the rows are written, the way the refresh service
    derives them (same functions), so that the history rows carry them too."""
    settings_row = timescale_settings()
    extra = extra_non_working_days()
    held: dict[int, list[date]] = defaultdict(list)
    links_by_conference = defaultdict(list)
    for link in built.links:
        links_by_conference[id(link.conference)].append(link)
        if link.conference.status == ConferenceStatus.HELD:
            held[id(link.child)].append(link.conference.date)
    for dates in held.values():
        dates.sort()
    for conference in built.conferences:
        child_dues = []
        for link in links_by_conference[id(conference)]:
            dates = held.get(id(link.child), [])
            index = bisect.bisect_left(dates, conference.date)
            link.due_date = child_stage_due_date(
                conference=conference,
                stage=link.stage,
                child=link.child,
                previous_held=dates[index - 1] if index else None,
                settings_row=settings_row,
                extra=extra,
            )
            if link.due_date is not None:
                child_dues.append(link.due_date)
        values = conference_due_values(
            conference=conference, child_dues=child_dues, settings_row=settings_row, extra=extra
        )
        for name, value in values.items():
            setattr(conference, name, value)


def _write(built: Built) -> None:
    bulk_create_with_history(built.families, Family, batch_size=500)
    bulk_create_with_history(built.children, Child, batch_size=500)
    for row in built.memberships:
        row.family_id, row.child_id = row.family.pk, row.child.pk
    bulk_create_with_history(built.memberships, FamilyMembership, batch_size=500)
    for row in built.discussions:
        row.family_id = row.family.pk
    bulk_create_with_history(built.discussions, StrategyDiscussion, batch_size=500)
    for row in built.enquiries:
        row.strategy_discussion_id, row.child_id = row.strategy_discussion.pk, row.child.pk
    bulk_create_with_history(built.enquiries, Section47Enquiry, batch_size=500)
    _due_dates(built)
    for row in built.conferences:
        row.family_id = row.family.pk
        row.strategy_discussion_id = row.strategy_discussion.pk if row.strategy_discussion else None
    bulk_create_with_history(built.conferences, Conference, batch_size=500)
    for stood_down, held in built.rearranged:
        stood_down.rearranged_as_id = held.pk
    Conference.objects.bulk_update([s for s, _ in built.rearranged], ["rearranged_as"], batch_size=500)
    for row in built.links:
        row.conference_id, row.child_id = row.conference.pk, row.child.pk
    bulk_create_with_history(built.links, ConferenceChild, batch_size=1000)
    for row in built.invitations:
        row.conference_id = row.conference.pk
    bulk_create_with_history(built.invitations, AgencyInvitation, batch_size=1000)
    for row in built.plans:
        row.child_id = row.child.pk
        row.start_conference_id = row.start_conference.pk
        row.end_conference_id = row.end_conference.pk if row.end_conference else None
    bulk_create_with_history(built.plans, ChildProtectionPlan, batch_size=500)


def _appeals(rng: random.Random) -> list[Appeal]:
    appeals = []
    for year, rows in APPEALS.items():
        held = list(
            ConferenceChild.objects.filter(
                conference__status=ConferenceStatus.HELD,
                conference__date__range=(date(year, 4, 1), date(year + 1, 2, 28)),
                conference__family__reference__startswith=FAMILY_PREFIX,
                outcome__in=["plan_started", "plan_continued"],
                child__date_of_birth__lte=date(year - 11, 4, 1),
            )
            .select_related("conference")
            .order_by("pk")
        )
        for appellant, stage, outcome, count in rows:
            for link in rng.sample(held, count):
                received = add_working_days(link.conference.date, rng.randrange(3, 15))
                appeals.append(
                    Appeal(
                        conference=link.conference,
                        child=link.child if appellant == "young_person" else None,
                        appellant=appellant,
                        received_on=received,
                        stage=stage,
                        outcome=outcome,
                        response_sent_on=None
                        if outcome == "withdrawn"
                        else add_working_days(received, rng.randrange(5, 20)),
                        summary="Appeal against the decision to make the child subject of a plan"
                        if appellant != "professional"
                        else "Complaint about the chair's handling of part of the conference",
                    )
                )
    return appeals


def demo_figures() -> dict:
    """What the demo produced, measured the way the annual report measures it (seed 6.1-6.14)."""
    year = (date(2016, 4, 1), LAST_DAY)
    demo = Conference.objects.filter(family__reference__startswith=FAMILY_PREFIX)
    held = demo.filter(status=ConferenceStatus.HELD, date__range=year)
    labels = dict(ConferenceType.choices)
    by_type = Counter(held.values_list("conference_type", flat=True))
    initial = held.filter(conference_type__in=INITIAL_TYPES)
    review = held.exclude(conference_type__in=INITIAL_TYPES)

    def pct(part, whole):
        return round(100 * part / whole, 1) if whole else 0.0

    plans = ChildProtectionPlan.objects.filter(child__local_child_id__startswith="D3")
    open_2017 = list(plans.open_on(LAST_DAY).select_related("child"))
    bands = Counter()
    for plan in open_2017:
        age = plan.child.age_on(LAST_DAY)
        bands[
            "unborn"
            if age is None
            else "0-4"
            if age <= 4
            else "5-9"
            if age <= 9
            else "10-15"
            if age <= 15
            else "16+"
        ] += 1
    started = plans.with_repeat_facts().filter(start_date__range=year)
    return {
        "held 2016-17 by type": {labels[kind]: by_type.get(kind, 0) for kind in ConferenceType.values},
        "held 2016-17": held.count(),
        "stood down 2016-17": demo.filter(status=ConferenceStatus.STOOD_DOWN, date__range=year).count(),
        "on plans 31 Mar 2016": plans.open_on(date(2016, 3, 31)).count(),
        "on plans 31 Mar 2017": len(open_2017),
        "ICPC in time %": pct(initial.filter(date__lte=F("due_date")).count(), initial.count()),
        "RCPC in time %": pct(review.filter(date__lte=F("due_date")).count(), review.count()),
        "repeat plans %": pct(started.filter(is_repeat=True).count(), started.count()),
        "parents' report in time % (initial)": pct(
            initial.filter(report_to_parents_on__lte=F("parent_report_due")).count(), initial.count()
        ),
        "parents' report in time % (review)": pct(
            review.filter(report_to_parents_on__lte=F("parent_report_due")).count(), review.count()
        ),
        "age bands 31 Mar 2017 %": {band: pct(n, len(open_2017)) for band, n in sorted(bands.items())},
        "White %": pct(sum(1 for p in open_2017 if p.child.ethnicity in WHITE_ETHNICITIES), len(open_2017)),
        "appeals 2016-17": Counter(
            Appeal.objects.filter(conference__in=demo, received_on__range=year).values_list(
                "appellant", "outcome"
            )
        ),
    }


def load_demo(*, context: dict, stdout) -> None:
    if not Conference.objects.filter(family__reference__startswith=FAMILY_PREFIX).exists():
        iros = context.get("iros") or list(StaffMember.objects.iros().filter(Q(end_date__isnull=True)))
        simulation = _Simulation(iros=sorted(iros, key=lambda iro: iro.pk))
        simulation.run()
        _write(simulation.built)
        bulk_create_with_history(_appeals(simulation.rng), Appeal, batch_size=500)
    figures = demo_figures()
    stdout.write("Conferences (demo, 2016-17):")
    for name, value in figures.items():
        stdout.write(f"  {name}: {value}")
