"""The DfE's SSDA903 rules that one child's period of care can be checked against when it is
saved, so that business support put a record right during the year rather than in April.

Each rule here is the DfE's rule of the same code in the published validator package
(csc-validator-be-903), worked out on the records as the product holds them rather than on the
return's files: the same conditions and the same boundaries, and the DfE's own message, read
from the package (``iro_service.core.dfe.rule_message``). What a rule finds is a warning: the
record is saved. What the law and the DfE say must be refused (a PN0 code for a child of 4 or
more, a review outside the period of care) is refused by the services as before; rules 440 and
441 are here too so that a record that came in by an import before those checks is still
listed on the return quality page.

An episode still open is counted to ``as_of`` (today when a record is saved; the end of the
collection year at the latest on the return quality page), as the DfE's rules count an open
episode to the end of the collection year: a police protection episode open for four days
already breaks rule 361.

The rules that need the whole return (a child's previous year, the council's provider list,
the ONS postcode list) run on the return's files when it is exported, not here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import pairwise

from iro_service.core.dfe import SSDA903, DfeWarning, rule_message
from iro_service.core.formats import long_date
from iro_service.timescales.dates import add_months, collection_year, collection_year_bounds
from reviews.code_lists import LAST_DAYS
from reviews.due_dates import participation_age_mismatch

EPISODE = "episode"
REVIEW = "review"

POLICE_PROTECTION = "L1"
EMERGENCY_PROTECTION_ORDER = "L2"
SECTION_20 = "V2"
SINGLE_SHORT_BREAK = "V3"
SHORT_BREAKS = ("V3", "V4")
PLACED_WITH_PARENTS = "P1"
INDEPENDENT_LIVING_PLACEMENT = "P2"
TEMPORARY_PLACEMENTS = ("T0", "T1", "T2", "T3", "T4")
PLACED_FOR_ADOPTION = ("A3", "A4", "A5", "A6")
ADOPTED = ("E11", "E12")
INDEPENDENT_LIVING = ("E5", "E6")
SPECIAL_GUARDIANSHIP = ("E45", "E46", "E47", "E48")
STAYED_WITH_CARERS_AT_18 = "E17"
STAYS_IN_CARE = "X1"
# Reasons for a new episode that change the placement (P: placement; B: placement and legal
# status; T and U: placement with the same carer, under a new legal status or not).
PLACEMENT_CHANGES = ("P", "B", "T", "U")


def _years_old_on(date_of_birth: date, years: int) -> date:
    # The DfE's rules add whole years with pandas' DateOffset, which moves 29 February to the
    # 28th: add_months does the same.
    return add_months(date_of_birth, 12 * years)


def _end(episode, as_of: date) -> date:
    return episode.end_date or as_of


def _protection_runs(episodes, legal_status: str) -> Iterator[list]:
    """Unbroken runs of episodes under one legal status (each starting the day the last ended),
    as the DfE's rules 361 and 362 join them before counting days."""
    run: list = []
    for episode in episodes:
        if episode.legal_status == legal_status and run and run[-1].end_date == episode.start_date:
            run.append(episode)
            continue
        if run:
            yield run
        run = [episode] if episode.legal_status == legal_status else []
    if run:
        yield run


def _longer_than(days: int, legal_status: str, what: str):
    def check(period, episodes, reviews, as_of):
        for run in _protection_runs(episodes, legal_status):
            length = (_end(run[-1], as_of) - run[0].start_date).days
            if length > days:
                last = run[-1].end_date
                until = f"to {long_date(last)}" if last else f"still open on {long_date(as_of)}"
                words = f"{what} from {long_date(run[0].start_date)} {until} is {length} days"
                for episode in run:
                    yield episode, f"{words}; the most is {days}."

    return check


def _rule_365(period, episodes, reviews, as_of):
    for episode in episodes:
        length = (_end(episode, as_of) - episode.start_date).days
        if episode.legal_status == SINGLE_SHORT_BREAK and length > 17:
            yield (
                episode,
                f"The short break (V3) from {long_date(episode.start_date)} is {length} days; "
                "the most is 17.",
            )


