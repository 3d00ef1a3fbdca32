"""What the simulation, the calibration and the writing share: the weighted draw, the reporting
year of a day, and ``Built``, everything the simulation made, held in memory until written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from conferences.models import ChildStage
from iro_service.timescales.dates import collection_year, is_working_day


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _year_of(day: date) -> int:
    """The reporting year a day falls in, named by the year it starts (2016 is 2016-17), as the
    demo's tables of rates are."""
    return collection_year(day) - 1


def _rate(table: dict, day: date):
    """The rate of ``table`` for the reporting year ``day`` falls in; the years since the demo's
    three (carried on to today) keep the last year's rate."""
    return table.get(_year_of(day), table[max(table)])


def _working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _random_working_day(rng: random.Random, start: date, end: date) -> date:
    return _working_day_on_or_before(start + timedelta(days=rng.randrange(max(1, (end - start).days))))


def _initial_stage(child, on: date) -> str:
    """A child's stage at an initial conference on ``on``: pre-birth until they are born."""
    if child.date_of_birth is None or child.date_of_birth > on:
        return ChildStage.INITIAL_PRE_BIRTH
    return ChildStage.INITIAL


def _review_stage(sim) -> str:
    """A child's stage at a review of their plan: the first review, then reviews."""
    return ChildStage.REVIEW if sim.reviewed else ChildStage.FIRST_REVIEW


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
    # Where a family's story reached the last day planned (``Cut``), to be carried on from.
    cuts: list = field(default_factory=list)
