"""Import an SSDA903 return (header, episodes and reviews tables) into periods of care, episodes
and LAC reviews.

How it works, and why:

1. **Read and check every row** a row at a time (a national file never sits in memory as
   text), collecting every problem with its file, row, column and a plain message.
2. **Merge with what is already held** for the same children. The import is idempotent: a
   child is matched by ``CHILD`` (the local child ID), an episode by child and ``DECOM``, a
   review by child and date, so importing the same file twice changes nothing and importing
   the next year's file adds to the history. Records already held that the file does not
   mention are kept. The merged episodes of each child are grouped into periods of care
   (a period ends with an episode whose reason ceased is not X1) and checked as a whole.
3. **Any problem rejects the whole file**: nothing is written. Otherwise everything is written
   in one transaction with bulk inserts and updates, each with its history rows.

Due dates are worked out with the same pure functions the refresh service uses
(``reviews.due_dates``), from the merged facts, so that a period of care written here has the
same cached dates ``period_due_dates_refresh`` would give it.

Imported reviews have one part (the review date), the participation code and no chair: the
return does not say who chaired them.
"""

from __future__ import annotations

import functools
import re
import sys
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from iro_service.audit.models import ExchangeFormat
from iro_service.audit.services import bulk_create_recorded, data_import_run
from iro_service.core.db import analyze
from iro_service.core.imports import CsvTable, ImportRejected, Problem, Problems, Tally, format_dmy, parse_dmy
from iro_service.people.codes import (
    CHILD_ID_PATTERN,
    CHILD_ID_RULE,
    POSTCODE_PATTERN,
    POSTCODE_RULE,
    UPN_PATTERN,
    URN_PATTERN,
    URN_RULE,
    Ethnicity,
)
from iro_service.people.models import Child
from iro_service.timescales.dates import collection_year, extra_non_working_days
from iro_service.timescales.selectors import timescale_settings
from reviews.codes import STARTS_PERIOD, STAYS_IN_CARE, ParticipationCode
from reviews.due_dates import (
    REVIEW_DUE_FIELDS,
    paperwork_due,
    participation_age_mismatch,
    period_due_dates,
)
from reviews.models import Code, Episode, LacReview, PeriodOfCare, ReviewPart
from reviews.ssda903.tables import (
    EPISODE_FIELDS,
    EPISODES,
    EPISODES_COLUMNS,
    HEADER,
    HEADER_COLUMNS,
    REVIEWS,
    REVIEWS_COLUMNS,
    SEX_IN,
)

BATCH = 5000
# The reason written on every history row the import creates or changes.
REASON = "SSDA903 import"
# Children whose care history is written together: bounds the model instances in memory.
CHUNK_CHILDREN = 2000


@dataclass(slots=True)
class HeaderRow:
    row: int
    sex: str
    dob: date | None
    ethnicity: str
    upn: str
    is_mother: bool | None
    mother_child_dob: date | None


@dataclass(slots=True)
class EpisodeRow:
    """An episode, read from the file (``row`` > 0) or already held (``row`` 0, ``pk`` set)."""

    row: int
    start: date
    values: tuple
    end: date | None
    reason_ceased: str
    pk: int | None = None
    period_pk: int | None = None


@dataclass(slots=True)
class ReviewRow:
    row: int
    held_on: date
    code: str
    pk: int | None = None
    # For a review already held: (period, code, cached fields) as they are in the database.
    before: tuple | None = None


@dataclass
class PlannedPeriod:
    start: date
    end: date | None
    episodes: list[EpisodeRow]
    reviews: list[ReviewRow] = field(default_factory=list)
    pk: int | None = None


def _where(row: int) -> str:
    return f"row {row}"


class _CodeBook:
    """The SSDA903 code lists by collection year, read once."""

    def __init__(self):
        self.years: dict[tuple[str, str], list[tuple[int, int | None]]] = defaultdict(list)
        for list_name, code, first, last in Code.objects.values_list(
            "list_name", "code", "first_year", "last_year"
        ):
            self.years[(list_name, code)].append((first, last))

    def valid(self, list_name: str, code: str, on: date) -> bool:
        year = collection_year(on)
        return any(
            first <= year and (last is None or year <= last)
            for first, last in self.years.get((list_name, code), ())
        )


# One date object per distinct day: a national file repeats a few thousand days a million
# times, and sharing them saves both parsing and memory.
_parse_dmy = functools.lru_cache(maxsize=100_000)(parse_dmy)


