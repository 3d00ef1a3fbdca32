"""The calibration: choosing the families whose records together give the seed's counts
(``_select``), then the multiple categories, stood-down conferences, ICPC and report
timeliness and repeat plans that are fixed once the families are chosen.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter, defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from conferences.demo._common import Built, _pick, _year_of
from conferences.demo.parameters import (
    COMBINED_WEIGHT,
    ICPC_IN_TIME,
    LAST_DAY,
    PARENT_REPORTS_IN_TIME,
    REPEAT_PLANS,
    SELECT_MOVES,
    STOOD_DOWN_PER_YEAR,
    STOOD_DOWN_REASONS,
    SUBSET_SEARCH_NODES,
    TARGET_WEIGHTS,
    TARGETS,
)
from conferences.models import (
    INITIAL_TYPES,
    TYPE_STAGES,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
)
from iro_service.people.models import Child
from iro_service.timescales.dates import working_days_before
from iro_service.timescales.selectors import timescale_settings


def _year_start(year: int) -> date:
    return date(year, 4, 1)


def _quarter_ends(year: int) -> list[date]:
    return [date(year, 6, 30), date(year, 9, 30), date(year, 12, 31), date(year + 1, 3, 31)]


def _open_on(plan: ChildProtectionPlan, day: date) -> bool:
    return plan.start_date <= day and (plan.end_date is None or plan.end_date > day)


def _age_band(child: Child, on: date) -> str:
    age = child.age_on(on)
    if age is None:
        return "unborn"
    return "0-4" if age <= 4 else "5-9" if age <= 9 else "10-15" if age <= 15 else "16+"


def _targets() -> dict:
    """The target counts as a flat {dimension: (count, weight)}."""
    flat = {}
    for year in (2015, 2016):
        spec = TARGETS[year]
        for kind in ConferenceType.values:
            # The combined types are rare: a family that makes one is worth more than one review.
            combined = kind not in TYPE_STAGES or len(TYPE_STAGES[kind]) > 1
            flat[("held", year, kind)] = (
                spec["held"].get(kind, 0),
                TARGET_WEIGHTS["held"] * (COMBINED_WEIGHT if combined else 1),
            )
        for day, opened in zip(_quarter_ends(year), spec["open"], strict=True):
            flat[("open", day)] = (opened, TARGET_WEIGHTS["open"])
    for band, number in TARGETS["ages"].items():
        flat[("ages", band)] = (number, TARGET_WEIGHTS["ages"])
    flat[("started", 2016)] = (TARGETS[2016]["started"], TARGET_WEIGHTS["started"])
    return flat


def _contribution(built: Built, targets: dict) -> dict:
    """What one family adds to each target count."""
    counts: Counter = Counter()
    for conference in built.conferences:
        if conference.status == ConferenceStatus.HELD:
            key = ("held", _year_of(conference.date), conference.conference_type)
            if key in targets:
                counts[key] += 1
    for plan in built.plans:
        for year in (2015, 2016):
            for day in _quarter_ends(year):
                if _open_on(plan, day):
                    counts[("open", day)] += 1
        if _open_on(plan, LAST_DAY):
            counts[("ages", _age_band(plan.child, LAST_DAY))] += 1
        if _year_of(plan.start_date) == 2016:
            counts[("started", 2016)] += 1
    return dict(counts)


def _select(pool: list[tuple[bool, Built]]) -> list[Built]:
    """Choose families from the pool so that their counts together meet ``TARGETS``, in two
    steps: first the few families with a combined review, as an exact subset (each carries two
    of the rare counts, a "Review / Pre-birth Initial" and the "Review / 1st Review" after it,
    so a search one family at a time cannot balance them); then the rest by local search from
    the families of the YEARS table. Deterministic (pool order breaks every tie)."""
    targets = _targets()
    keys = list(targets)
    position = {key: index for index, key in enumerate(keys)}
    weight = [targets[key][1] for key in keys]
    vectors = [
        tuple((position[key], number) for key, number in _contribution(built, targets).items())
        for _, built in pool
    ]
    chosen = [initially for initially, _ in pool]
    combined = {position[key] for key in keys if key[0] == "held" and _combined_at_review(key[2])}
    rare = [index for index, vector in enumerate(vectors) if any(key in combined for key, _ in vector)]
    picked = _exact_subset(
        sorted(rare, key=lambda index: not chosen[index]),
        vectors,
        {key: targets[keys[key]][0] for key in combined},
    )
    if picked is not None:
        for index in rare:
            chosen[index] = index in picked
    residual = [targets[key][0] for key in keys]
    for index, vector in enumerate(vectors):
        if chosen[index]:
            for key, number in vector:
                residual[key] -= number
    locked = set(rare) if picked is not None else set()
    useful = [index for index, vector in enumerate(vectors) if vector and index not in locked]
    _local_search(vectors, useful, chosen, residual, weight)
    return [built for (_, built), keep in zip(pool, chosen, strict=True) if keep]


def _combined_at_review(kind: str) -> bool:
    """A review with a second stage: made only when a sibling joins a family's plans."""
    return kind not in INITIAL_TYPES and len(TYPE_STAGES[kind]) > 1


