"""The calibration: the moves the demo's figures can be tuned by, none of them making a review
late, and the allocations, participation, paperwork and records set once the reviews are
planned. ``Generator`` (in ``simulation``) inherits them from ``_Calibration``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from iro_service.timescales.dates import collection_year
from reviews.codes import ParticipationCode
from reviews.demo._common import (
    PlannedChild,
    PlannedPeriod,
    PlannedReview,
    _weighted,
    _working_day_on_or_before,
)
from reviews.demo.parameters import PARAMETERS, PARTICIPATING
from reviews.due_dates import PaperworkDue, fourth_birthday, paperwork_due, review_due


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


class _Calibration:
    """The calibration half of ``Generator`` (which inherits it): the moves the figures can be
    tuned by, then the allocations, participation, paperwork and records of the planned
    reviews."""

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
        by_year = defaultdict(list)
        for _child, _period, planned in self._all_reviews():
            by_year[collection_year(planned.held_on)].append(planned)
        for year, reviews in sorted(by_year.items()):
            on_time = self._sw_reports_on_time(reviews, year)
            for index, planned in enumerate(reviews):
                self._paperwork_of(planned, sw_report_on_time=index in on_time)

    def _paperwork_of(self, planned: PlannedReview, *, sw_report_on_time: bool) -> None:
        """The social worker's report (on time or late), the decisions circulated and when the
        record is due, for one review."""
        rng = self.rng
        due = self.paperwork_on(planned.held_on)
        if sw_report_on_time:
            planned.sw_report_received = due.sw_report - timedelta(days=rng.randrange(0, 6))
        else:
            late_by = (planned.held_on - due.sw_report).days
            planned.sw_report_received = due.sw_report + timedelta(days=rng.randrange(1, max(late_by, 1) + 1))
        planned.decisions_circulated = min(due.decisions - timedelta(days=rng.randrange(0, 4)), self.until)
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
                            planned.record_due + timedelta(days=rng.randrange(1, 20)), self.until
                        )
                else:
                    planned.record_completed = planned.record_distributed - timedelta(
                        days=rng.randrange(0, 3)
                    )
                    planned.record_completed = max(planned.record_completed, planned.held_on)
                continue
            self._record_in_time(planned)

    def _record_in_time(self, planned: PlannedReview) -> None:
        """The review's record written and distributed by the day it is due."""
        rng = self.rng
        distributed = planned.record_due - timedelta(days=rng.randrange(0, 10))
        distributed = max(distributed, planned.held_on + timedelta(days=1))
        if distributed > self.until:
            # Reviews of the last days: record still being written.
            return
        planned.record_distributed = distributed
        planned.record_completed = max(distributed - timedelta(days=rng.randrange(0, 4)), planned.held_on)
