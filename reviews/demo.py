"""The demo county's children in care, 2014-15 to 2016-17: periods of care and their episodes,
LAC reviews (some in two parts, some around bank holidays), visits, permanence plans,
Children's Guardians and review records with the autumn 2016 backlog.

Deterministic (one fixed seed, children and reviews generated in a fixed order) and idempotent
(skipped when the demo children already have periods of care). The rows are generated in Python
first, with due dates from the same functions the services use (``reviews.due_dates``), then
written with ``bulk_create_with_history``: one INSERT per table, not one per review.

The figures the generator aims at are in ``PARAMETERS``; the counts it produced are printed so
that the next issue can tune them against seed-figures.md.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from django.apps import apps
from simple_history.utils import bulk_create_with_history

from iro_service.core.db import analyze
from iro_service.people.demo import ETHNICITY_WEIGHTS, FIRST_NAMES, LAST_NAMES
from iro_service.people.models import Child, IroAllocation, StaffMember
from iro_service.timescales.dates import (
    add_months,
    add_working_days,
    collection_year,
    extra_non_working_days,
    is_working_day,
)
from iro_service.timescales.selectors import timescale_settings
from reviews.codes import ContactKind, ParticipationCode, PermanencePlanType
from reviews.due_dates import (
    PaperworkDue,
    fourth_birthday,
    is_short_breaks_only,
    paperwork_due,
    period_due_dates,
    review_due,
)
from reviews.models import (
    CafcassInvolvement,
    Episode,
    IroContact,
    LacReview,
    LegalAdviceReferral,
    PeriodOfCare,
    PermanencePlan,
    ReviewPart,
)

SEED = 2017_0331_3
WINDOW_START = date(2014, 4, 1)
WINDOW_END = date(2017, 3, 31)

# The tuning table. Years are collection years named by the year they end (2017 = 2016-17).
PARAMETERS = {
    # Children already in care on 1 April 2014, who came in between these dates.
    "initial_in_care": 520,
    "initial_starts_from": date(2011, 4, 1),
    # Children coming into care each year (the 240 people-demo children included).
    "entries": {2015: 240, 2016: 220, 2017: 188},
    # Mean years a period of care lasts; a share leave within weeks.
    "mean_years_in_care": 3.2,
    "short_stay_share": 0.12,
    "re_entry_share": 0.08,
    "short_breaks_share": 0.03,
    # Reviews are held up to this many days before they are due.
    "held_early_days": (0, 12),
    "two_part_share": 0.015,
    # Late reviews: the next review booked from part 2 of a two-part review; a first review
    # held late because the IRO service heard late that the child came into care.
    "late_from_part_2": {2016: 1, 2017: 4},
    "late_first_review": {2017: 2},
    # Share of reviews of children aged 4 and over with participation (PN1-PN6 over PN1-PN7).
    "participation": {2014: 0.92, 2015: 0.925, 2016: 0.902, 2017: 0.953},
    # Reviews held in a year, exactly: the generator holds a few more reviews early, in the
    # last days of March, or leaves a few not yet held, to land on it.
    "reviews_held": {2017: 1404},
    # Share of social worker's reports received by their due date.
    "sw_reports_on_time": {2014: 0.5, 2015: 0.5, 2016: 0.515, 2017: 0.563},
    # Months reported on their own (seed 5.7.1); the rest of their year makes up the year's share.
    "sw_reports_on_time_by_month": {(2016, 10): 0.719, (2016, 11): 0.59},
    # Records due before a month end and not distributed by it (the backlog).
    "records_out_of_timescale": {
        date(2015, 3, 31): 40,
        date(2015, 6, 30): 60,
        date(2015, 9, 30): 70,
        date(2015, 12, 31): 80,
        date(2016, 3, 31): 90,
        date(2016, 4, 30): 100,
        date(2016, 5, 31): 110,
        date(2016, 6, 30): 120,
        date(2016, 7, 31): 130,
        date(2016, 8, 31): 125,
        date(2016, 9, 30): 112,
        date(2016, 10, 31): 51,
        date(2016, 11, 30): 10,
        date(2016, 12, 31): 30,
        date(2017, 1, 31): 45,
        date(2017, 2, 28): 35,
        date(2017, 3, 31): 44,
    },
    "visits_per_child_year": 1.2,
    "legal_advice_referrals": 6,
}

# (legal status, weight) for a first episode; V3 is drawn separately (short breaks).
FIRST_LEGAL_STATUS = [("C1", 40), ("V2", 32), ("C2", 8), ("L2", 6), ("E1", 3), ("J1", 5), ("L1", 6)]
CATEGORY_OF_NEED = [("N1", 62), ("N2", 4), ("N3", 4), ("N4", 9), ("N5", 13), ("N6", 2), ("N7", 1), ("N8", 5)]
PLACEMENTS = [
    ("U6", 40),
    ("U4", 15),
    ("U3", 12),
    ("U1", 5),
    ("K2", 10),
    ("P1", 6),
    ("H5", 4),
    ("R1", 2),
    ("S1", 2),
]
PROVIDERS = {"P1": "PR0", "K2": "PR4", "H5": "PR4", "R1": "PR3", "S1": "PR5"}
PARTICIPATING = [("PN1", 55), ("PN2", 6), ("PN3", 8), ("PN4", 5), ("PN5", 10), ("PN6", 16)]
GUARDIANS = ["Ruth Ellison", "Marcus Doyle", "Anita Chauhan", "Paul Brennan", "Sian Morgan", "Kevin Osei"]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _working_day_on_or_before(day: date, extra) -> date:
    while not is_working_day(day, extra=extra):
        day -= timedelta(days=1)
    return day


def _working_day_on_or_after(day: date, extra) -> date:
    while not is_working_day(day, extra=extra):
        day += timedelta(days=1)
    return day


def _percent(numerator: int, denominator: int) -> Decimal:
    """As the figures service rounds a rate: to 1 dp, half up."""
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _count_for_share(total: int, share: float) -> int | None:
    """How many of ``total`` make ``share`` to 1 dp, or None if no whole number does."""
    if not total:
        return None
    wanted = Decimal(str(share)) * 100
    guess = round(total * share)
    for number in sorted(range(max(guess - 3, 0), min(guess + 3, total) + 1), key=lambda n: abs(n - guess)):
        if _percent(number, total) == wanted:
            return number
    return None


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


class Generator:
    """Plans the demo's children in care in memory; ``load`` writes them."""

    def __init__(self, *, iros: list[StaffMember], existing_children: list[Child], extra, settings):
        self.rng = random.Random(SEED)
        self.iros = sorted(iros, key=lambda member: member.pk)
        self.existing = existing_children
        self.extra = frozenset(extra)
        self.settings = settings
        self.children: list[PlannedChild] = []
        self.next_number = 1

    # --- people ---------------------------------------------------------------------------

    def _new_child(self, *, age_at: date) -> PlannedChild:
        rng = self.rng
        age_years = _weighted(rng, [(0, 18), (2, 12), (6, 20), (11, 30), (15, 20)])
        born = age_at - timedelta(days=age_years * 365 + rng.randrange(0, 365 * 2))
        born = min(born, age_at)
        sex = rng.choice("MF")
        codes, weights = zip(*ETHNICITY_WEIGHTS, strict=True)
        key = f"D{200000 + self.next_number}"
        self.next_number += 1
        child = PlannedChild(
            key=key,
            born=born,
            fields={
                "first_name": rng.choice(FIRST_NAMES[sex]),
                "last_name": rng.choice(LAST_NAMES),
                "sex": sex,
                "ethnicity": rng.choices(codes, weights)[0],
                "disabilities": ["NONE"] if rng.random() < 0.9 else ["LD"],
            },
        )
        self.children.append(child)
        return child

    def _iro_for(self, on: date) -> StaffMember:
        in_post = [member for member in self.iros if member.start_date <= on] or self.iros
        return self.rng.choices(in_post, [float(member.fte) for member in in_post])[0]

    # --- periods --------------------------------------------------------------------------

    def _duration_end(self, start: date, born: date, *, from_day: date | None = None) -> date | None:
        rng = self.rng
        origin = from_day or start
        if from_day is None and rng.random() < PARAMETERS["short_stay_share"]:
            days = rng.randrange(3, 80)
        else:
            days = int(rng.expovariate(1 / (PARAMETERS["mean_years_in_care"] * 365)))
        end = origin + timedelta(days=max(days, 1))
        eighteenth = add_months(born, 216)
        end = min(end, eighteenth - timedelta(days=1))
        if end <= start:
            end = start + timedelta(days=1)
        return None if end > WINDOW_END else end

    def _episodes(self, period: PlannedPeriod) -> None:
        rng = self.rng
        need = _weighted(rng, CATEGORY_OF_NEED)
        if period.short_breaks:
            status, need = "V3", "N2"
        else:
            status = _weighted(rng, FIRST_LEGAL_STATUS)
        placement = _weighted(rng, PLACEMENTS)
        postcode = (
            f"LE{rng.randrange(1, 19)} {rng.randrange(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"
        )
        episodes = [
            {
                "start_date": period.start,
                "reason_for_new_episode": "S",
                "legal_status": status,
                "category_of_need": need,
                "placement": placement,
                "placement_provider": PROVIDERS.get(placement, "PR1"),
                "home_postcode": postcode,
            }
        ]
        last_day = period.end or WINDOW_END
        # Interim care orders become full care orders; some placements change.
        if status == "C1" and (period.start + timedelta(days=190)) < last_day:
            episodes.append(
                {
                    **episodes[-1],
                    "start_date": period.start + timedelta(days=rng.randrange(120, 190)),
                    "reason_for_new_episode": "L",
                    "legal_status": "C2",
                }
            )
        if not period.short_breaks and rng.random() < 0.35:
            change = episodes[-1]["start_date"] + timedelta(days=rng.randrange(30, 400))
            if change < last_day:
                new_place = _weighted(rng, PLACEMENTS)
                episodes.append(
                    {
                        **episodes[-1],
                        "start_date": change,
                        "reason_for_new_episode": "P",
                        "placement": new_place,
                        "placement_provider": PROVIDERS.get(new_place, "PR1"),
                        "reason_place_change": "CARPL" if collection_year(change) >= 2016 else "",
                    }
                )
        for before, after in pairwise(episodes):
            before["end_date"] = after["start_date"]
            before["reason_ceased"] = "X1"
        if period.end:
            episodes[-1]["end_date"] = period.end
            # E4A and E4B (returned home) joined the list in 2014-15; special guardianship was
            # E43 until 2017-18 (E45 to E48 from 2018-19).
            if collection_year(period.end) >= 2015:
                leaving = [("E4A", 30), ("E43", 8), ("E41", 6), ("E11", 8), ("E8", 10), ("E17", 6), ("E5", 6)]
            else:
                leaving = [("E13", 30), ("E43", 8), ("E41", 6), ("E11", 8), ("E8", 10), ("E5", 6)]
            episodes[-1]["reason_ceased"] = _weighted(rng, leaving)
        period.episodes = episodes

    def _reviews(self, period: PlannedPeriod, child: PlannedChild) -> None:
        """Reviews held a little before each due date, the next due from part 1."""
        rng = self.rng
        last_day = min(period.end or WINDOW_END, WINDOW_END)
        previous = None
        sequence = 1
        next_from = None  # set when the next review is (wrongly) booked from part 2
        while True:
            due = review_due(
                sequence=sequence,
                period_start=period.start,
                previous_review_date=previous,
                short_breaks=period.short_breaks,
                extra=self.extra,
            )
            late_reason = ""
            if next_from is not None:
                months = 3 if sequence == 2 and not period.short_breaks else 6
                held = _working_day_on_or_before(
                    add_months(next_from, months) - timedelta(days=rng.randrange(0, 3)), self.extra
                )
                late_reason = (
                    "The date of this review was set from part 2 of the last review instead of part 1."
                )
                next_from = None
            elif sequence == 1 and period.late_first:
                held = add_working_days(due, rng.randrange(3, 9), extra=self.extra)
                late_reason = (
                    "The social work team told the IRO service late that the child had come into care."
                )
            else:
                low, high = PARAMETERS["held_early_days"]
                earliest = (previous or period.start) + timedelta(days=10)
                held = due - timedelta(days=rng.randrange(low, high + 1))
                held = _working_day_on_or_before(max(held, earliest), self.extra)
                if held > due or held < earliest:
                    held = _working_day_on_or_before(due, self.extra)
            if held > last_day or held <= (previous or period.start - timedelta(days=1)):
                # The review still to hold: what the refresh service caches on the last review
                # held (and on the period, while it is open).
                period.due_after_last = due
                break
            parts = [held]
            if (
                period.part_2_error
                and not late_reason
                and collection_year(add_months(held, 6)) in (2016, 2017)
            ):
                target_year = collection_year(add_months(held, 6))
                if (
                    self.part_2_quota.get(target_year, 0) > 0
                    and sequence >= 2
                    and add_months(held, 7) < WINDOW_END
                ):
                    self.part_2_quota[target_year] -= 1
                    period.part_2_error = False
                    second = _working_day_on_or_after(
                        held + timedelta(days=rng.randrange(21, 29)), self.extra
                    )
                    parts.append(second)
                    next_from = second
            if len(parts) == 1 and rng.random() < PARAMETERS["two_part_share"]:
                second = _working_day_on_or_after(held + timedelta(days=rng.randrange(5, 22)), self.extra)
                if second <= last_day:
                    parts.append(second)
            period.reviews.append(
                PlannedReview(parts=parts, due=due, sequence=sequence, late_reason=late_reason)
            )
            previous = held
            sequence += 1
        if period.end is None:
            period.next_due = review_due(
                sequence=sequence,
                period_start=period.start,
                previous_review_date=previous,
                short_breaks=period.short_breaks,
                extra=self.extra,
            )

    def _add_period(self, child: PlannedChild, start: date, end: date | None) -> PlannedPeriod:
        period = PlannedPeriod(
            child_key=child.key,
            start=start,
            end=end,
            short_breaks=self.rng.random() < PARAMETERS["short_breaks_share"],
        )
        child.periods.append(period)
        return period

    def plan(self) -> None:
        rng = self.rng
        self.part_2_quota = dict(PARAMETERS["late_from_part_2"])
        # The people demo's 240 children: in care from their IRO allocation, still in care.
        entries_by_year = Counter()
        for existing in self.existing:
            allocation = existing.iro_allocations.order_by("start_date").first()
            planned = PlannedChild(
                key=existing.local_child_id, born=existing.date_of_birth, existing=existing
            )
            self.children.append(planned)
            self._add_period(planned, allocation.start_date, None)
            entries_by_year[collection_year(allocation.start_date)] += 1
        # Children already in care when the demo's first year begins.
        span = (WINDOW_START - PARAMETERS["initial_starts_from"]).days
        for _ in range(PARAMETERS["initial_in_care"]):
            start = PARAMETERS["initial_starts_from"] + timedelta(days=rng.randrange(0, span))
            child = self._new_child(age_at=start)
            self._add_period(child, start, self._duration_end(start, child.born, from_day=WINDOW_START))
        # Children coming into care in each year, some of them coming back after leaving.
        for year, count in sorted(PARAMETERS["entries"].items()):
            first_day = date(year - 1, 4, 1)
            for _ in range(max(count - entries_by_year[year], 0)):
                start = first_day + timedelta(days=rng.randrange(0, 365))
                start = min(start, WINDOW_END - timedelta(days=1))
                child = self._new_child(age_at=start)
                period = self._add_period(child, start, self._duration_end(start, child.born))
                if period.end and rng.random() < PARAMETERS["re_entry_share"]:
                    again = period.end + timedelta(days=rng.randrange(40, 300))
                    if again < WINDOW_END - timedelta(days=30):
                        self._add_period(child, again, self._duration_end(again, child.born))
        # Flag the periods that get the late reviews the seed reports.
        open_through = [
            period
            for child in self.children
            for period in child.periods
            if period.start < date(2015, 4, 1) and period.end is None and not period.short_breaks
        ]
        wanted = sum(PARAMETERS["late_from_part_2"].values()) * 3
        for period in rng.sample(open_through, min(wanted, len(open_through))):
            period.part_2_error = True
        for year, count in PARAMETERS["late_first_review"].items():
            starters = [
                period
                for child in self.children
                for period in child.periods
                if collection_year(period.start) == year
                and not period.short_breaks
                and (period.end is None or period.end > period.start + timedelta(days=60))
                and period.start < date(year, 2, 15)
            ]
            for period in rng.sample(starters, min(count, len(starters))):
                period.late_first = True
        for child in self.children:
            for period in child.periods:
                self._episodes(period)
                period.short_breaks = is_short_breaks_only(
                    episode["legal_status"] for episode in period.episodes
                )
                self._reviews(period, child)
            self._allocations(child)
        self._fit_month_sizes()
        self._fit_review_count()
        self._participation()
        self._paperwork()
        self._records()

    # --- calibration: moves the figures can be tuned by, none of them making a review late ----

    def _set_next_due(self, period: PlannedPeriod) -> None:
        last = period.reviews[-1] if period.reviews else None
        period.due_after_last = review_due(
            sequence=len(period.reviews) + 1,
            period_start=period.start,
            previous_review_date=last.held_on if last else None,
            short_breaks=period.short_breaks,
            extra=self.extra,
        )
        period.next_due = period.due_after_last if period.end is None else None

    def _movable_last_reviews(self, month: tuple[int, int]) -> list[tuple[PlannedPeriod, PlannedReview]]:
        """Reviews held in ``month`` that are the last of their period, in one part and on time:
        holding one on another day changes nothing else."""
        found = []
        for child in self.children:
            for period in child.periods:
                if not period.reviews:
                    continue
                last = period.reviews[-1]
                if (
                    (last.held_on.year, last.held_on.month) == month
                    and len(last.parts) == 1
                    and not last.late_reason
                ):
                    found.append((period, last))
        return sorted(found, key=lambda pair: (pair[1].held_on, pair[0].child_key))

    def _fit_month_sizes(self) -> None:
        """A month whose social workers' reports are reported on their own needs a number of
        reviews that the month's share can be made of, to 1 dp. If it has not, the last review
        of a period due early next month is held on the month's last working days instead."""
        for (year, month), share in sorted(PARAMETERS["sw_reports_on_time_by_month"].items()):
            following = (year + 1, 1) if month == 12 else (year, month + 1)
            month_last = date(following[0], following[1], 1) - timedelta(days=1)
            for _ in range(20):
                held = sum(
                    1
                    for _c, _p, planned in self._all_reviews()
                    if (planned.held_on.year, planned.held_on.month) == (year, month)
                )
                if _count_for_share(held, share) is not None:
                    break
                for period, planned in self._movable_last_reviews(following):
                    previous = period.reviews[-2].held_on if len(period.reviews) > 1 else period.start
                    earlier = _working_day_on_or_before(month_last, self.extra)
                    if earlier > previous + timedelta(days=10) and earlier >= planned.due - timedelta(
                        days=21
                    ):
                        planned.parts = [earlier]
                        self._set_next_due(period)
                        break
                else:
                    break

    def _fit_review_count(self) -> None:
        """Land on the year's number of reviews: hold a few reviews due in early April in the last
        days of March, or leave a few due in April that would have been held early not yet held."""
        for year, target in PARAMETERS["reviews_held"].items():
            year_end = date(year, 3, 31)
            held = sum(
                1 for _c, _p, planned in self._all_reviews() if collection_year(planned.held_on) == year
            )
            if held > target:
                candidates = [
                    (period, planned)
                    for period, planned in self._movable_last_reviews((year, 3))
                    if period.end is None and planned.due > year_end and planned.sequence > 1
                ]
                for period, _planned in reversed(candidates[-(held - target) :]):
                    period.reviews.pop()
                    self._set_next_due(period)
            elif held < target:
                candidates = sorted(
                    (
                        (period.next_due, child.key, period, child)
                        for child in self.children
                        for period in child.periods
                        if period.end is None
                        and period.next_due is not None
                        and year_end < period.next_due <= year_end + timedelta(days=14)
                    ),
                    key=lambda item: (item[0], item[1]),
                )
                for due, _key, period, child in candidates[: target - held]:
                    previous = period.reviews[-1].held_on if period.reviews else period.start
                    day = _working_day_on_or_before(year_end, self.extra)
                    if day <= previous + timedelta(days=10):
                        continue
                    period.reviews.append(
                        PlannedReview(
                            parts=[day],
                            due=due,
                            sequence=len(period.reviews) + 1,
                            chair=child.allocations[0][0],
                        )
                    )
                    self._set_next_due(period)

    def _allocations(self, child: PlannedChild) -> None:
        if child.existing is not None:
            allocation = child.existing.iro_allocations.order_by("start_date").first()
            child.allocations = [(allocation.iro, allocation.start_date, None, "")]
        else:
            start = child.periods[0].start
            child.allocations = [
                (self._iro_for(start), start, None, "Allocated when the child came into care")
            ]
        # One allocation per child for now: the IRO chairs every review.
        for period in child.periods:
            for planned in period.reviews:
                planned.chair = child.allocations[0][0]

    def _all_reviews(self) -> list[tuple[PlannedChild, PlannedPeriod, PlannedReview]]:
        return [
            (child, period, planned)
            for child in self.children
            for period in child.periods
            for planned in period.reviews
        ]

    def _participation(self) -> None:
        """PN0 for the under-4s; for the rest, exactly the year's share take part."""
        rng = self.rng
        by_year = defaultdict(list)
        for child, _period, planned in self._all_reviews():
            if planned.held_on < fourth_birthday(child.born):
                planned.participation_code = ParticipationCode.PN0
            else:
                by_year[collection_year(planned.held_on)].append(planned)
        for year, reviews in sorted(by_year.items()):
            share = PARAMETERS["participation"].get(year, 0.92)
            silent = set(rng.sample(range(len(reviews)), round(len(reviews) * (1 - share))))
            for index, planned in enumerate(reviews):
                planned.participation_code = "PN7" if index in silent else _weighted(rng, PARTICIPATING)

    def _sw_reports_on_time(self, reviews: list[PlannedReview], year: int) -> set[int]:
        """Which of a year's reviews (by index) get their report on time: the year's share, with
        the months of ``sw_reports_on_time_by_month`` on exactly theirs (to 1 dp)."""
        rng = self.rng
        wanted = _count_for_share(len(reviews), PARAMETERS["sw_reports_on_time"].get(year, 0.5))
        on_time: set[int] = set()
        rest = list(range(len(reviews)))
        for (in_year, month), share in sorted(PARAMETERS["sw_reports_on_time_by_month"].items()):
            if collection_year(date(in_year, month, 1)) != year:
                continue
            in_month = [
                i for i in rest if (reviews[i].held_on.year, reviews[i].held_on.month) == (in_year, month)
            ]
            on_time.update(rng.sample(in_month, _count_for_share(len(in_month), share) or 0))
            rest = [i for i in rest if i not in set(in_month)]
        on_time.update(rng.sample(rest, max(min((wanted or 0) - len(on_time), len(rest)), 0)))
        return on_time

    def paperwork_on(self, held_on: date) -> PaperworkDue:
        """``paperwork_due`` for a review held on ``held_on``, worked out once per day."""
        cache = self.__dict__.setdefault("_paperwork_by_day", {})
        if held_on not in cache:
            cache[held_on] = paperwork_due(review_date=held_on, settings=self.settings, extra=self.extra)
        return cache[held_on]

    def _paperwork(self) -> None:
        rng = self.rng
        by_year = defaultdict(list)
        for _child, _period, planned in self._all_reviews():
            by_year[collection_year(planned.held_on)].append(planned)
        for year, reviews in sorted(by_year.items()):
            on_time = self._sw_reports_on_time(reviews, year)
            for index, planned in enumerate(reviews):
                due = self.paperwork_on(planned.held_on)
                if index in on_time:
                    planned.sw_report_received = due.sw_report - timedelta(days=rng.randrange(0, 6))
                else:
                    late_by = (planned.held_on - due.sw_report).days
                    planned.sw_report_received = due.sw_report + timedelta(
                        days=rng.randrange(1, max(late_by, 1) + 1)
                    )
                planned.decisions_circulated = min(
                    due.decisions - timedelta(days=rng.randrange(0, 4)), WINDOW_END
                )
                planned.decisions_circulated = max(planned.decisions_circulated, planned.held_on)
                planned.record_due = due.record
                planned.paperwork = due

    def _records(self) -> None:
        """Records distributed on time, except a backlog kept at each month end's figure: the
        oldest overdue records are cleared first, as the service did from September 2016."""
        rng = self.rng
        reviews = sorted(
            (planned for _c, _p, planned in self._all_reviews()), key=lambda r: (r.record_due, r.held_on)
        )
        targets = sorted(PARAMETERS["records_out_of_timescale"].items())
        overdue: list[PlannedReview] = []
        late_ids: set[int] = set()
        previous_end = date(2000, 1, 1)
        for month_end, target in targets:
            candidates = [
                planned
                for planned in reviews
                if previous_end <= planned.record_due < month_end and id(planned) not in late_ids
            ]
            if len(overdue) > target:
                # Clear the oldest surplus during the month.
                for planned in overdue[: len(overdue) - target]:
                    earliest = max(previous_end + timedelta(days=1), planned.record_due + timedelta(days=1))
                    planned.record_distributed = earliest + timedelta(
                        days=rng.randrange(0, max((month_end - earliest).days, 1))
                    )
                    planned.record_distributed = min(planned.record_distributed, month_end)
                overdue = overdue[len(overdue) - target :]
            elif len(overdue) < target:
                for planned in rng.sample(candidates, min(target - len(overdue), len(candidates))):
                    late_ids.add(id(planned))
                    overdue.append(planned)
                overdue.sort(key=lambda r: r.record_due)
            previous_end = month_end
        for planned in reviews:
            if id(planned) in late_ids:
                if planned.record_distributed is None:
                    # Still outstanding at the end of March 2017: some written, none sent.
                    if rng.random() < 0.5:
                        planned.record_completed = min(
                            planned.record_due + timedelta(days=rng.randrange(1, 20)), WINDOW_END
                        )
                else:
                    planned.record_completed = planned.record_distributed - timedelta(
                        days=rng.randrange(0, 3)
                    )
                    planned.record_completed = max(planned.record_completed, planned.held_on)
                continue
            distributed = planned.record_due - timedelta(days=rng.randrange(0, 10))
            distributed = max(distributed, planned.held_on + timedelta(days=1))
            if distributed > WINDOW_END:
                # Reviews at the very end of March: record still being written.
                continue
            planned.record_distributed = distributed
            planned.record_completed = max(distributed - timedelta(days=rng.randrange(0, 4)), planned.held_on)