def _exact_subset(order: list[int], vectors: list, wanted: dict[int, int]) -> set[int] | None:
    """Families (tried in ``order``) whose counts on the ``wanted`` keys add up to exactly those
    numbers, by depth-first search (counts only grow, so a branch stops once one is passed);
    None if there is none within SUBSET_SEARCH_NODES steps."""
    parts = [[(key, number) for key, number in vectors[index] if key in wanted] for index in order]
    have = dict.fromkeys(wanted, 0)
    picked: list[int] = []
    nodes = 0

    def search(at: int) -> bool:
        nonlocal nodes
        nodes += 1
        if all(have[key] == number for key, number in wanted.items()):
            return True
        if at == len(order) or nodes > SUBSET_SEARCH_NODES:
            return False
        part = parts[at]
        if all(have[key] + number <= wanted[key] for key, number in part):
            for key, number in part:
                have[key] += number
            picked.append(order[at])
            if search(at + 1):
                return True
            picked.pop()
            for key, number in part:
                have[key] -= number
        return search(at + 1)

    return set(picked) if search(0) else None


def _change(vector, sign: int, residual: list[int], weight: list[int]) -> int:
    """How the weighted distance moves when a family is added (sign -1 on the residual) or
    dropped (sign +1)."""
    return sum(weight[k] * (abs(residual[k] + sign * n) - abs(residual[k])) for k, n in vector)


def _flip(index: int, vectors: list, chosen: list[bool], residual: list[int]) -> None:
    sign = 1 if chosen[index] else -1
    for key, number in vectors[index]:
        residual[key] += sign * number
    chosen[index] = not chosen[index]


def _local_search(vectors, useful, chosen, residual, weight) -> None:
    """Add or drop the one family that brings the weighted distance down most, or, when none
    does, swap one in for one out, until nothing helps."""
    for _ in range(SELECT_MOVES):
        best, best_index = 0, None
        for index in useful:
            delta = _change(vectors[index], 1 if chosen[index] else -1, residual, weight)
            if delta < best:
                best, best_index = delta, index
        if best_index is not None:
            _flip(best_index, vectors, chosen, residual)
            continue
        # No single family helps: drop one and add another. A swap can only gain over the two
        # moves alone on the counts both families touch, by at most twice the dropped family's
        # weighted counts: so try the additions cheapest first and stop once past that bound.
        additions = sorted(
            (_change(vectors[index], -1, residual, weight), index) for index in useful if not chosen[index]
        )
        swap = None
        for out in (index for index in useful if chosen[index]):
            removed = _change(vectors[out], 1, residual, weight)
            bound = 2 * sum(weight[k] * n for k, n in vectors[out]) - removed
            after = list(residual)
            for key, number in vectors[out]:
                after[key] += number
            for added, into in additions:
                if added >= bound:
                    break
                if removed + _change(vectors[into], -1, after, weight) < 0:
                    swap = (out, into)
                    break
            if swap:
                break
        if swap is None:
            return
        for index in swap:
            _flip(index, vectors, chosen, residual)


def _rounds_to(part: int, whole: int, percent: float) -> bool:
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return value == Decimal(str(percent))


def _how_many(whole: int, percent: float) -> int:
    """The number of ``whole`` that shows as ``percent`` to 1 dp (the nearest if none does)."""
    exact = [part for part in range(whole + 1) if _rounds_to(part, whole, percent)]
    return exact[0] if exact else round(whole * percent / 100)


