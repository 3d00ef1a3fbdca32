"""The years since: ``continue_to`` carries the demo county on from 1 April 2017 to the day it is
loaded, with the same kind of activity, so that IROs see the reviews due this week and next and
the current collection year can be checked against the DfE's current rules.

The demo's three years (to 31 March 2017, which the seed's figures are drawn from) are planned
first and are never changed by what comes after: nothing is held, started or distributed on or
before 31 March 2017 here, and every draw comes from a stream of its own rather than the
three years' one.

- Each child gets a stream of their own (the seed and the child's number), so a child's story
  is the same whichever day the demo is loaded: loading it a day later adds that day's work.
- The children still in care on 31 March 2017 carry on: how long they stay is drawn afresh from
  that day, as the three years draw it; some change placement; interim care orders become full
  care orders; their reviews carry on from the last one held.
- Each year after brings ``entries`` children into care, on days drawn from that year's own
  stream; a child whose day is still to come is not planned yet. Their numbers say the year
  they came into care (D418000 and on for 2017-18; D1, D2 and D3 are the people, children in
  care and child protection demos' own), so they do not move as the days go by.
- Participation, social workers' reports and records are drawn for each review at the shares of
  ``after``, from the review's child's stream; the records still outstanding on 31 March 2017
  are distributed in the weeks after.
"""

from __future__ import annotations

from datetime import date, timedelta

from iro_service.timescales.dates import collection_year
from reviews.codes import ParticipationCode
from reviews.demo._common import PlannedChild, PlannedPeriod, PlannedReview, _stream, _weighted
from reviews.demo.parameters import PARAMETERS, PARTICIPATING, PLACEMENTS, PROVIDERS, WINDOW_END
from reviews.due_dates import fourth_birthday, is_short_breaks_only

AFTER = PARAMETERS["after"]


class _Continuation:
    """The years since the demo's three, for ``Generator`` (which inherits it)."""

    def continue_to(self, today: date) -> None:
        """Plan the years from 1 April 2017 to ``today``; nothing if ``today`` is in the three
        years. Called after ``plan``, whose stream it leaves as it found it."""
        if today <= WINDOW_END:
            return
        three_years = self.rng
        self.until = today
        for child in list(self.children):
            for period in child.periods:
                if period.end is None:
                    self.rng = _stream(child.key, period.start)
                    self._carry_on(child, period)
        for year in range(collection_year(WINDOW_END) + 1, collection_year(today) + 1):
            self._entries(year, today)
        self.rng = _stream("records outstanding on", WINDOW_END)
        for _child, _period, planned in self._all_reviews():
            if planned.held_on <= WINDOW_END and planned.record_distributed is None:
                self._record_after_the_backlog(planned)
        self.rng = three_years

    # --- the children in care on 31 March 2017 ------------------------------------------------

    def _carry_on(self, child: PlannedChild, period: PlannedPeriod) -> None:
        rng = self.rng
        period.end = self._duration_end(period.start, child.born, from_day=WINDOW_END)
        last_day = period.end or self.until
        episodes = period.episodes
        if not period.short_breaks:
            if episodes[-1]["legal_status"] == "C1":
                # Interim care orders become full care orders four to six months on, or soon
                # after 31 March 2017 for those in care longer without one.
                order = max(
                    period.start + timedelta(days=rng.randrange(120, 190)),
                    WINDOW_END + timedelta(days=rng.randrange(1, 30)),
                )
                if order < last_day:
                    self._new_episode(episodes, order, reason="L", legal_status="C2")
            if rng.random() < 0.35:
                change = WINDOW_END + timedelta(days=rng.randrange(30, 400))
                if change < last_day and change > episodes[-1]["start_date"]:
                    placement = _weighted(rng, PLACEMENTS)
                    self._new_episode(
                        episodes,
                        change,
                        reason="P",
                        placement=placement,
                        placement_provider=PROVIDERS.get(placement, "PR1"),
                    )
        if period.end:
            episodes[-1]["end_date"] = period.end
            episodes[-1]["reason_ceased"] = self._leaving_reason(period.end)
        held_before = len(period.reviews)
        self._reviews(period, child, after=WINDOW_END)
        for planned in period.reviews[held_before:]:
            planned.chair = child.allocations[-1][0]
            self._after_review(child, planned)

    @staticmethod
    def _new_episode(episodes: list[dict], on: date, *, reason: str, **changed) -> None:
        episodes[-1]["end_date"] = on
        episodes[-1]["reason_ceased"] = "X1"
        after = {
            key: value for key, value in episodes[-1].items() if key not in ("end_date", "reason_ceased")
        }
        episodes.append({**after, "start_date": on, "reason_for_new_episode": reason, **changed})

    # --- children coming into care after -------------------------------------------------------

    def _entries(self, year: int, today: date) -> None:
        days = _stream("entries", year)
        first_day = date(year - 1, 4, 1)
        count = AFTER["entries"] + days.randrange(-20, 21)
        for number in range(count):
            start = first_day + timedelta(days=days.randrange(0, 365))
            if start > today:
                continue
            key = f"D4{year % 100:02d}{number:03d}"
            self.rng = _stream(key)
            child = self._new_child(age_at=start, key=key)
            period = self._add_period(child, start, self._duration_end(start, child.born))
            self._episodes(period)
            period.short_breaks = is_short_breaks_only(episode["legal_status"] for episode in period.episodes)
            self._reviews(period, child)
            self._allocations(child)
            for planned in period.reviews:
                self._after_review(child, planned)

    # --- each review's participation and paperwork --------------------------------------------

    def _after_review(self, child: PlannedChild, planned: PlannedReview) -> None:
        rng = self.rng
        if planned.held_on < fourth_birthday(child.born):
            planned.participation_code = ParticipationCode.PN0
        elif rng.random() < AFTER["participation"]:
            planned.participation_code = _weighted(rng, PARTICIPATING)
        else:
            planned.participation_code = "PN7"
        self._paperwork_of(planned, sw_report_on_time=rng.random() < AFTER["sw_reports_on_time"])
        if rng.random() < AFTER["records_on_time"]:
            self._record_in_time(planned)
            return
        distributed = planned.record_due + timedelta(days=rng.randrange(1, 30))
        if distributed <= self.until:
            planned.record_distributed = distributed
            planned.record_completed = max(distributed - timedelta(days=rng.randrange(0, 3)), planned.held_on)

    def _record_after_the_backlog(self, planned: PlannedReview) -> None:
        """A record not distributed by 31 March 2017: on time if it was not due by then, else in
        the weeks after (the service cleared the backlog of autumn 2016 by the same means).
        Nothing is dated on or before 31 March 2017 that was not already."""
        rng = self.rng
        if planned.record_due > WINDOW_END:
            distributed = planned.record_due - timedelta(days=rng.randrange(0, 10))
        else:
            distributed = WINDOW_END + timedelta(days=rng.randrange(1, 45))
        after = WINDOW_END + timedelta(days=1)
        distributed = max(distributed, planned.held_on + timedelta(days=1), after)
        if distributed > self.until:
            return
        planned.record_distributed = distributed
        if planned.record_completed is None:
            completed = distributed - timedelta(days=rng.randrange(0, 3))
            planned.record_completed = max(completed, planned.held_on, after)
