"""``synthetic_data_generate``: a deterministic dataset across every app, written a chunk of
families at a time with COPY (``synthetic.copy``), each chunk in its own transaction.

The same seed and size give the same rows (primary keys and timestamps apart): every random
choice comes from a generator seeded by the seed and the chunk's number. Dates fall inside the ten
collection years of ``presets``. Every cached due date is worked out by the domain's own
due-date module (reviews, conferences, QA alerts, HSB), never by a copy of its rules."""

from __future__ import annotations

import queue
import random
import threading
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection, transaction

from conferences.models import (
    AgencyInvitation,
    Appeal,
    ChildProtectionPlan,
    CinEpisode,
    Conference,
    ConferenceChild,
    Section47Enquiry,
    StrategyDiscussion,
)
from hsb.models import HsbAssessment, HsbMeeting, HsbReferral, HsbTrainingRecord
from iro_service.core.db import analyze
from iro_service.people.codes import Disability, Ethnicity, Sex
from iro_service.people.models import (
    Child,
    ChildRestriction,
    ChildRestrictionMember,
    Family,
    FamilyMembership,
    IroAllocation,
    StaffMember,
    Team,
)
from iro_service.timescales.dates import extra_non_working_days
from iro_service.timescales.selectors import timescale_settings
from qa_alerts.models import (
    AlertChild,
    AlertConcern,
    AlertEmail,
    AlertReferral,
    AlertResponse,
    AlertStage,
    AlertTransition,
    ChallengeAction,
    ChallengeMeeting,
    ChallengeMeetingAlert,
    ChallengeMeetingCase,
    ChallengeMeetingTheme,
    ChallengeTheme,
    ConcernCategory,
    QaAlert,
)
from qa_alerts.selectors import escalation_stage_names
from reviews.due_dates import paperwork_due
from reviews.models import (
    CafcassInvolvement,
    Episode,
    IroContact,
    LacReview,
    LegalAdviceReferral,
    PeriodOfCare,
    PermanencePlan,
    ReviewMeeting,
    ReviewPart,
)
from synthetic.alerts import ALERT_RATE, CONTEXT_OF, alert_build, challenge_meetings_build
from synthetic.care import periods_build
from synthetic.copy import Tables
from synthetic.hsb_work import referral_build, training_build
from synthetic.names import FIRST_NAMES, LAST_NAMES
from synthetic.presets import CHUNK_FAMILIES, FIRST_DAY, LAST_DAY
from synthetic.protection import UNBORN_DAYS, protection_build
from synthetic.staff import Staff, staff_build

# Parents before children, in the order COPY writes them (the foreign keys are checked at commit).
MODELS = (
    Team,
    StaffMember,
    Family,
    Child,
    ChildRestriction,
    ChildRestrictionMember,
    FamilyMembership,
    IroAllocation,
    PeriodOfCare,
    Episode,
    LacReview,
    ReviewPart,
    ReviewMeeting,
    IroContact,
    PermanencePlan,
    CafcassInvolvement,
    LegalAdviceReferral,
    StrategyDiscussion,
    Section47Enquiry,
    Conference,
    ConferenceChild,
    AgencyInvitation,
    ChildProtectionPlan,
    CinEpisode,
    Appeal,
    HsbReferral,
    HsbMeeting,
    HsbAssessment,
    HsbTrainingRecord,
    QaAlert,
    AlertChild,
    AlertConcern,
    AlertStage,
    AlertResponse,
    AlertTransition,
    AlertEmail,
    AlertReferral,
    ChallengeMeeting,
    ChallengeMeetingAlert,
    ChallengeMeetingCase,
    ChallengeMeetingTheme,
    ChallengeAction,
)

FAMILY_SIZES = ((1, 2, 3, 4), (45, 30, 17, 8))
# Chosen so that 500,000 children give about 2.5 million reviews and 1.7 million conferences
# (the national figures): a family known to child protection, a child in care, in ten years.
PROTECTION_RATE = 0.85
CARE_RATE = 0.9  # of children of families not known to child protection
CARE_AFTER_PLAN_RATE = 0.7
REPEAT_PLAN_RATE = 0.65
# One child in 500 has a record restricted to named staff (issue 18).
RESTRICTED_EVERY = 500
PREFIX = "Synthetic"
ETHNICITIES = (Ethnicity.WBRI,) * 14 + tuple(Ethnicity.values)


@dataclass
class _Child:
    pk: int
    born: date
    sex: str
    row: dict