def _held_in(built: Built, year: int, types) -> list[Conference]:
    start, end = _year_start(year), date(year + 1, 3, 31)
    return [
        c
        for c in built.conferences
        if c.status == ConferenceStatus.HELD and start <= c.date <= end and c.conference_type in types
    ]


def _categories(built: Built, rng: random.Random) -> None:
    """Choose which plans have more than one category so that the seed's counts at the quarter
    ends are met (seed 6.5), changing as few of the simulated plans as it can. A plan counts at
    the quarter ends it is open on, a run of consecutive ones, so plans are grouped by that run
    and the search moves the number of multiple-category plans in each group."""
    days = _quarter_ends(2015) + _quarter_ends(2016)
    wanted = TARGETS[2015]["multiple"] + TARGETS[2016]["multiple"]
    groups: dict[tuple[int, ...], list[ChildProtectionPlan]] = defaultdict(list)
    for plan in built.plans:
        run = tuple(index for index, day in enumerate(days) if _open_on(plan, day))
        if run:
            groups[run].append(plan)
    simulated = {run: sum(1 for plan in plans if len(plan.categories) > 1) for run, plans in groups.items()}
    multiple = _multiple_per_run({run: len(plans) for run, plans in groups.items()}, simulated, wanted)
    for run in sorted(groups):
        change = multiple[run] - simulated[run]
        several = [plan for plan in groups[run] if len(plan.categories) > 1]
        one = [plan for plan in groups[run] if len(plan.categories) == 1]
        if change > 0:
            for plan in rng.sample(one, change):
                plan.categories = sorted({*plan.categories, "EMO" if plan.categories != ["EMO"] else "NEG"})
        elif change < 0:
            for plan in rng.sample(several, -change):
                plan.categories = plan.categories[:1]


def _multiple_per_run(
    sizes: dict[tuple[int, ...], int], simulated: dict[tuple[int, ...], int], wanted: list[int]
) -> dict[tuple[int, ...], int]:
    """How many plans of each run of quarter ends (``sizes`` plans in all, ``simulated`` of them
    with several categories) should have several so that the counts at the quarter ends are
    ``wanted``: the moves of one, two or three runs by one plan that bring the counts nearest,
    then the fewest changes, until they are met or nothing helps."""
    runs = sorted(sizes)
    multiple = dict(simulated)
    residual = list(wanted)
    for run in runs:
        for index in run:
            residual[index] -= multiple[run]
    steps = [(run, sign) for run in runs for sign in (1, -1)]
    moves = [list(itertools.combinations(steps, size)) for size in (1, 2, 3)]

    def value(move) -> tuple[int, int] | None:
        after, changed = list(residual), 0
        for run, sign in move:
            if not 0 <= multiple[run] + sign <= sizes[run]:
                return None
            for index in run:
                after[index] -= sign
            changed += abs(multiple[run] + sign - simulated[run]) - abs(multiple[run] - simulated[run])
        return sum(map(abs, after)), changed

    while any(residual):
        now = (sum(map(abs, residual)), 0)
        best = None
        for size in moves:
            for move in size:
                found = value(move)
                if found is not None and found < now and (best is None or found < best[0]):
                    best = (found, move)
            if best is not None:
                break
        if best is None:
            break
        for run, sign in best[1]:
            multiple[run] += sign
            for index in run:
                residual[index] -= sign
    return multiple