def _rule_217t(period, episodes, reviews, as_of):
    # The 2023-24 ruleset's alone: it fails a P2 episode of that return (one starting by 31
    # March 2024) that ends after 28 October 2023 or is open. The services refuse P2 on an
    # episode starting after that day; this finds one that started by then and went on.
    last_day = LAST_DAYS[("PLACE", INDEPENDENT_LIVING_PLACEMENT)]
    _, year_end = collection_year_bounds(collection_year(last_day))
    for episode in episodes:
        if (
            episode.placement == INDEPENDENT_LIVING_PLACEMENT
            and episode.start_date <= year_end
            and (episode.end_date is None or episode.end_date > last_day)
        ):
            until = f"ends on {long_date(episode.end_date)}" if episode.end_date else "is still open"
            yield (
                episode,
                (
                    f"The independent living placement (P2) from {long_date(episode.start_date)} {until}; "
                    f"P2 ended on {long_date(last_day)}: end the episode by then and record the "
                    "placement after it under its new type."
                ),
            )


def _rule_378(period, episodes, reviews, as_of):
    for episode in episodes:
        if episode.placement == PLACED_WITH_PARENTS and episode.legal_status == SECTION_20:
            yield (
                episode,
                (
                    f"The episode from {long_date(episode.start_date)} is placed with parents (P1) under "
                    "section 20 (V2): record the legal status the child is placed under."
                ),
            )


def _rule_382(period, episodes, reviews, as_of):
    for episode in episodes:
        if episode.legal_status in SHORT_BREAKS and episode.placement in TEMPORARY_PLACEMENTS:
            yield (
                episode,
                (
                    f"The short break ({episode.legal_status}) from {long_date(episode.start_date)} is in a "
                    f"temporary placement ({episode.placement})."
                ),
            )


def _ceased_at_age(codes, years: int, *, fails_if_under: bool, words: str):
    """Rules on a reason for leaving care and the child's age on the day the episode ended:
    the child must be under ``years`` (``fails_if_under`` False) or at least ``years`` old."""

    def check(period, episodes, reviews, as_of):
        born = period.child.date_of_birth
        if born is None:
            return
        birthday = _years_old_on(born, years)
        for episode in episodes:
            if episode.reason_ceased not in codes or episode.end_date is None:
                continue
            under = episode.end_date < birthday
            if under == fails_if_under:
                yield (
                    episode,
                    (
                        f"The episode ended on {long_date(episode.end_date)} with reason "
                        f"{episode.reason_ceased}, "
                        f"{words} (the child is {years} on {long_date(birthday)})."
                    ),
                )

    return check


def _rule_407(period, episodes, reviews, as_of):
    # 407 fails only when the child is older than 18 on the day: on the 18th birthday it passes,
    # unlike 386 (adoption), which fails on the birthday itself.
    born = period.child.date_of_birth
    if born is None:
        return
    birthday = _years_old_on(born, 18)
    for episode in episodes:
        if episode.reason_ceased in SPECIAL_GUARDIANSHIP and episode.end_date and episode.end_date > birthday:
            yield (
                episode,
                (
                    f"The episode ended on {long_date(episode.end_date)} with a special guardianship order "
                    f"({episode.reason_ceased}), after the child turned 18 on {long_date(birthday)}."
                ),
            )


def _rule_390(period, episodes, reviews, as_of):
    for episode in episodes:
        if episode.reason_ceased in ADOPTED and episode.placement not in PLACED_FOR_ADOPTION:
            yield (
                episode,
                (
                    f"The episode ended on {long_date(episode.end_date)} with adoption "
                    f"({episode.reason_ceased}) "
                    f"but its placement is {episode.placement}, not a placement for adoption (A3 to A6)."
                ),
            )


def _rule_392d(period, episodes, reviews, as_of):
    for episode in episodes:
        home = episode.home_postcode.replace(" ", "").upper()
        placed = episode.placement_postcode.replace(" ", "").upper()
        if home and home == placed and episode.placement != PLACED_WITH_PARENTS:
            yield (
                episode,
                (
                    f"The episode from {long_date(episode.start_date)} has the same home and placement "
                    f"postcode ({episode.placement_postcode}) but is not placed with parents (P1)."
                ),
            )


