"""Reading and checking an SSDA903 return's three tables (header, episodes, reviews) a row at a
time, collecting every problem with its file, row, column and a plain message. Nothing here
needs what is already held, except the code lists (``_CodeBook``)."""

from __future__ import annotations

import functools
import re
import sys
from collections import defaultdict
from datetime import date

from iro_service.core.imports import CsvTable, Problems, format_dmy, parse_dmy
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
from iro_service.timescales.dates import collection_year
from reviews.code_lists import ended_before
from reviews.codes import ParticipationCode
from reviews.due_dates import (
    participation_age_mismatch,
)
from reviews.models import Code
from reviews.ssda903._common import (
    EpisodeRow,
    HeaderRow,
    ReviewRow,
    _where,
)
from reviews.ssda903.tables import (
    EPISODE_FIELDS,
    EPISODES,
    HEADER,
    REVIEWS,
    SEX_IN,
)


class _CodeBook:
    """The SSDA903 code lists by collection year, read once."""

    def __init__(self):
        self.years: dict[tuple[str, str], list[tuple[int, int | None]]] = defaultdict(list)
        for list_name, code, first, last in Code.objects.values_list(
            "list_name", "code", "first_year", "last_year"
        ):
            self.years[(list_name, code)].append((first, last))

    def valid(self, list_name: str, code: str, on: date) -> bool:
        # A code the DfE's rules end part-way through its year (P2 after 28 October 2023) is
        # not valid after that day, as on the pages.
        year = collection_year(on)
        return ended_before(list_name, code, on) is None and any(
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
            # The reason for a placement change is why this episode ended (the DfE's rule
            # 225): it is checked against the list of the year it ended in.
            on = (end or start) if column == "REASON_PLACE_CHANGE" else start
            if not value:
                if required:
                    problems.add(EPISODES, _where(row), column, f"{column} is blank.")
            elif not codes.valid(list_name, value, on):
                last_day = ended_before(list_name, value, on)
                problems.add(
                    EPISODES,
                    _where(row),
                    column,
                    f"'{value}' is not a {column} code after {format_dmy(last_day)}: the DfE ended it then."
                    if last_day
                    else f"'{value}' is not a {column} code in the {collection_year(on) - 1}-"
                    f"{collection_year(on) % 100:02d} collection.",
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
