"""Periods of care from the merged episodes of a child: grouping the episodes into periods,
giving each review its period, and matching the planned periods to those already held (or
saying why they cannot be matched)."""

from __future__ import annotations

from datetime import date

from iro_service.core.imports import Problems, format_dmy
from reviews.codes import STARTS_PERIOD, STAYS_IN_CARE
from reviews.ssda903._common import (
    RNE,
    EpisodeRow,
    PlannedPeriod,
    ReviewRow,
    _where,
)
from reviews.ssda903.tables import (
    EPISODES,
    REVIEWS,
)


def _group_periods(child_id: str, episodes: list[EpisodeRow], problems: Problems) -> list[PlannedPeriod]:
    """Episodes (sorted by start) grouped into periods of care: an episode ending X1 is followed
    the same day by the next; any other reason ceased ends the period, and the next episode
    starts a new one, later, with RNE S."""
    periods: list[PlannedPeriod] = []
    previous: EpisodeRow | None = None
    for episode in episodes:
        where = _where(episode.row) if episode.row else "already held"
        rne = episode.values[RNE]
        if previous is None:
            periods.append(PlannedPeriod(episode.start, None, [episode]))
        elif previous.end is None:
            problems.add(
                EPISODES,
                _where(previous.row) if previous.row else where,
                "DEC",
                f"Child {child_id}: the episode from {format_dmy(previous.start)} has no end date, "
                f"but another "
                f"starts on {format_dmy(episode.start)}.",
            )
            return []
        elif previous.reason_ceased == STAYS_IN_CARE:
            if episode.start != previous.end:
                problems.add(
                    EPISODES,
                    where,
                    "DECOM",
                    f"Child {child_id}: the episode before ended on {format_dmy(previous.end)} "
                    f"with X1 (still "
                    f"looked after), so this one must start that day, not {format_dmy(episode.start)}.",
                )
            elif rne == STARTS_PERIOD:
                problems.add(
                    EPISODES,
                    where,
                    "RNE",
                    f"Child {child_id}: RNE S starts a period of care, but the episode before ended with X1 "
                    "(still looked after).",
                )
            periods[-1].episodes.append(episode)
        else:
            if episode.start <= previous.end:
                problems.add(
                    EPISODES,
                    where,
                    "DECOM",
                    f"Child {child_id}: the child left care on {format_dmy(previous.end)}, "
                    "so a new period of care "
                    "must start after that day.",
                )
            elif rne != STARTS_PERIOD:
                problems.add(
                    EPISODES,
                    where,
                    "RNE",
                    f"Child {child_id}: the child left care on {format_dmy(previous.end)}, "
                    "so this episode starts a "
                    f"new period of care and its RNE is S, not {rne}.",
                )
            periods[-1].end = previous.end
            periods.append(PlannedPeriod(episode.start, None, [episode]))
        previous = episode
    if periods and previous is not None and previous.end is not None:
        if previous.reason_ceased == STAYS_IN_CARE:
            problems.add(
                EPISODES,
                _where(previous.row) if previous.row else "already held",
                "REC",
                f"Child {child_id}: the episode ended on {format_dmy(previous.end)} with X1 (still looked "
                "after), but no episode follows it. Add the next episode, or the reason the child left care.",
            )
        periods[-1].end = previous.end
    return periods


def _assign_reviews(
    child_id: str, periods: list[PlannedPeriod], reviews: list[ReviewRow], problems: Problems
):
    for review in reviews:
        home = next(
            (
                period
                for period in periods
                if period.start <= review.held_on and (period.end is None or review.held_on <= period.end)
            ),
            None,
        )
        if home is not None:
            home.reviews.append(review)
            continue
        earlier = [period for period in periods if period.start <= review.held_on]
        if not periods:
            message = "the child has no episode of care in this return or already held."
        elif not earlier:
            message = f"it is before the child came into care on {format_dmy(periods[0].start)}."
        else:
            message = (
                f"the child left care on {format_dmy(earlier[-1].end)} and was not looked after that day."
            )
        problems.add(
            REVIEWS if review.row else "records already held",
            _where(review.row) if review.row else f"child {child_id}",
            "REVIEW",
            f"The review on {format_dmy(review.held_on)} is not within a period of care: {message}",
        )


def _check_joined_periods(
    child_id: str, periods: list[PlannedPeriod], held_periods: list[tuple], problems: Problems
) -> None:
    """A period of care already held that no planned period takes over but that overlaps one
    means the file joins two periods recorded separately (or moves one's start over another):
    the import will not decide which record to keep, so it says so."""
    _match_periods(periods, held_periods)
    taken = {period.pk for period in periods}
    for pk, start, end, *_ in held_periods:
        if pk in taken:
            continue
        for period in periods:
            if start <= (period.end or date.max) and period.start <= (end or date.max):
                problems.add(
                    EPISODES,
                    f"child {child_id}",
                    "DECOM",
                    f"Child {child_id}: the file's period of care from {format_dmy(period.start)} runs "
                    f"over the one already recorded from {format_dmy(start)}. The file joins two periods "
                    "of care that are recorded separately: correct the records here or the file, then "
                    "import again.",
                )
                break


def _match_periods(periods: list[PlannedPeriod], held_periods: list[tuple]) -> None:
    """Keep each period of care already held (and what hangs off it: meetings, plans) by giving
    its row to the planned period that holds its episodes."""
    taken: set[int] = set()
    starts = {row[1]: row[0] for row in held_periods}
    for period in periods:
        candidates = [episode.period_pk for episode in period.episodes if episode.period_pk is not None]
        candidates.append(starts.get(period.start))
        for pk in candidates:
            if pk is not None and pk not in taken:
                period.pk = pk
                taken.add(pk)
                break
