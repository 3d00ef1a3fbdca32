"""The planning: ``Generator`` makes the demo's children, their periods of care, episodes and
reviews in memory (``Generator.plan``); the calibration moves it inherits from
``_Calibration`` then tune the figures.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

from iro_service.people.demo import ETHNICITY_WEIGHTS, FIRST_NAMES, LAST_NAMES, demo_disabilities
from iro_service.people.models import Child, StaffMember
from iro_service.timescales.dates import add_months, add_working_days, collection_year, is_working_day
from reviews.demo._common import (
    PlannedChild,
    PlannedPeriod,
    PlannedReview,
    _weighted,
    _working_day_on_or_before,
)
from reviews.demo.calibration import _Calibration
from reviews.demo.continuation import _Continuation
from reviews.demo.parameters import (
    CATEGORY_OF_NEED,
    FIRST_LEGAL_STATUS,
    PARAMETERS,
    PLACEMENTS,
    PROVIDERS,
    SEED,
    WINDOW_END,
    WINDOW_START,
)
from reviews.due_dates import is_short_breaks_only, review_due


def _working_day_on_or_after(day: date, extra) -> date:
    while not is_working_day(day, extra=extra):
        day += timedelta(days=1)
    return day


class Generator(_Continuation, _Calibration):
    """Plans the demo's children in care in memory; ``load`` writes them."""

    def __init__(self, *, iros: list[StaffMember], existing_children: list[Child], extra, settings):
        self.rng = random.Random(SEED)  # nosec B311
        self.iros = sorted(iros, key=lambda member: member.pk)
        self.existing = existing_children
        self.extra = frozenset(extra)
        self.settings = settings
        self.children: list[PlannedChild] = []
        self.next_number = 1
        # The last day planned: the end of the demo's three years, then the day the demo is
        # loaded while ``continue_to`` plans the years since.
        self.until = WINDOW_END

    # --- people ---------------------------------------------------------------------------

    def _new_child(self, *, age_at: date, key: str = "") -> PlannedChild:
        rng = self.rng
        age_years = _weighted(rng, [(0, 18), (2, 12), (6, 20), (11, 30), (15, 20)])
        born = age_at - timedelta(days=age_years * 365 + rng.randrange(0, 365 * 2))
        born = min(born, age_at)
        sex = rng.choice("MF")
        codes, weights = zip(*ETHNICITY_WEIGHTS, strict=True)
        if not key:
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
                "disabilities": demo_disabilities(key=key, disabled=rng.random() >= 0.9),
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
        return None if end > self.until else end

    def _episodes(self, period: PlannedPeriod) -> None:
        rng = self.rng
        need = _weighted(rng, CATEGORY_OF_NEED)
        if period.short_breaks:
            # One episode for the whole agreement: V4, a series of short breaks recorded as the
            # agreement, not each stay (V3 is a single stay of at most 17 days, DfE rule 365).
            status, need = "V4", "N2"
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
        last_day = period.end or self.until
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
            episodes[-1]["reason_ceased"] = self._leaving_reason(period.end)
        period.episodes = episodes

    def _leaving_reason(self, ended: date) -> str:
        # E4A and E4B (returned home) joined the list in 2014-15; special guardianship was
        # E43 until 2017-18, E45 to E48 (to whom the order was made) from 2018-19.
        year = collection_year(ended)
        if year >= 2019:
            guardians = [("E45", 3), ("E46", 2), ("E47", 2), ("E48", 1)]
            leaving = [("E4A", 30), *guardians, ("E41", 6), ("E11", 8), ("E8", 10), ("E17", 6), ("E5", 6)]
        elif year >= 2015:
            leaving = [("E4A", 30), ("E43", 8), ("E41", 6), ("E11", 8), ("E8", 10), ("E17", 6), ("E5", 6)]
        else:
            leaving = [("E13", 30), ("E43", 8), ("E41", 6), ("E11", 8), ("E8", 10), ("E5", 6)]
        return _weighted(self.rng, leaving)

    def _reviews(self, period: PlannedPeriod, child: PlannedChild, *, after: date | None = None) -> None:
        """Reviews held a little before each due date, the next due from part 1. ``after``: the
        period's reviews to that day are planned already (the demo's three years); carry on
        from its last, holding none on or before that day."""
        rng = self.rng
        last_day = min(period.end or self.until, self.until)
        previous = period.reviews[-1].held_on if after and period.reviews else None
        sequence = len(period.reviews) + 1
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
                if after and held <= after:
                    # Due just after the three years and not held early in them: held on the
                    # first working day after, a little late if it fell due on a weekend.
                    held = _working_day_on_or_after(after + timedelta(days=1), self.extra)
                    if held > due:
                        late_reason = (
                            "The review fell due on a weekend or bank holiday and was held on the "
                            "next working day."
                        )
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
                    and add_months(held, 7) < self.until
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