def _report(generator: Generator) -> list[str]:
    """The figures the generator produced, for tuning against seed-figures.md."""
    lines = []
    periods = [period for child in generator.children for period in child.periods]
    open_at_end = sum(1 for period in periods if period.start <= WINDOW_END and period.end is None)
    lines.append(f"  periods of care {len(periods)}, children in care on 31 March 2017: {open_at_end}")
    rows = generator._all_reviews()
    for year in (2015, 2016, 2017):
        held = [planned for _c, _p, planned in rows if collection_year(planned.held_on) == year]
        late = sum(1 for planned in held if planned.held_on > planned.due)
        two_part = sum(1 for planned in held if len(planned.parts) > 1)
        aged = [planned for planned in held if planned.participation_code != "PN0"]
        took_part = sum(1 for planned in aged if planned.participation_code != "PN7")
        sw_on_time = sum(1 for planned in held if planned.sw_report_received <= planned.paperwork.sw_report)
        lines.append(
            f"  {year - 1}-{str(year)[2:]}: reviews {len(held)}, late {late}, two-part {two_part}, "
            f"participation {100 * took_part / max(len(aged), 1):.1f}%, "
            f"SW reports on time {100 * sw_on_time / max(len(held), 1):.1f}%"
        )
    backlog = []
    for month_end in sorted(PARAMETERS["records_out_of_timescale"]):
        if month_end < date(2016, 9, 1):
            continue
        count = sum(
            1
            for _c, _p, planned in rows
            if planned.record_due < month_end
            and (planned.record_distributed is None or planned.record_distributed > month_end)
        )
        backlog.append(f"{month_end:%b %Y} {count}")
    lines.append("  records out of timescale at month ends: " + ", ".join(backlog))
    return lines


