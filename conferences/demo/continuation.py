"""The years since: ``continue_to`` carries the demo county's child protection work on from
1 April 2017 to the day the demo is loaded, with the same kind of activity, so that chairs see
the conferences booked this week and next and the current census year can be checked against
the DfE's current rules.

The three years to 31 March 2017 (the seed's figures) are simulated, chosen and calibrated first
and are never changed by what comes after: nothing is held, started, ended, born or distributed
on or before 31 March 2017 here, and every draw comes from a stream of its own.

- A family whose story reached 31 March 2017 (``Cut``) carries on from there on a stream of its
  own (the family's reference): the initial conference its strategy discussion was heading for,
  the next review of its plans (on the day the three years had drawn), or its return to the
  service months after its plans ended.
- Each year after brings as many new families as 2016-17 did, on days drawn from their own
  streams, at 2016-17's rates; a family whose day is still to come is not simulated yet.
- A child unborn on 31 March 2017 is born on a day drawn from their own stream, after it.
- The records of conferences not distributed by 31 March 2017 are distributed after it.
- The conference a family's story reaches after the day the demo is loaded is booked, with its
  chair, so that the chairs' lists show what is coming; no later one is.
- Stand-downs and appeals are drawn for the three years only.

Numbering, so that the same child has the same number whichever day the demo is loaded: a new
family is ``CPF``, the year its collection year ends, its kind (1 initial, 2 pre-birth,
3 initial and pre-birth, 4 transfer in) and its number in the year (``CPF20181001``); its
children are D5, then the same digits and their place in the family (``D51810011`` for its
first). A child born into a carried-on family is D6, the family's number and their place
(``D6004121``, the first born into CPF00412). The numbers give each child a UPN of their own.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from conferences.demo._common import _initial_stage, _random_working_day, _review_stage, _year_of
from conferences.demo.parameters import (
    FAMILY_PREFIX,
    LAST_DAY,
    RECORD_COMPLETED_DAYS,
    RECORD_DISTRIBUTED_DAYS,
    SEED,
    YEARS,
)
from conferences.models import Conference, ConferenceChild, ConferenceStatus
from iro_service.people.demo import demo_return_fields
from iro_service.timescales.dates import add_working_days

# The years since carry on with 2016-17's new families.
NEW_FAMILIES = YEARS[max(YEARS)]
KIND_NUMBERS = {kind: number for number, kind in enumerate(NEW_FAMILIES, start=1)}
# Nothing in the years since is dated on or before 31 March 2017, a Friday: the first working
# day after it is Monday 3 April.
FIRST_WORKING_DAY_SINCE = date(2017, 4, 3)


def _stream(*key) -> random.Random:
    return random.Random(":".join(map(str, (SEED, *key))))  # nosec B311 - synthetic demo data


class _Continuation:
    """The years since the demo's three, for ``_Simulation`` (which inherits it)."""

    def continue_to(self, today: date) -> None:
        """Carry the chosen families on, and add the years' new ones, to ``today``; nothing if
        ``today`` is in the three years. Called after ``run``, whose stream it leaves as it
        found it."""
        if today <= LAST_DAY:
            return
        three_years = self.rng
        cuts = sorted(self.built.cuts, key=lambda cut: cut.family.reference)
        self.built.cuts = []
        self.until, self.continuing = today, True
        self._births_since()
        self._records_since()
        for cut in cuts:
            self.rng = _stream("carried on", cut.family.reference)
            self.child_stem = f"D6{cut.family.reference.removeprefix(FAMILY_PREFIX)}"
            self.child_number = 0
            self._carry_on(cut)
        for year in range(_year_of(LAST_DAY) + 1, _year_of(today) + 1):
            for kind, count in NEW_FAMILIES.items():
                for index in range(count):
                    self._new_family(year, kind, index)
        self.rng = three_years

    # --- what 31 March 2017 left unfinished ---------------------------------------------------

    def _births_since(self) -> None:
        """Children unborn on 31 March 2017 are born about when expected, after that day, if it
        has come; their UPN is allocated then (from their number, with no draw)."""
        for child in self.built.children:
            if child.date_of_birth is not None or child.expected_date_of_birth is None:
                continue
            rng = _stream("born", child.local_child_id)
            born = max(
                child.expected_date_of_birth + timedelta(days=rng.randrange(-10, 10)),
                LAST_DAY + timedelta(days=1),
            )
            if born <= self.until:
                child.date_of_birth = born
                # "7" and the child's number: a UPN no child numbered in the three years has.
                fields = demo_return_fields(key=f"7{child.local_child_id[2:]}", sex=child.sex, born=born)
                child.upn = fields.get("upn", child.upn)

    def _records_since(self) -> None:
        """A conference record not completed or distributed by 31 March 2017 is, after it."""
        after = LAST_DAY + timedelta(days=1)
        for conference in self.built.conferences:
            if conference.status != ConferenceStatus.HELD or conference.record_distributed_on is not None:
                continue
            rng = _stream("record", conference.family.reference, conference.date)
            completed = conference.record_completed_on or max(
                add_working_days(conference.date, rng.choice(RECORD_COMPLETED_DAYS)), after
            )
            distributed = max(add_working_days(completed, rng.choice(RECORD_DISTRIBUTED_DAYS)), after)
            if completed <= self.until:
                conference.record_completed_on = completed
                conference.record_distributed_on = distributed if distributed <= self.until else None

    def _carry_on(self, cut) -> None:
        if cut.what == "returns":
            self.episodes_from(
                cut.family, cut.children, cut.on, "initial", cut.family_chair, first_episode=False
            )
            return
        if cut.what == "initial":
            ended = self.initial_and_reviews(
                cut.family,
                cut.children,
                cut.on,
                cut.kind,
                cut.family_chair,
                cut.first_ever,
                cut.discussion,
                cut.transfer,
            )
        else:
            ended = self.reviews_while_on_plan(
                cut.family,
                cut.children,
                cut.sims,
                cut.family_chair,
                cut.discussion,
                last_end=None,
                first_on=cut.on,
            )
        back = self.comes_back(cut.children, ended)
        if back is not None:
            start, members = back
            self.episodes_from(cut.family, members, start, "initial", cut.family_chair, first_episode=False)

    # --- new families in the years since ------------------------------------------------------

    def _new_family(self, year: int, kind: str, index: int) -> None:
        rng = _stream("new family", year, kind, index)
        # A working day of the year (1 April 2017 was a Saturday: the Monday after).
        start = max(
            _random_working_day(rng, date(year, 4, 1), date(year + 1, 3, 31)), FIRST_WORKING_DAY_SINCE
        )
        if start > self.until:
            return
        digits = f"{(year + 1) % 100:02d}{KIND_NUMBERS[kind]}{index:03d}"
        self.rng = rng
        self.child_stem, self.child_number = f"D5{digits}", 0
        self.family(
            start=start, kind=kind, reference=f"{FAMILY_PREFIX}{year + 1}{KIND_NUMBERS[kind]}{index:03d}"
        )

    # --- the next conference, booked ----------------------------------------------------------

    def book(self, cut) -> None:
        """Book the conference a family's story reached after the last day: an initial conference
        for every child of the enquiry (pre-birth for one still unborn that day), or a review of
        the plans still open. A family coming back has no conference to book yet."""
        if cut.what == "returns":
            return
        on = cut.on
        if cut.what == "initial":
            stages = [(child, _initial_stage(child, on)) for child in cut.children]
        else:
            stages = [(sim.child, _review_stage(sim)) for sim in cut.sims if sim.plan is not None]
        kind = self.conference_type(cut.kind if cut.what == "initial" else "", stages)
        conference = Conference(
            family=cut.family,
            conference_type=kind,
            date=on,
            chair=self.chair_for(cut.family_chair, on),
            strategy_discussion=cut.discussion if cut.what == "initial" else None,
            transfer_notified_on=cut.transfer if cut.what == "initial" else None,
            status=ConferenceStatus.BOOKED,
        )
        self.built.conferences.append(conference)
        self.built.links += [
            ConferenceChild(conference=conference, child=child, stage=stage) for child, stage in stages
        ]