@dataclass
class _Chunk:
    """What the builders of one chunk share: the random generator, the tables and the rules'
    settings, and the hooks that tie the apps together (an alert after a review...)."""

    rng: random.Random
    tables: Tables
    staff: Staff
    settings: object
    extra: frozenset
    stage_names: list[str]
    categories: list[int]
    challenge_candidates: list = field(default_factory=list)
    plans: dict[int, tuple[dict, dict]] = field(default_factory=dict)
    into_care: dict[int, date] = field(default_factory=dict)
    _paperwork: dict = field(default_factory=dict)
    _children: dict = field(default_factory=dict)

    def name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    @staticmethod
    def email(name: str) -> str:
        local = "".join(ch for ch in name.lower().replace(" ", ".") if ch.isalnum() or ch == ".")
        return f"{local}@council.example.org"

    def paperwork_due(self, held_on: date):
        found = self._paperwork.get(held_on)
        if found is None:
            found = self._paperwork[held_on] = paperwork_due(
                review_date=held_on, settings=self.settings, extra=self.extra
            )
        return found

    def child_model(self, child: _Child) -> Child:
        """The facts the conference due-date rule reads of a child, as an unsaved model: one per
        pair of dates (an unborn child's expected date is set later, ``unborn_at``)."""
        facts = (child.row["date_of_birth"], child.row["expected_date_of_birth"])
        found = self._children.get(facts)
        if found is None:
            found = self._children[facts] = Child(date_of_birth=facts[0], expected_date_of_birth=facts[1])
        return found

    @staticmethod
    def unborn_at(child: _Child, day: date) -> None:
        child.row["expected_date_of_birth"] = child.born

    def plan_started(self, plan: int) -> None:
        self.plans[plan] = (self.tables[ChildProtectionPlan].rows[-1], self.tables[CinEpisode].rows[-1])

    def plan_ended(self, plan: int) -> bool:
        return self.plans[plan][0].get("end_date") is not None

    def plan_end(self, plan: int, day: date, conference: int, reason: str, child: _Child) -> None:
        row, episode = self.plans[plan]
        row.update(end_date=day, end_conference_id=conference, end_reason=reason)
        closed = day + timedelta(days=self.rng.randrange(10, 60))
        if closed <= LAST_DAY:
            episode.update(closure_date=closed, closure_reason=self.rng.choice(("RC1", "RC2", "RC7")))
        if reason == "legal_proceedings":
            self.into_care[child.pk] = day + timedelta(days=self.rng.randrange(1, 20))

    def review_written(self, review: int, held: date, chair: int, child: _Child, cafcass) -> None:
        if self.rng.random() < ALERT_RATE:
            alert_build(
                self,
                on=held,
                iro=chair,
                children=[child.pk],
                context=CONTEXT_OF["cic"],
                review=review,
                cafcass=cafcass,
            )

    def conference_written(
        self, conference: int, day: date, chair: int, family: int, children, status
    ) -> None:
        if status == "held" and self.rng.random() < ALERT_RATE:
            alert_build(
                self,
                on=day,
                iro=chair,
                children=[child.pk for child in children],
                context=CONTEXT_OF["cp"],
                conference=conference,
                family=family,
            )


def _family_build(chunk: _Chunk, number: int, first_child: int, size: int) -> int:
    rng, tables = chunk.rng, chunk.tables
    surname = rng.choice(LAST_NAMES)
    family = tables[Family].add(reference=f"SYF{number:08d}", name=f"{surname} family")
    born = FIRST_DAY + timedelta(days=rng.randrange(-12 * 365, 6 * 365))
    children = []
    for offset in range(size):
        sex = rng.choice((Sex.MALE, Sex.FEMALE))
        disabled = rng.random()
        row = {
            "local_child_id": f"SY{first_child + offset:08d}",
            "first_name": rng.choice(FIRST_NAMES),
            "last_name": surname,
            "date_of_birth": born if born <= LAST_DAY else None,
            "expected_date_of_birth": born if born > LAST_DAY else None,
            "sex": sex,
            "ethnicity": rng.choice(ETHNICITIES),
            "disabilities": [Disability.NONE]
            if disabled < 0.85
            else [rng.choice(("LD", "AUT", "COMM", "BEH"))],
        }
        pk = tables[Child].add(**row)
        children.append(_Child(pk, born, sex, tables[Child].rows[-1]))
        tables[FamilyMembership].add(
            family_id=family, child_id=pk, start_date=min(max(born, FIRST_DAY), LAST_DAY)
        )
        if (first_child + offset) % RESTRICTED_EVERY == 1:
            restriction = tables[ChildRestriction].add(child_id=pk, reason="A relative works in the service.")
            tables[ChildRestrictionMember].add(
                restriction_id=restriction, staff_member_id=rng.choice(chunk.staff.managers)
            )
        born = born + timedelta(days=rng.randrange(300, 1500))
        if born > LAST_DAY + timedelta(days=UNBORN_DAYS):
            break
    window = (LAST_DAY - FIRST_DAY).days
    chunk.into_care = {}
    protected = rng.random() < PROTECTION_RATE
    if protected:
        start = FIRST_DAY + timedelta(days=rng.randrange(window - 30))
        ended = protection_build(chunk, family, children, start)
        while ended and rng.random() < REPEAT_PLAN_RATE:
            start = ended + timedelta(days=rng.randrange(120, 700))
            if start >= LAST_DAY - timedelta(days=30):
                break
            ended = protection_build(chunk, family, children, start)
    for child in children:
        if child.row["date_of_birth"] is None:
            continue
        start = chunk.into_care.get(child.pk)
        if start is None and rng.random() < (CARE_AFTER_PLAN_RATE if protected else CARE_RATE):
            earliest = max(child.born, FIRST_DAY)
            latest = min(LAST_DAY, child.born + timedelta(days=int(365.25 * 17.5)))
            if earliest < latest:
                start = earliest + timedelta(days=rng.randrange((latest - earliest).days))
        if start is not None and start < LAST_DAY:
            periods_build(chunk, child, start)
        referral_build(chunk, child)
    return len(children)


