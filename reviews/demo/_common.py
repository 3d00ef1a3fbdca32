"""What the planning, the calibration and the writing share: the weighted draw, the working day
on or before a day, and the planned rows (``PlannedChild``, ``PlannedPeriod``,
``PlannedReview``) held in memory until written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from iro_service.people.models import Child, StaffMember
from iro_service.timescales.dates import is_working_day
from reviews.demo.parameters import SEED
from reviews.due_dates import PaperworkDue


def _stream(*words) -> random.Random:
    """A random stream of its own, named by ``words`` after the demo's seed: the years after the
    demo's three draw from these, never from the three years' own stream."""
    return random.Random(" ".join(str(word) for word in (SEED, *words)))  # nosec B311


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _working_day_on_or_before(day: date, extra) -> date:
    while not is_working_day(day, extra=extra):
        day -= timedelta(days=1)
    return day


@dataclass
class PlannedReview:
    parts: list[date]
    due: date
    sequence: int
    late_reason: str = ""
    participation_code: str = ""
    sw_report_received: date | None = None
    decisions_circulated: date | None = None
    record_completed: date | None = None
    record_distributed: date | None = None
    chair: StaffMember | None = None
    # From the same functions the refresh service uses.
    paperwork: PaperworkDue | None = None
    record_due: date | None = None

    @property
    def held_on(self) -> date:
        return self.parts[0]


@dataclass
class PlannedPeriod:
    child_key: str
    start: date
    end: date | None
    short_breaks: bool
    episodes: list[dict] = field(default_factory=list)
    reviews: list[PlannedReview] = field(default_factory=list)
    next_due: date | None = None
    late_first: bool = False
    part_2_error: bool = False
    due_after_last: date | None = None


@dataclass
class PlannedChild:
    key: str
    born: date
    existing: Child | None = None
    fields: dict = field(default_factory=dict)
    periods: list[PlannedPeriod] = field(default_factory=list)
    # (iro, start, end, reason)
    allocations: list[tuple] = field(default_factory=list)
