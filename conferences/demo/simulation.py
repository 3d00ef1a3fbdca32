"""The simulation: each family's life through time, from a strategy discussion through its
conferences and plans, for a pool of candidate families (``_Simulation.run``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from conferences.demo._common import (
    Built,
    _initial_stage,
    _pick,
    _random_working_day,
    _rate,
    _review_stage,
    _working_day_on_or_before,
)
from conferences.demo.calibration import (
    _categories,
    _icpc_timeliness,
    _repeat_plans_declared,
    _report_timeliness,
    _select,
    _stand_down,
)
from conferences.demo.continuation import FIRST_WORKING_DAY_SINCE, _Continuation
from conferences.demo.parameters import (
    AGE_BANDS,
    AGENCIES_ALWAYS,
    CATEGORIES,
    CATEGORIES_BEFORE,
    END_REASONS,
    FAMILY_PREFIX,
    LAST_DAY,
    MULTIPLE_CATEGORIES_UNTIL,
    P_CHAIR_REPORT_IN_TIME,
    P_EARLIER_PLAN_DECLARED,
    P_END_AT_FIRST_REVIEW,
    P_END_AT_LATER_REVIEW,
    P_END_MULTIPLE_REVIEWED,
    P_ICPC_IN_TIME,
    P_NEW_SIBLING_AT_REVIEW,
    P_PARENT_REPORT_IN_TIME,
    P_PLAN_AT_INITIAL,
    P_RETURN_AFTER_PLANS_END,
    P_SAME_CHAIR,
    POOL_EXTRA,
    POOL_FACTOR,
    RECORD_COMPLETED_DAYS,
    RECORD_DISTRIBUTED_DAYS,
    SEED,
    SIBLINGS,
    WARM_UP,
    YEARS,
)
from conferences.due_dates import review_conference_due
from conferences.models import (
    INITIAL_TYPES,
    TYPE_STAGES,
    AgencyInvitation,
    ChildProtectionPlan,
    ChildStage,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    Section47Enquiry,
    StrategyDiscussion,
)
from iro_service.people.demo import (
    ETHNICITY_WEIGHTS,
    FIRST_NAMES,
    LAST_NAMES,
    demo_disabilities,
    demo_return_fields,
)
from iro_service.people.models import Child, Family, FamilyMembership, StaffMember
from iro_service.timescales.dates import add_working_days, working_days_before
from iro_service.timescales.selectors import timescale_settings


@dataclass
class Cut:
    """Where a family's story reached the last day planned: ``what`` is the next thing in it, on
    ``on``: an initial conference (``"initial"``, after ``discussion``, or a transfer in), a
    review of the ``sims``' plans (``"review"``), or the family's return (``"returns"``, a
    strategy discussion)."""

    what: str
    family: Family
    children: list
    on: date
    family_chair: StaffMember
    kind: str = ""
    discussion: StrategyDiscussion | None = None
    transfer: date | None = None
    first_ever: bool = False
    sims: list | None = None


@dataclass
class SimChild:
    child: Child
    plan: ChildProtectionPlan | None = None
    last_conference: date | None = None
    reviewed: bool = False


class _Simulation(_Continuation):
    def __init__(self, *, iros: list[StaffMember]):
        self.rng = random.Random(SEED)  # nosec B311
        # The last day planned: the demo's three years end on LAST_DAY; ``continue_to`` carries
        # the chosen families (and new ones) on to the day the demo is loaded.
        self.until = LAST_DAY
        self.continuing = False
        self.child_stem = ""
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

    def _child_id(self) -> str:
        """D3 and a number in the three years (renumbered once the families are chosen); in the
        years since, the family's stem and the child's place in it (``continue_to``)."""
        self.child_number += 1
        if self.continuing:
            return f"{self.child_stem}{self.child_number}"
        return f"D3{self.child_number:05d}"

    def new_child(self, family: Family, *, on: date, ethnicity: str, last: str, unborn: bool) -> Child:
        key = self._child_id()
        rng = self.rng
        sex = rng.choice("MF")
        if unborn:
            # Known early enough for the conference to be held by 28 weeks' gestation.
            expected = on + timedelta(weeks=16 + rng.randrange(0, 12))
            # Born by the last day planned if due by then; unborn on that day otherwise. In the
            # years since, the day is drawn whatever the last day, so that a later load draws
            # what an earlier one did.
            if self.continuing:
                born = expected + timedelta(days=rng.randrange(-10, 10))
                born = born if born <= self.until else None
            else:
                born = expected + timedelta(days=rng.randrange(-10, 10)) if expected < self.until else None
        else:
            low, high = _pick(rng, AGE_BANDS)
            born = on - timedelta(days=rng.randrange(low * 365 + 30, high * 365 + 360))
            expected = None
        child = Child(
            local_child_id=key,
            first_name=rng.choice(FIRST_NAMES[sex]),
            last_name=last,
            date_of_birth=born,
            expected_date_of_birth=expected,
            sex=sex,
            ethnicity=ethnicity,
            disabilities=demo_disabilities(key=key, disabled=rng.random() >= 0.93),
            **demo_return_fields(key=key, sex=sex, born=born),
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

    def conference_type(self, kind: str, stages) -> str:
        """The type of a conference of ``stages`` (pairs of anything and the child's stage): a
        transfer in (``kind`` "receiving_in") is its own type; otherwise the stages say it."""
        if kind == "receiving_in":
            return ConferenceType.INITIAL_RECEIVING_IN
        return self.type_for_stages[frozenset(stage for _, stage in stages)]

    def chair_for(self, family_chair: StaffMember, on: date) -> StaffMember:
        in_post = [iro for iro in self.iros if iro.start_date <= on]
        if family_chair in in_post and self.rng.random() < P_SAME_CHAIR:
            return family_chair
        return self.rng.choice(in_post)

    # --- conferences ----------------------------------------------------------------------

    def conference(self, *, family, kind, on, chair, stages, discussion=None, transfer=None) -> Conference:
        """A held conference on ``on`` with paperwork (stood-down ones are added afterwards, by
        ``_stand_down``, once the families are chosen)."""
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
        completed = add_working_days(on, rng.choice(RECORD_COMPLETED_DAYS))
        distributed = add_working_days(completed, rng.choice(RECORD_DISTRIBUTED_DAYS))
        if completed > self.until:
            completed = distributed = None
        elif distributed > self.until:
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
            categories=list(
                _pick(
                    self.rng,
                    CATEGORIES_BEFORE if conference.date < MULTIPLE_CATEGORIES_UNTIL else CATEGORIES,
                )
            ),
            previous_plans_declared=1 if first_ever and self.rng.random() < P_EARLIER_PLAN_DECLARED else None,
        )
        self.built.plans.append(plan)
        sim.plan, sim.reviewed, sim.last_conference = plan, False, conference.date

    def newcomer(self, stages, on: date) -> bool | None:
        """Whether a new sibling joins this review (True if unborn, False if born), or None.
        Only when every child is at the same stage, so that the conference has a type."""
        draw = self.rng.random()
        kinds = {stage for _, stage in stages}
        if len(kinds) != 1:
            return None
        rates = _rate(P_NEW_SIBLING_AT_REVIEW, on)
        stage = "first_review" if kinds == {ChildStage.FIRST_REVIEW} else "review"
        for unborn in (True, False):
            draw -= rates.get((stage, unborn), 0)
            if draw < 0:
                return unborn
        return None

    # --- a family's life ------------------------------------------------------------------

    def family(self, *, start: date, kind: str, reference: str = "") -> None:
        rng = self.rng
        self.family_number += 1
        last = rng.choice(LAST_NAMES)
        family = Family(
            reference=reference or f"{FAMILY_PREFIX}{self.family_number:05d}", name=f"{last} family"
        )
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
        self.episodes_from(family, members, start, kind, family_chair, first_episode=True)

    def episodes_from(self, family, members, episode_start, kind, family_chair, *, first_episode) -> None:
        """The family's runs of conferences from ``episode_start`` on: after each, the family may
        come back to the service some months later."""
        while episode_start <= self.until:
            ended = self.episode(family, members, episode_start, kind, family_chair, first_episode)
            back = self.comes_back(members, ended)
            if back is None:
                return
            episode_start, members = back
            kind, first_episode = "initial", False
        self.cut(Cut("returns", family=family, children=members, on=episode_start, family_chair=family_chair))

    def comes_back(self, members: list[Child], ended: date | None) -> tuple[date, list[Child]] | None:
        """Whether the family comes back to the service after its plans ended on ``ended``: the
        day of the new strategy discussion and the children still young enough, or None."""
        rng = self.rng
        if ended is None or rng.random() >= P_RETURN_AFTER_PLANS_END:
            return None
        start = _working_day_on_or_before(ended + timedelta(days=rng.randrange(90, 900)))
        members = [child for child in members if (child.age_on(start) or 0) < 17]
        return (start, members) if members else None

    def episode(self, family, children, discussed_on, kind, family_chair, first_ever) -> date | None:
        """One run of conferences from a strategy discussion until every plan has ended. Returns
        the date the last plan ended, or None if plans are still open at the end of the demo."""
        rng = self.rng
        settings = self.settings
        transfer = None
        discussion = None
        if kind == "receiving_in":
            transfer = discussed_on
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
        if on > self.until:
            self.cut(
                Cut(
                    "initial",
                    family=family,
                    children=children,
                    on=on,
                    family_chair=family_chair,
                    kind=kind,
                    discussion=discussion,
                    transfer=transfer,
                    first_ever=first_ever,
                )
            )
            return None
        return self.initial_and_reviews(
            family, children, on, kind, family_chair, first_ever, discussion, transfer
        )

    def initial_and_reviews(
        self, family, children, on, kind, family_chair, first_ever, discussion, transfer
    ) -> date | None:
        """The initial conference on ``on`` and the reviews of the plans it made, until every
        plan has ended (the date returned) or the last day planned is reached (None)."""
        rng = self.rng
        sims = [SimChild(child) for child in children]
        stages = [(sim, _initial_stage(sim.child, on)) for sim in sims]
        conference_type = self.conference_type(kind, stages)
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
        return self.reviews_while_on_plan(
            family, children, sims, family_chair, discussion, last_end=conference.date
        )

    def reviews_while_on_plan(
        self, family, children, sims, family_chair, discussion, *, last_end, first_on=None
    ):
        """Review conferences of the ``sims``' plans until every plan has ended (the date of the
        last returned), or the last day planned is reached (None). ``discussion`` is the
        family's latest strategy discussion; ``first_on`` is the day of the next review when it
        was drawn already (a family carried on)."""
        rng = self.rng
        on_plan = [sim for sim in sims if sim.plan is not None]
        while on_plan:
            due = min(
                review_conference_due(previous_held=sim.last_conference, first_review=not sim.reviewed)
                for sim in on_plan
            )
            if first_on is not None:
                on, first_on = first_on, None
            else:
                # Booked well inside the due date, so that a stood-down review rearranged a week
                # or so later is still in time (seed 6.7: 100% of reviews in time).
                on = _working_day_on_or_before(due - timedelta(days=rng.randrange(12, 25)))
            if on > self.until:
                self.cut(
                    Cut(
                        "review",
                        family=family,
                        children=children,
                        on=on,
                        family_chair=family_chair,
                        discussion=discussion,
                        sims=sims,
                    )
                )
                return None
            stages = [(sim, _review_stage(sim)) for sim in on_plan]
            newcomer = None
            unborn = self.newcomer(stages, on)
            if unborn is not None and self.continuing and self.child_number >= 9:
                unborn = None  # a child's number in the family has one digit in the years since
            if unborn is not None:
                child = self.new_child(
                    family, on=on, ethnicity=children[0].ethnicity, last=children[0].last_name, unborn=unborn
                )
                children.append(child)
                newcomer = SimChild(child)
                stages.append((newcomer, ChildStage.INITIAL_PRE_BIRTH if unborn else ChildStage.INITIAL))
                if not unborn:
                    discussed_on = working_days_before(on, 10)
                    if self.continuing:
                        discussed_on = max(discussed_on, FIRST_WORKING_DAY_SINCE)
                    discussion = StrategyDiscussion(family=family, date=discussed_on)
                    self.built.discussions.append(discussion)
                    self.built.enquiries.append(
                        Section47Enquiry(
                            strategy_discussion=discussion, child=child, start_date=discussion.date
                        )
                    )
            conference_type = self.conference_type("", stages)
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
                if newcomer is not None and (sim.child.age_on(conference.date) or 0) < 18:
                    # A new baby or sibling needing a plan means the family's risk is live: the
                    # chair keeps the other children's plans too (and so the next conference is
                    # a "Review / 1st Review", seed 6.1).
                    sim.reviewed, sim.last_conference = True, conference.date
                    outcomes[key] = "plan_continued"
                    continue
                table = P_END_AT_FIRST_REVIEW if stage == ChildStage.FIRST_REVIEW else P_END_AT_LATER_REVIEW
                ending = _rate(table, conference.date)
                if len(sim.plan.categories) > 1 and conference.date >= MULTIPLE_CATEGORIES_UNTIL:
                    # Seed 6.5: chairs looked hard at plans with several categories.
                    ending = P_END_MULTIPLE_REVIEWED
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

    def cut(self, cut: Cut) -> None:
        """Keep where the family's story reached the last day planned, to be carried on from;
        in the years since, book the conference it reached instead (``continue_to``)."""
        if self.continuing:
            self.book(cut)
        else:
            self.built.cuts.append(cut)

    def run(self) -> None:
        """Simulate a pool of candidate families, each with its own random stream (so that one
        family's life does not depend on which others exist), then keep the families whose
        records together give the seed's counts (``TARGETS``)."""
        candidates = []
        for year, counts in YEARS.items():
            start = max(date(year, 4, 1), WARM_UP)
            end = date(year + 1, 3, 31)
            for kind, count in counts.items():
                for index in range(int(count * POOL_FACTOR) + POOL_EXTRA):
                    rng = random.Random(f"{SEED}:{year}:{kind}:{index}")  # nosec B311
                    candidates.append((_random_working_day(rng, start, end), year, kind, index, rng))
        pool = []
        for start, year, kind, index, rng in sorted(candidates, key=lambda row: row[:4]):
            self.rng, self.built = rng, Built()
            self.family(start=start, kind=kind)
            pool.append((index < YEARS[year][kind], self.built))
        chosen = _select(pool)
        self.built = Built()
        for built in chosen:
            for name in Built.__dataclass_fields__:
                getattr(self.built, name).extend(getattr(built, name))
        for number, family in enumerate(self.built.families, start=1):
            family.reference = f"{FAMILY_PREFIX}{number:05d}"
        for number, child in enumerate(self.built.children, start=1):
            child.local_child_id = f"D3{number:05d}"
        self.rng = random.Random(SEED)  # nosec B311
        _categories(self.built, self.rng)
        _stand_down(self.built, self.rng)
        _icpc_timeliness(self.built, self.rng)
        _report_timeliness(self.built, self.rng)
        _repeat_plans_declared(self.built, self.rng)