def _stand_down(built: Built, rng: random.Random) -> None:
    """Stand down on the day some conferences that were then held a few working days later:
    seed 6.7's 19 with their reasons in 2016-17, and as many in earlier years."""
    by_family = defaultdict(list)
    links = defaultdict(list)
    for conference in built.conferences:
        by_family[id(conference.family)].append(conference.date)
    for link in built.links:
        links[id(link.conference)].append(link)
    deck = {2016: [(r, d) for r, d, n in STOOD_DOWN_REASONS for _ in range(n)]}
    for year, number in STOOD_DOWN_PER_YEAR.items():
        deck[year] = [_pick(rng, [((r, d), n) for r, d, n in STOOD_DOWN_REASONS]) for _ in range(number)]
    for year, reasons in sorted(deck.items()):
        candidates = []
        for held in _held_in(built, year, ConferenceType.values):
            on = working_days_before(held.date, 3 + len(candidates) % 5)
            earlier = [day for day in by_family[id(held.family)] if day < held.date]
            if on >= _year_start(year) and (not earlier or max(earlier) < on):
                candidates.append((held, on))
        receiving_in = [row for row in candidates if row[0].conference_type == "initial_receiving_in"]
        others = [row for row in candidates if row[0].conference_type != "initial_receiving_in"]
        picked_in = rng.sample(
            receiving_in, sum(1 for r, _ in reasons if r == "transferring_authority_absent")
        )
        picked = rng.sample(others, len(reasons) - len(picked_in))
        pairs = iter(picked_in + picked)
        ordered = sorted(reasons, key=lambda row: row[0] != "transferring_authority_absent")
        for (reason, detail), (held, on) in zip(ordered, pairs, strict=True):
            stood_down = Conference(
                family=held.family,
                conference_type=held.conference_type,
                date=on,
                chair=held.chair,
                strategy_discussion=held.strategy_discussion,
                transfer_notified_on=held.transfer_notified_on,
                status=ConferenceStatus.STOOD_DOWN,
                stood_down_reason=reason,
                stood_down_detail=detail,
            )
            built.conferences.append(stood_down)
            built.rearranged.append((stood_down, held))
            built.links += [
                ConferenceChild(conference=stood_down, child=link.child, stage=link.stage)
                for link in links[id(held)]
            ]


def _icpc_timeliness(built: Built, rng: random.Random) -> None:
    """Set the strategy discussions of the year's initial conferences so that the seed's share
    were held within the timescale (seed 6.7), the rest a few working days late."""
    limit = timescale_settings().icpc_days_from_strategy
    enquiries = defaultdict(list)
    for enquiry in built.enquiries:
        enquiries[id(enquiry.strategy_discussion)].append(enquiry)
    types = INITIAL_TYPES - {ConferenceType.INITIAL_RECEIVING_IN, ConferenceType.INITIAL_PRE_BIRTH}
    for year, percent in ICPC_IN_TIME.items():
        conferences = [c for c in _held_in(built, year, types) if c.strategy_discussion is not None]
        late = set(map(id, rng.sample(conferences, len(conferences) - _how_many(len(conferences), percent))))
        for conference in conferences:
            days = (
                limit + rng.randrange(1, 9) if id(conference) in late else rng.randrange(limit - 7, limit + 1)
            )
            discussion = conference.strategy_discussion
            discussion.date = working_days_before(conference.date, days)
            for enquiry in enquiries[id(discussion)]:
                enquiry.start_date = discussion.date


def _report_timeliness(built: Built, rng: random.Random) -> None:
    """Set when the social worker's report reached the parents so that the seed's share of the
    year's initial and review conferences had it in time (seed 6.9)."""
    settings_row = timescale_settings()
    for year, shares in PARENT_REPORTS_IN_TIME.items():
        for kind, percent in shares.items():
            initial = kind == "initial"
            types = INITIAL_TYPES if initial else set(ConferenceType.values) - INITIAL_TYPES
            days = settings_row.icpc_report_to_parents_days if initial else settings_row.rcpc_report_days
            conferences = _held_in(built, year, types)
            in_time = set(map(id, rng.sample(conferences, _how_many(len(conferences), percent))))
            for conference in conferences:
                due = working_days_before(conference.date, days)
                if id(conference) in in_time:
                    conference.report_to_parents_on = working_days_before(due, rng.randrange(0, 3))
                else:
                    # Late: on the day, or the working day before.
                    conference.report_to_parents_on = working_days_before(
                        conference.date, rng.randrange(0, 2)
                    )


def _repeat_plans_declared(built: Built, rng: random.Random) -> None:
    """Declare earlier plans (held by another authority or before the records began) for enough
    of the year's first plans that the seed's share of plans started are repeats (seed 6.3)."""
    first_start: dict[int, date] = {}
    for plan in built.plans:
        first_start[id(plan.child)] = min(plan.start_date, first_start.get(id(plan.child), plan.start_date))
    for year, percent in REPEAT_PLANS.items():
        started = [p for p in built.plans if _year_start(year) <= p.start_date <= date(year + 1, 3, 31)]
        for plan in started:
            plan.previous_plans_declared = None
        already = [p for p in started if first_start[id(p.child)] < p.start_date]
        first = [p for p in started if first_start[id(p.child)] == p.start_date]
        wanted = _how_many(len(started), percent) - len(already)
        for plan in rng.sample(first, max(0, min(wanted, len(first)))):
            plan.previous_plans_declared = 1