def load_demo(*, context: dict, stdout) -> None:
    started = time.monotonic()
    existing = list(context.get("children", []))
    if PeriodOfCare.objects.filter(child__local_child_id__startswith="D").exists():
        stdout.write("Children in care: already loaded.")
        return
    settings = timescale_settings()
    generator = Generator(
        iros=context["iros"],
        existing_children=existing,
        extra=extra_non_working_days(),
        settings=settings,
    )
    generator.plan()
    _write(generator)
    # Fresh planner statistics after a bulk load (see analyze): the tests that load the demo
    # county query it inside the same transaction, long before autovacuum would look.
    analyze(*apps.get_app_config("reviews").get_models(), Child, IroAllocation)
    stdout.write(
        f"Children in care: {len(generator.children)} children, "
        f"{sum(len(p.reviews) for c in generator.children for p in c.periods)} reviews "
        f"in {time.monotonic() - started:.1f} s."
    )
    for line in _report(generator):
        stdout.write(line)


def _write(generator: Generator) -> None:
    rng = generator.rng
    new_children = [planned for planned in generator.children if planned.existing is None]
    children = bulk_create_with_history(
        [
            Child(local_child_id=planned.key, date_of_birth=planned.born, **planned.fields)
            for planned in new_children
        ],
        Child,
    )
    by_key = {child.local_child_id: child for child in Child.objects.filter(local_child_id__startswith="D")}
    del children
    allocations = []
    for planned in new_children:
        for iro, start, end, reason in planned.allocations:
            allocations.append(
                IroAllocation(
                    child=by_key[planned.key], iro=iro, start_date=start, end_date=end, reason=reason
                )
            )
    bulk_create_with_history(allocations, IroAllocation)

    all_periods = [(planned, period) for planned in generator.children for period in planned.periods]
    # The cached dates come from the same rule the refresh service and the importer use.
    dues = {
        id(period): period_due_dates(
            period_start=period.start,
            period_open=period.end is None,
            legal_statuses=[episode["legal_status"] for episode in period.episodes],
            review_dates=[item.held_on for item in period.reviews],
            settings=generator.settings,
            extra=generator.extra,
            paperwork=generator.paperwork_on,
        )
        for _, period in all_periods
    }
    period_rows = [
        PeriodOfCare(
            child=by_key[planned.key],
            start_date=period.start,
            end_date=period.end,
            **dues[id(period)].as_fields(),
        )
        for planned, period in all_periods
    ]
    bulk_create_with_history(period_rows, PeriodOfCare)
    saved_periods = {
        (row.child_id, row.start_date): row
        for row in PeriodOfCare.objects.filter(child__local_child_id__startswith="D")
    }
    episodes, reviews, plans, contacts, guardians = [], [], [], [], []
    review_parts: list[tuple[LacReview, list[date]]] = []
    for planned, period in all_periods:
        child = by_key[planned.key]
        row = saved_periods[(child.pk, period.start)]
        for episode in period.episodes:
            episodes.append(Episode(period=row, **episode))
        for item, due in zip(period.reviews, dues[id(period)].reviews, strict=True):
            review = LacReview(
                child=child,
                period=row,
                review_date=item.held_on,
                chair=item.chair,
                participation_code=item.participation_code,
                sw_report_received=item.sw_report_received,
                decisions_circulated=item.decisions_circulated,
                record_completed=item.record_completed,
                record_distributed=item.record_distributed,
                late_reason=item.late_reason,
                **due.as_fields(),
            )
            reviews.append(review)
            review_parts.append((review, item.parts))
        if len(period.reviews) >= 2:
            plans.append(
                PermanencePlan(
                    period=row,
                    plan_type=_weighted(
                        rng,
                        [(choice, 1) for choice in PermanencePlanType.values],
                    ),
                    date_agreed=period.reviews[1].held_on,
                )
            )
        if period.episodes[0]["legal_status"] == "C1":
            appointed = period.start + timedelta(days=rng.randrange(1, 10))
            ended = appointed + timedelta(days=rng.randrange(120, 200))
            if ended <= WINDOW_END:
                guardians.append(
                    CafcassInvolvement(
                        child=child,
                        guardian_name=rng.choice(GUARDIANS),
                        start_date=appointed,
                        end_date=ended,
                        handover_date=ended,
                    )
                )
        iro = planned.allocations[-1][0]
        visit_day = max(period.start, WINDOW_START) + timedelta(days=rng.randrange(20, 200))
        last_day = min(period.end or WINDOW_END, WINDOW_END)
        while visit_day < last_day:
            contacts.append(
                IroContact(
                    child=child,
                    iro=iro,
                    date=_working_day_on_or_before(visit_day, generator.extra),
                    kind=_weighted(
                        rng, [(ContactKind.VISIT, 5), (ContactKind.PHONE, 3), (ContactKind.VIDEO, 1)]
                    ),
                )
            )
            visit_day += timedelta(
                days=int(365 / PARAMETERS["visits_per_child_year"]) + rng.randrange(-40, 40)
            )
    bulk_create_with_history(episodes, Episode)
    bulk_create_with_history(reviews, LacReview)
    saved_reviews = {
        (review.period_id, review.review_date): review
        for review in LacReview.objects.filter(child__local_child_id__startswith="D")
    }
    parts = []
    for review, dates in review_parts:
        saved = saved_reviews[(review.period.pk, review.review_date)]
        for number, day in enumerate(dates, start=1):
            parts.append(ReviewPart(review=saved, part_number=number, date=day))
    bulk_create_with_history(parts, ReviewPart)
    bulk_create_with_history(plans, PermanencePlan)
    bulk_create_with_history(contacts, IroContact)
    bulk_create_with_history(guardians, CafcassInvolvement)
    open_children = sorted({by_key[planned.key].pk for planned, period in all_periods if period.end is None})
    referrals = [
        LegalAdviceReferral(
            child_id=child_id,
            date_referred=date(2016, 5, 3) + timedelta(days=41 * index),
            reason="The plan for the child is drifting and their wishes are not being met.",
            outcome="Solicitor instructed" if index % 2 else "",
        )
        for index, child_id in enumerate(rng.sample(open_children, PARAMETERS["legal_advice_referrals"]))
    ]
    bulk_create_with_history(referrals, LegalAdviceReferral)