class _BackgroundWriter:
    """Writes the chunks' rows on threads of their own, each with a database connection of its
    own, while the next chunk is built: building rows is Python's work and copying them in (with
    their history rows, the indexes and, at each commit, the foreign keys checked) is
    PostgreSQL's, which takes longer. Two writers keep both cores busy. A chunk refers only to
    its own rows and to the staff, written before, so chunks can be written in any order and
    side by side. At most one chunk waits, so no more than ``writers + 2`` chunks' rows are held
    at a time. Each chunk is written in a transaction of its own, as it is when written in line;
    the first failure stops the writing and is raised in the caller's thread."""

    def __init__(self, tables, writers: int = 2):
        self.tables = tables
        self.waiting: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.threads = [
            threading.Thread(target=self._run, name=f"synthetic-writer-{number}", daemon=True)
            for number in range(writers)
        ]
        for thread in self.threads:
            thread.start()

    def _run(self) -> None:
        try:
            while (batch := self.waiting.get()) is not None:
                if self.error is None:
                    try:
                        with transaction.atomic():
                            self.tables.write(batch)
                    except BaseException as error:  # raised again in the caller's thread
                        self.error = error
        finally:
            connection.close()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def write(self, batch: dict) -> None:
        self._raise()
        self.waiting.put(batch)

    def finish(self) -> None:
        for _thread in self.threads:
            self.waiting.put(None)
        for thread in self.threads:
            thread.join()
        self._raise()


def synthetic_data_present() -> bool:
    """Whether an earlier run wrote here (its staff and child IDs would clash)."""
    return Team.objects.filter(name__startswith=f"{PREFIX} ").exists()


def synthetic_data_generate(
    *, children: int, seed: int = 1, progress=None, background: bool = False
) -> dict[str, int]:
    """Write about ``children`` children (whole families) and everything around them. Returns
    the rows written per model. ``progress(children_so_far)`` is called after each chunk.

    ``background`` writes the families' chunks on a thread of their own (``_BackgroundWriter``),
    the same rows in the same order. Only outside a transaction: the writer's connection could
    not see rows an open transaction of the caller's had written (the staff), so inside one the
    chunks are written in line."""
    settings_row = timescale_settings()
    extra = frozenset(extra_non_working_days())
    stage_names = escalation_stage_names()
    categories = list(ConcernCategory.objects.order_by("pk").values_list("pk", flat=True))
    themes = list(ChallengeTheme.objects.order_by("pk").values_list("pk", flat=True))
    tables = Tables(MODELS)

    def chunk_for(name: str) -> _Chunk:
        return _Chunk(
            random.Random(f"{seed}:{name}"),  # nosec B311
            tables,
            staff,
            settings_row,
            extra,
            stage_names,
            categories,
        )

    with transaction.atomic():
        staff = staff_build(tables, random.Random(f"{seed}:staff"), children=children, prefix=PREFIX)  # nosec B311
        training_build(chunk_for("training"))
        tables.flush()
    writer = _BackgroundWriter(tables) if background and not connection.in_atomic_block else None
    written = families = 0
    candidates = []
    number = 0
    try:
        while written < children:
            chunk = chunk_for(f"families:{number}")
            with transaction.atomic() if writer is None else nullcontext():
                for _ in range(CHUNK_FAMILIES):
                    if written >= children:
                        break
                    size = min(chunk.rng.choices(*FAMILY_SIZES)[0], children - written)
                    written += _family_build(chunk, families, written, size)
                    families += 1
                if writer is None:
                    tables.flush()
                else:
                    writer.write(tables.take())
            candidates.extend(chunk.challenge_candidates)
            number += 1
            if progress is not None:
                progress(written)
    finally:
        if writer is not None:
            writer.finish()
    with transaction.atomic():
        challenge_meetings_build(chunk_for("challenge"), themes, candidates)
        tables.flush()
    analyze(*MODELS)
    return tables.counts()