def _rule_399(period, episodes, reviews, as_of):
    if episodes and all(episode.legal_status in SHORT_BREAKS for episode in episodes):
        for review in reviews:
            yield (
                review,
                (
                    f"A review is recorded on {long_date(review.review_date)}, but every episode of this "
                    "period of care is a short break (V3 or V4), which has no reviews in the return."
                ),
            )


def _participation(mismatch: str):
    def check(period, episodes, reviews, as_of):
        for review in reviews:
            if (
                participation_age_mismatch(
                    date_of_birth=period.child.date_of_birth,
                    review_date=review.review_date,
                    code=review.participation_code,
                )
                == mismatch
            ):
                yield (
                    review,
                    (
                        f"The review on {long_date(review.review_date)} has participation code "
                        f"{review.participation_code}, and the child was {mismatch} that day."
                    ),
                )

    return check


def _rule_225(period, episodes, reviews, as_of):
    # The DfE asks for the reason on the episode that ends; the product records it with the
    # change (the new episode). Either is enough: what is missing is the reason itself.
    for ending, following in pairwise(episodes):
        if (
            ending.reason_ceased == STAYS_IN_CARE
            and ending.placement not in TEMPORARY_PLACEMENTS
            and following.reason_for_new_episode in PLACEMENT_CHANGES
            and following.placement not in TEMPORARY_PLACEMENTS
            and not (ending.reason_place_change or following.reason_place_change)
        ):
            yield (
                ending,
                (
                    f"The placement changed on {long_date(following.start_date)} with no reason for the "
                    "placement change recorded."
                ),
            )


Check = Callable[..., Iterable[tuple[object, str]]]

# Code -> check. Each check yields (episode or review, what is wrong with it).
RULES: dict[str, Check] = {
    "217t": _rule_217t,
    "225": _rule_225,
    "361": _longer_than(3, POLICE_PROTECTION, "Police protection (L1)"),
    "362": _longer_than(21, EMERGENCY_PROTECTION_ORDER, "The emergency protection order (L2)"),
    "365": _rule_365,
    "378": _rule_378,
    "382": _rule_382,
    "386": _ceased_at_age(ADOPTED, 18, fails_if_under=False, words="adoption, but the child was 18 or over"),
    "387": _ceased_at_age(
        INDEPENDENT_LIVING, 14, fails_if_under=True, words="independent living, but the child was under 14"
    ),
    "390": _rule_390,
    "392d": _rule_392d,
    "399": _rule_399,
    "407": _rule_407,
    "440": _participation("4 or older"),
    "441": _participation("under 4"),
    "460": _ceased_at_age(
        (STAYED_WITH_CARERS_AT_18,),
        18,
        fails_if_under=True,
        words="staying with carers at 18, but the child was under 18",
    ),
}


def rule_choices(year: int) -> list[tuple[str, str]]:
    """Every rule checked here, as (code, 'code: the DfE's message') for a filter."""
    return [(code, f"{code}: {rule_message(SSDA903, year, code) or 'DfE rule ' + code}") for code in RULES]


def period_warnings(period, *, as_of: date, rules: Iterable[str] | None = None) -> list[DfeWarning]:
    """Every DfE rule the period of care breaks, with its episodes and reviews as prefetched on
    it (``period.episodes.all()``, ``period.reviews.all()``) and its child."""
    episodes = sorted(period.episodes.all(), key=lambda episode: episode.start_date)
    reviews = sorted(period.reviews.all(), key=lambda review: review.review_date)
    year = collection_year(as_of)
    found = []
    for code in rules or RULES:
        for record, detail in RULES[code](period, episodes, reviews, as_of):
            is_review = hasattr(record, "review_date")
            found.append(
                DfeWarning(
                    rule=code,
                    message=rule_message(SSDA903, year, code),
                    record=REVIEW if is_review else EPISODE,
                    record_id=record.pk,
                    child_id=period.child_id,
                    on=record.review_date if is_review else record.start_date,
                    detail=detail,
                )
            )
    return found