def _date(problems: Problems, file: str, row: int, column: str, value: str, *, required: bool, today: date):
    if not value:
        if required:
            problems.add(file, _where(row), column, f"{column} is blank: give the date as DD/MM/YYYY.")
        return None
    try:
        day = _parse_dmy(value)
    except ValueError:
        problems.add(file, _where(row), column, f"'{value}' is not a date: give it as DD/MM/YYYY.")
        return None
    if day > today:
        problems.add(file, _where(row), column, f"{value} is in the future.")
        return None
    return day


def _read_header(table: CsvTable, problems: Problems, today: date) -> dict[str, HeaderRow]:
    children: dict[str, HeaderRow] = {}
    ethnicities = set(Ethnicity.values)
    for row, cells in table.rows(problems):
        child_id = cells["CHILD"]
        if not child_id:
            problems.add(HEADER, _where(row), "CHILD", "CHILD is blank: every row needs the child's ID.")
            continue
        if not _matches(CHILD_ID_PATTERN, child_id):
            problems.add(HEADER, _where(row), "CHILD", f"'{child_id}' is not a child ID: {CHILD_ID_RULE}.")
            continue
        if child_id in children:
            problems.add(
                HEADER, _where(row), "CHILD", f"Child {child_id} is already on row {children[child_id].row}."
            )
            continue
        sex = SEX_IN.get(cells["SEX"].upper())
        if sex is None:
            problems.add(
                HEADER, _where(row), "SEX", f"'{cells['SEX']}' is not a SEX code: use 1 or 2, or M, F or U."
            )
        dob = _date(problems, HEADER, row, "DOB", cells["DOB"], required=True, today=today)
        ethnicity = cells["ETHNIC"].upper()
        if ethnicity not in ethnicities:
            problems.add(HEADER, _where(row), "ETHNIC", f"'{cells['ETHNIC']}' is not a DfE ethnicity code.")
        upn = cells["UPN"].upper()
        if upn and not _upn_ok(upn):
            problems.add(
                HEADER,
                _where(row),
                "UPN",
                f"'{cells['UPN']}' is not a UPN: 13 characters, a letter then 12 letters or digits, "
                "or UN1 to UN10 when it is not known.",
            )
        mother_text = cells["MOTHER"]
        if mother_text not in ("", "0", "1"):
            problems.add(HEADER, _where(row), "MOTHER", f"'{mother_text}' is not 1 (yes), 0 (no) or blank.")
        is_mother = None if mother_text not in ("0", "1") else mother_text == "1"
        mc_dob = _date(problems, HEADER, row, "MC_DOB", cells["MC_DOB"], required=False, today=today)
        if mc_dob is not None and is_mother is not True:
            problems.add(HEADER, _where(row), "MC_DOB", "MC_DOB is given but MOTHER is not 1.")
        # A row with problems is kept (nothing will be written anyway) so that the child's
        # episodes and reviews are still checked, rather than all reported as unknown.
        children[child_id] = HeaderRow(row, sex or "U", dob, ethnicity, upn, is_mother, mc_dob)
    return children


def _upn_ok(upn: str) -> bool:
    return _matches(UPN_PATTERN, upn)


@functools.cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _matches(pattern: str, value: str) -> bool:
    return _compiled(pattern).fullmatch(value) is not None


def _read_episodes(
    table: CsvTable, problems: Problems, header: dict[str, HeaderRow], codes: _CodeBook, today: date
) -> dict[str, list[EpisodeRow]]:
    episodes: dict[str, list[EpisodeRow]] = defaultdict(list)
    seen: dict[tuple[str, date], int] = {}
    for row, cells in table.rows(problems):
        child_id = cells["CHILD"]
        if child_id not in header:
            problems.add(
                EPISODES,
                _where(row),
                "CHILD",
                f"Child '{child_id}' is not in {HEADER}: every child needs a header row.",
            )
            continue
        start = _date(problems, EPISODES, row, "DECOM", cells["DECOM"], required=True, today=today)
        end = _date(problems, EPISODES, row, "DEC", cells["DEC"], required=False, today=today)
        if start is None:
            continue
        if header[child_id].dob is not None and start < header[child_id].dob:
            problems.add(
                EPISODES, _where(row), "DECOM", f"{cells['DECOM']} is before the child's date of birth."
            )
        if (child_id, start) in seen:
            problems.add(
                EPISODES,
                _where(row),
                "DECOM",
                f"Child {child_id} has another episode starting {cells['DECOM']}, "
                f"on row {seen[(child_id, start)]}.",
            )
            continue
        seen[(child_id, start)] = row
        for column, list_name, required in (
            ("RNE", "RNE", True),
            ("LS", "LS", True),
            ("CIN", "CIN", True),
            ("PLACE", "PLACE", True),
            ("PLACE_PROVIDER", "PLACE_PROVIDER", False),
            ("REASON_PLACE_CHANGE", "REASON_PLACE_CHANGE", False),
        ):
            value = cells[column]
            if not value:
                if required:
                    problems.add(EPISODES, _where(row), column, f"{column} is blank.")
            elif not codes.valid(list_name, value, start):
                problems.add(
                    EPISODES,
                    _where(row),
                    column,
                    f"'{value}' is not a {column} code in the {collection_year(start) - 1}-"
                    f"{collection_year(start) % 100:02d} collection.",
                )
        reason_ceased = cells["REC"]
        if end is not None and end < start:
            problems.add(
                EPISODES,
                _where(row),
                "DEC",
                f"The episode ends ({cells['DEC']}) before it starts ({cells['DECOM']}).",
            )
        if end is not None and not reason_ceased:
            problems.add(
                EPISODES, _where(row), "REC", "REC is blank but the episode has ended (DEC is given)."
            )
        elif end is None and reason_ceased:
            problems.add(
                EPISODES, _where(row), "REC", "REC is given but the episode has not ended (DEC is blank)."
            )
        elif end is not None and not codes.valid("REC", reason_ceased, end):
            problems.add(
                EPISODES, _where(row), "REC", f"'{reason_ceased}' is not a REC code for {cells['DEC']}."
            )
        for column, pattern, rule in (
            ("HOME_POST", POSTCODE_PATTERN, POSTCODE_RULE),
            ("PL_POST", POSTCODE_PATTERN, POSTCODE_RULE),
            ("URN", URN_PATTERN, URN_RULE),
        ):
            value = cells[column]
            if value and ((len(value) > 8 and column != "URN") or not _matches(pattern, value)):
                problems.add(EPISODES, _where(row), column, f"'{value}' is not {rule}.")
        values = tuple(
            sys.intern(cells[column])
            for column, name in EPISODE_FIELDS
            if name not in ("end_date", "reason_ceased")
        )
        episodes[child_id].append(EpisodeRow(row, start, values, end, reason_ceased))
    return episodes


def _read_reviews(
    table: CsvTable, problems: Problems, header: dict[str, HeaderRow], today: date
) -> dict[str, list[ReviewRow]]:
    reviews: dict[str, list[ReviewRow]] = defaultdict(list)
    seen: dict[tuple[str, date], int] = {}
    participation = set(ParticipationCode.values)
    for row, cells in table.rows(problems):
        child_id = cells["CHILD"]
        if child_id not in header:
            problems.add(REVIEWS, _where(row), "CHILD", f"Unknown child: '{child_id}' is not in {HEADER}.")
            continue
        child = header[child_id]
        dob = _date(problems, REVIEWS, row, "DOB", cells["DOB"], required=True, today=today)
        if dob is not None and child.dob is not None and dob != child.dob:
            problems.add(
                REVIEWS,
                _where(row),
                "DOB",
                f"{cells['DOB']} differs from the date of birth in {HEADER} ({format_dmy(child.dob)}).",
            )
        held_on = _date(problems, REVIEWS, row, "REVIEW", cells["REVIEW"], required=True, today=today)
        code = cells["REVIEW_CODE"].upper()
        if code not in participation:
            problems.add(
                REVIEWS, _where(row), "REVIEW_CODE", f"'{cells['REVIEW_CODE']}' is not a code PN0 to PN7."
            )
        if held_on is None:
            continue
        mismatch = participation_age_mismatch(date_of_birth=child.dob, review_date=held_on, code=code)
        if mismatch == "under 4" and code in participation:
            problems.add(
                REVIEWS,
                _where(row),
                "REVIEW_CODE",
                f"The child was under 4 on {cells['REVIEW']}: the code is PN0.",
            )
        elif mismatch == "4 or older":
            problems.add(
                REVIEWS,
                _where(row),
                "REVIEW_CODE",
                f"PN0 is for a child under 4, and this child was 4 or older on {cells['REVIEW']}.",
            )
        if (child_id, held_on) in seen:
            problems.add(
                REVIEWS,
                _where(row),
                "REVIEW",
                f"Child {child_id} has another review on {cells['REVIEW']}, "
                f"on row {seen[(child_id, held_on)]}.",
            )
            continue
        seen[(child_id, held_on)] = row
        reviews[child_id].append(ReviewRow(row, held_on, code))
    return reviews


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


@dataclass
class _Held:
    """What is already held for the children in the file, as plain tuples (cheap to keep for
    100,000 children; model instances would not be)."""

    children: dict[str, tuple] = field(default_factory=dict)
    episodes: dict[int, list[EpisodeRow]] = field(default_factory=lambda: defaultdict(list))
    episodes_by_pk: dict[int, EpisodeRow] = field(default_factory=dict)
    periods: dict[int, list[tuple[int, date, date | None, bool, date | None, date | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    reviews: dict[int, list[ReviewRow]] = field(default_factory=lambda: defaultdict(list))


# An episode's codes and text, in this order, as a tuple (a dict per episode would cost three
# times the memory for a national file).
EPISODE_VALUE_FIELDS = tuple(name for _, name in EPISODE_FIELDS if name not in ("end_date", "reason_ceased"))
RNE, LEGAL_STATUS = 0, 1
CHILD_FIELDS = ("sex", "date_of_birth", "ethnicity", "upn", "is_mother", "mother_child_dob")
EPISODE_MODEL_FIELDS = tuple(name for _, name in EPISODE_FIELDS)
PERIOD_FIELDS = ("start_date", "end_date", "is_short_breaks", "next_review_due", "first_review_due")
REVIEW_CACHE_FIELDS = REVIEW_DUE_FIELDS


def _load_held(child_ids: list[str]) -> _Held:
    held = _Held()
    # Codes and dates repeat across hundreds of thousands of rows: keep one object for each
    # distinct value instead of one per row (a national re-import holds a million values).
    pool: dict = {}

    def share(value):
        return value if value is None else pool.setdefault(value, value)

    for start in range(0, len(child_ids), BATCH):
        chunk = child_ids[start : start + BATCH]
        for row in Child.objects.filter(local_child_id__in=chunk).values_list(
            "local_child_id", "pk", *CHILD_FIELDS
        ):
            held.children[row[0]] = row[1:]
    pks = [row[0] for row in held.children.values()]
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        for row in PeriodOfCare.objects.filter(child_id__in=chunk).values_list(
            "child_id",
            "pk",
            "start_date",
            "end_date",
            "is_short_breaks",
            "next_review_due",
            "first_review_due",
        ):
            held.periods[row[0]].append(tuple(share(value) for value in row[1:]))
        for row in Episode.objects.filter(period__child_id__in=chunk).values_list(
            "period__child_id", "pk", "period_id", "start_date", *EPISODE_MODEL_FIELDS
        ):
            child_pk, pk, period_pk, start, *rest = row
            by_name = dict(zip(EPISODE_MODEL_FIELDS, (share(value) for value in rest), strict=True))
            values = tuple(by_name[name] for name in EPISODE_VALUE_FIELDS)
            episode = EpisodeRow(
                0, start, values, by_name["end_date"], by_name["reason_ceased"], pk, period_pk
            )
            held.episodes[child_pk].append(episode)
            held.episodes_by_pk[pk] = episode
        for child_pk, pk, period_pk, held_on, code, *cached in LacReview.objects.filter(
            child_id__in=chunk
        ).values_list(
            "child_id", "pk", "period_id", "review_date", "participation_code", *REVIEW_CACHE_FIELDS
        ):
            code = share(code)
            before = (period_pk, code, tuple(share(value) for value in cached))
            held.reviews[child_pk].append(ReviewRow(0, share(held_on), code, pk, before))
    return held


@dataclass
class _Plan:
    """What the import will write: children by ID (their details are in the header rows, so
    that no model instances are held for the whole file), and the planned periods (with
    episodes and reviews) of each child whose care history the file touches."""

    new_children: list[str] = field(default_factory=list)
    changed_children: list[str] = field(default_factory=list)
    periods: dict[str, list[PlannedPeriod]] = field(default_factory=dict)


def import_903(
    files: Mapping[str, Path | BinaryIO],
    *,
    dry_run: bool = False,
    user=None,
    names: Mapping[str, str] | None = None,
    exchange=None,
) -> Tally:
    """Import the three tables (keyed by ``header.csv``, ``episodes.csv``, ``reviews.csv``; the
    reviews table may be missing). Raises ImportRejected, having written nothing but the
    history entry, if any row has a problem. ``dry_run`` checks only. ``exchange`` is the
    history entry of a queued import, finished here."""
    names = dict(names or {})
    return data_import_run(
        data_format=ExchangeFormat.SSDA903,
        files=[names.get(key, key) for key in (HEADER, EPISODES, REVIEWS) if key in files],
        dry_run=dry_run,
        user=user,
        run=lambda: _import(files, dry_run=dry_run, user=user),
        exchange=exchange,
    )


def _import(files: Mapping[str, Path | BinaryIO], *, dry_run: bool, user=None) -> Tally:
    problems = Problems()
    today = timezone.localdate()
    for required in (HEADER, EPISODES):
        if required not in files:
            problems.add(
                required, "", "", f"{required} is missing: an SSDA903 import needs {HEADER} and {EPISODES}."
            )
    problems.reject_if_any()
    codes = _CodeBook()
    header = _read_header(CsvTable(files[HEADER], name=HEADER, columns=HEADER_COLUMNS), problems, today)
    episodes = _read_episodes(
        CsvTable(files[EPISODES], name=EPISODES, columns=EPISODES_COLUMNS), problems, header, codes, today
    )
    reviews = (
        _read_reviews(
            CsvTable(files[REVIEWS], name=REVIEWS, columns=REVIEWS_COLUMNS), problems, header, today
        )
        if REVIEWS in files
        else {}
    )
    problems.reject_if_any()

    held = _load_held(list(header))
    plan = _Plan()
    tally = Tally()
    for child_id, row in header.items():
        existing = held.children.get(child_id)
        if existing is None:
            plan.new_children.append(child_id)
            tally.add("children", "created")
        elif tuple(existing[1:]) != _child_values(row):
            plan.changed_children.append(child_id)
            tally.add("children", "updated")
        else:
            tally.add("children", "unchanged")

        child_pk = existing[0] if existing else None
        file_episodes = episodes.pop(child_id, [])
        file_reviews = reviews.pop(child_id, [])
        if not file_episodes and not file_reviews:
            continue
        merged_episodes = {episode.start: episode for episode in held.episodes.get(child_pk, [])}
        for episode in file_episodes:
            before = merged_episodes.get(episode.start)
            if before is not None:
                episode.pk, episode.period_pk = before.pk, before.period_pk
                if episode.end is None and before.end is not None:
                    # A return writes an episode still open on its census date with DEC blank;
                    # the end a later year's return gave it stands.
                    episode.end, episode.reason_ceased = before.end, before.reason_ceased
            merged_episodes[episode.start] = episode
        planned = _group_periods(child_id, sorted(merged_episodes.values(), key=lambda e: e.start), problems)
        _check_joined_periods(child_id, planned, held.periods.get(child_pk, []), problems)
        merged_reviews = {review.held_on: review for review in held.reviews.get(child_pk, [])}
        for review in file_reviews:
            before = merged_reviews.get(review.held_on)
            if before is not None:
                review.pk, review.before = before.pk, before.before
            merged_reviews[review.held_on] = review
        _assign_reviews(child_id, planned, sorted(merged_reviews.values(), key=lambda r: r.held_on), problems)
        plan.periods[child_id] = planned
    problems.reject_if_any()
    if dry_run:
        for _ in _care_chunks(plan, held, tally):
            pass
        return tally
    try:
        with transaction.atomic():
            _write(plan, held, header, tally, user)
    except IntegrityError as error:
        # The checks above mirror the database's constraints; this is the backstop if a record
        # changed between reading and writing.
        raise ImportRejected(
            [
                Problem(
                    "",
                    "",
                    "",
                    "The import conflicts with records already held and was not written "
                    f"({str(error).splitlines()[0]}).",
                )
            ]
        ) from error
    return tally


def _child_values(row: HeaderRow) -> tuple:
    return (row.sex, row.dob, row.ethnicity, row.upn, row.is_mother, row.mother_child_dob)


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


class _DueDates:
    """The due-date functions of ``reviews.due_dates``, remembered per date: half a million
    reviews fall on a few thousand distinct days, and the working-day arithmetic is the
    import's largest cost otherwise."""

    def __init__(self):
        self.settings = timescale_settings()
        self.extra = frozenset(extra_non_working_days())
        self._paperwork: dict[date, object] = {}

    def paperwork(self, held_on: date):
        found = self._paperwork.get(held_on)
        if found is None:
            found = self._paperwork[held_on] = paperwork_due(
                review_date=held_on, settings=self.settings, extra=self.extra
            )
        return found

    def period(self, period: PlannedPeriod):
        """(short breaks, next due while open, first review due, [(review, cached fields)])."""
        dues = period_due_dates(
            period_start=period.start,
            period_open=period.end is None,
            legal_statuses=[episode.values[LEGAL_STATUS] for episode in period.episodes],
            review_dates=[review.held_on for review in period.reviews],
            settings=self.settings,
            extra=self.extra,
            paperwork=self.paperwork,
        )
        reviews = [
            (review, tuple(getattr(due, name) for name in REVIEW_DUE_FIELDS))
            for review, due in zip(period.reviews, dues.reviews, strict=True)
        ]
        return dues.is_short_breaks, dues.next_review_due, dues.first_review_due, reviews


@dataclass
class _Chunk:
    """What one chunk of children needs written."""

    new_periods: list[tuple[PlannedPeriod, dict]] = field(default_factory=list)
    changed_periods: dict[int, dict] = field(default_factory=dict)
    new_episodes: list[tuple[PlannedPeriod, EpisodeRow]] = field(default_factory=list)
    changed_episodes: dict[int, tuple[PlannedPeriod, EpisodeRow]] = field(default_factory=dict)
    new_reviews: list[tuple[str, PlannedPeriod, ReviewRow, tuple]] = field(default_factory=list)
    changed_reviews: dict[int, tuple[PlannedPeriod, ReviewRow, tuple]] = field(default_factory=dict)


def _care_chunks(plan: _Plan, held: _Held, tally: Tally):
    """Work out, a chunk of children at a time, what to create and update, counting it in the
    tally. Yields one _Chunk per CHUNK_CHILDREN children so that model instances are only ever
    built for one chunk."""
    due = _DueDates()
    chunk = _Chunk()
    in_chunk = 0
    for child_id, periods in plan.periods.items():
        existing = held.children.get(child_id)
        child_pk = existing[0] if existing else None
        held_periods = held.periods.get(child_pk, [])
        _match_periods(periods, held_periods)
        held_by_pk = {row[0]: row for row in held_periods}
        for period in periods:
            short_breaks, next_due, first_due, reviews = due.period(period)
            wanted = {
                "start_date": period.start,
                "end_date": period.end,
                "is_short_breaks": short_breaks,
                "next_review_due": next_due,
                "first_review_due": first_due,
            }
            before = held_by_pk.get(period.pk)
            if before is None:
                tally.add("periods of care", "created")
                chunk.new_periods.append((period, {"child_id": child_id, **wanted}))
            elif tuple(before[1:]) != tuple(wanted.values()):
                tally.add("periods of care", "updated")
                chunk.changed_periods[period.pk] = wanted
            else:
                tally.add("periods of care", "unchanged")
            for episode in period.episodes:
                if episode.pk is None:
                    tally.add("episodes", "created")
                    chunk.new_episodes.append((period, episode))
                elif _episode_changed(episode, held, period):
                    tally.add("episodes", "updated")
                    chunk.changed_episodes[episode.pk] = (period, episode)
                elif episode.row:
                    tally.add("episodes", "unchanged")
            for review, cached in reviews:
                if review.pk is None:
                    tally.add("reviews", "created")
                    chunk.new_reviews.append((child_id, period, review, cached))
                    continue
                before_period, before_code, before_cached = review.before
                if before_period != period.pk or before_code != review.code or before_cached != cached:
                    tally.add("reviews", "updated")
                    chunk.changed_reviews[review.pk] = (period, review, cached)
                elif review.row:
                    tally.add("reviews", "unchanged")
        in_chunk += 1
        if in_chunk == CHUNK_CHILDREN:
            yield chunk
            chunk, in_chunk = _Chunk(), 0
    yield chunk


def _episode_changed(episode: EpisodeRow, held: _Held, period: PlannedPeriod) -> bool:
    before = held.episodes_by_pk[episode.pk]
    return (
        before.values != episode.values
        or before.end != episode.end
        or before.reason_ceased != episode.reason_ceased
        or before.period_pk != period.pk
    )


def _write(plan: _Plan, held: _Held, header: dict[str, HeaderRow], tally: Tally, user) -> None:
    child_pks = {child_id: row[0] for child_id, row in held.children.items()}
    for start in range(0, len(plan.new_children), BATCH):
        rows = [
            Child(
                local_child_id=child_id,
                **dict(zip(CHILD_FIELDS, _child_values(header[child_id]), strict=True)),
            )
            for child_id in plan.new_children[start : start + BATCH]
        ]
        bulk_create_recorded(Child, rows, user=user, reason=REASON)
        child_pks.update({child.local_child_id: child.pk for child in rows})
    _bulk_change(
        Child,
        {
            child_pks[child_id]: dict(zip(CHILD_FIELDS, _child_values(header[child_id]), strict=True))
            for child_id in plan.changed_children
        },
    )
    for chunk in _care_chunks(plan, held, tally):
        # Changes before creations, so that the no-overlap constraints never see an episode or
        # period still open that the file ends: a period that ends is shortened before the next
        # one is created, an episode that ends is ended before the next one is added.
        _bulk_change(PeriodOfCare, chunk.changed_periods, user)
        periods = [
            PeriodOfCare(**{**values, "child_id": child_pks[values["child_id"]]})
            for _, values in chunk.new_periods
        ]
        bulk_create_recorded(PeriodOfCare, periods, user=user, reason=REASON)
        for (period, _), row in zip(chunk.new_periods, periods, strict=True):
            period.pk = row.pk
        _bulk_change(
            Episode,
            {
                pk: {"period_id": period.pk, **_episode_fields(episode)}
                for pk, (period, episode) in chunk.changed_episodes.items()
            },
            user,
        )
        bulk_create_recorded(
            Episode,
            [_episode_model(period, episode) for period, episode in chunk.new_episodes],
            user=user,
            reason=REASON,
        )
        reviews = [
            LacReview(
                child_id=child_pks[child_id],
                period_id=period.pk,
                review_date=review.held_on,
                participation_code=review.code,
                **dict(zip(REVIEW_CACHE_FIELDS, cached, strict=True)),
            )
            for child_id, period, review, cached in chunk.new_reviews
        ]
        bulk_create_recorded(LacReview, reviews, user=user, reason=REASON)
        bulk_create_recorded(
            ReviewPart,
            [ReviewPart(review_id=review.pk, part_number=1, date=review.review_date) for review in reviews],
            user=user,
            reason=REASON,
        )
        _bulk_change(
            LacReview,
            {
                pk: {
                    "period_id": period.pk,
                    "participation_code": review.code,
                    **dict(zip(REVIEW_CACHE_FIELDS, cached, strict=True)),
                }
                for pk, (period, review, cached) in chunk.changed_reviews.items()
            },
            user,
        )
    analyze(Child, PeriodOfCare, Episode, LacReview, ReviewPart)


def _bulk_change(model, changes: dict[int, dict], user=None) -> None:
    """Apply ``changes`` ({pk: {field: value}}) to whole rows read back from the database, so
    that the history rows bulk_update_with_history writes hold every field, not only those
    changed."""
    if not changes:
        return
    now = timezone.now()
    has_updated_at = any(f.name == "updated_at" for f in model._meta.concrete_fields)
    names = sorted({name for values in changes.values() for name in values})
    fields = [name.removesuffix("_id") if name.endswith("_id") else name for name in names]
    if has_updated_at:
        fields.append("updated_at")
    pks = list(changes)
    for start in range(0, len(pks), BATCH):
        rows = model.objects.in_bulk(pks[start : start + BATCH])
        for pk, row in rows.items():
            for name, value in changes[pk].items():
                setattr(row, name, value)
            if has_updated_at:
                row.updated_at = now
        bulk_update_with_history(
            list(rows.values()),
            model,
            fields,
            batch_size=BATCH,
            default_user=user,
            default_change_reason=REASON,
        )


def _episode_fields(episode: EpisodeRow) -> dict:
    return {
        "end_date": episode.end,
        "reason_ceased": episode.reason_ceased,
        **dict(zip(EPISODE_VALUE_FIELDS, episode.values, strict=True)),
    }


def _episode_model(period: PlannedPeriod, episode: EpisodeRow) -> Episode:
    return Episode(period_id=period.pk, start_date=episode.start, **_episode_fields(episode))
