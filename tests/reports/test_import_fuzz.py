"""The statutory return importers fed generated bad files (hypothesis): malformed CSV and XML,
wrong encodings, huge fields, a garbled value anywhere. Whatever the file, an import either
imports it whole or rejects it; it never crashes, never writes part of it (only the history
entry that says it was rejected), and every problem names the file and where in it (the row of
a CSV table, the Child or line of the XML).

The files start from the hand-worked returns of tests/reviews/test_ssda903.py (3 children,
4 episodes, 5 reviews) and tests/conferences/data/cin_2017_small.xml (5 children), which import
cleanly as they are. Example counts are bounded and derandomized so that the run is short and
the same every time; each example runs in a savepoint rolled back after it."""

from __future__ import annotations

import csv
import io
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conferences.cin_census import import_cin_census
from conferences.models import ChildProtectionPlan, Conference
from iro_service.core.imports import ImportRejected
from iro_service.people.models import Child, Family
from reviews.models import Episode, LacReview, PeriodOfCare
from reviews.ssda903 import import_903
from reviews.ssda903.tables import (
    EPISODES,
    EPISODES_COLUMNS,
    HEADER,
    HEADER_COLUMNS,
    REVIEWS,
    REVIEWS_COLUMNS,
)
from tests.reviews.test_ssda903 import EPISODE_ROWS, HEADER_ROWS, REVIEW_ROWS

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CIN_SMALL = Path(__file__).resolve().parents[1] / "conferences" / "data" / "cin_2017_small.xml"
TABLES = {
    HEADER: (HEADER_COLUMNS, HEADER_ROWS),
    EPISODES: (EPISODES_COLUMNS, EPISODE_ROWS),
    REVIEWS: (REVIEWS_COLUMNS, REVIEW_ROWS),
}
WRITTEN = (Child, Family, PeriodOfCare, Episode, LacReview, ChildProtectionPlan, Conference)

# Values a garbled cell or element may take: any text (control characters, other scripts,
# CSV's own comma, quote and line breaks), formula starts, numbers and dates out of range, and
# a huge field (a megabyte).
GARBLED = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=',"\r\n\t;=+-@ \x00\ufeff\u2028\x85', max_size=12),
    # "²" and "¹²": str.isdigit() is true of them, int() refuses them (found by this test).
    st.sampled_from(
        ["99/99/9999", "31/02/2017", "2017-02-31", "0", "-1", "1e400", "NaN", "X" * 300, "²", "¹²"]
    ),
    st.integers(min_value=10_000, max_value=1_000_000).map(lambda size: "9" * size),
)


def _row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


@contextmanager
def _rolled_back():
    """Run one example in a savepoint and undo it, so that examples do not see each other."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _csv_bytes(columns, rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([list(columns), *rows])
    return buffer.getvalue().encode()


def _import_903(files: dict[str, bytes]):
    """(tally, None) when imported, (None, problems) when rejected; anything else raised fails
    the test. A rejected import must have written nothing."""
    before = _row_counts()
    try:
        return import_903({name: io.BytesIO(content) for name, content in files.items()}), None
    except ImportRejected as rejected:
        assert _row_counts() == before, "a rejected import wrote part of the file"
        assert rejected.problems and rejected.count >= len(rejected.problems)
        for problem in rejected.problems:
            assert problem.file in files and problem.message, problem
            assert problem.where == "" or re.fullmatch(r"row \d+", problem.where), problem
        return None, rejected.problems


def test_the_returns_fuzzed_from_import_cleanly_as_they_are():
    tally, problems = _import_903({name: _csv_bytes(*table) for name, table in TABLES.items()})
    assert problems is None and tally.kinds["children"]["created"] == 3
    tally = import_cin_census(io.BytesIO(CIN_SMALL.read_bytes()), name="cin.xml")
    assert tally.kinds["children"]["created"] == 5


@settings(FUZZ, max_examples=200)
@given(data=st.data(), value=GARBLED)
def test_a_garbled_ssda903_cell_is_imported_or_rejected_naming_its_row(data, value):
    """One cell of one row of one table replaced by a generated value. A rejection names that
    row of that table, unless the cell was a child's id in the header (then the rows that use
    the id are the ones in the wrong)."""
    table = data.draw(st.sampled_from(sorted(TABLES)), label="table")
    columns, rows = TABLES[table]
    index = data.draw(st.integers(0, len(rows) - 1), label="row")
    column = data.draw(st.integers(0, len(columns) - 1), label="column")
    garbled = [list(row) for row in rows]
    garbled[index][column] = value
    files = {name: _csv_bytes(*TABLES[name]) for name in TABLES}
    files[table] = _csv_bytes(columns, garbled)
    with _rolled_back():
        _tally, problems = _import_903(files)
    if problems is not None and not (table == HEADER and columns[column] == "CHILD"):
        row = f"row {index + 2}"  # the header is row 1
        assert any((p.file, p.where) == (table, row) for p in problems), (table, row, value, problems)


def _mangled(content: bytes, how: str, at: float, junk: bytes) -> bytes:
    cut = int(len(content) * at)
    if how == "truncated":
        return content[:cut]
    if how == "inserted":
        return content[:cut] + junk + content[cut:]
    if how == "overwritten":
        return content[:cut] + junk + content[cut + len(junk) :]
    if how == "latin-1":
        return content.decode().replace("1", "\u00e9").encode("latin-1")
    if how == "utf-16":
        return content.decode().encode("utf-16")
    if how == "cp1252 quotes":
        return content.decode().replace(",", ",\u2019", 3).encode("cp1252")
    raise AssertionError(how)


MANGLE = st.tuples(
    st.sampled_from(["truncated", "inserted", "overwritten", "latin-1", "utf-16", "cp1252 quotes"]),
    st.floats(0, 1),
    st.one_of(
        st.binary(min_size=1, max_size=64), st.sampled_from([b"\x00", b"\xff\xfe", b'"', b"\r", b"\n"])
    ),
)


@FUZZ
@given(table=st.sampled_from(sorted(TABLES)), mangle=MANGLE)
def test_a_malformed_or_wrongly_encoded_ssda903_table_is_rejected_or_imported_whole(table, mangle):
    files = {name: _csv_bytes(*TABLES[name]) for name in TABLES}
    files[table] = _mangled(files[table], *mangle)
    with _rolled_back():
        tally, _problems = _import_903(files)
        if tally is not None:
            assert Child.objects.count() == tally.kinds["children"]["created"]


@settings(FUZZ, max_examples=50)
@given(contents=st.lists(st.binary(max_size=300), min_size=2, max_size=3))
def test_ssda903_files_of_random_bytes_are_rejected(contents):
    files = dict(zip([HEADER, EPISODES, REVIEWS], contents, strict=False))
    with _rolled_back():
        tally, _problems = _import_903(files)
    assert tally is None


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x1c", "\x0b", "\x0c"])
def test_a_unicode_line_separator_in_a_value_does_not_split_its_row(separator):
    """Found by the test above: the file was read through a text decoder whose lines also end
    at Unicode's line and paragraph separators, so a child id of U+2028 split row 2 in two and
    the problem was put down to row 3. Each of these is a value's character, not a row's end."""
    rows = [list(row) for row in EPISODE_ROWS]
    rows[0][0] = separator
    files = {name: _csv_bytes(*TABLES[name]) for name in TABLES}
    files[EPISODES] = _csv_bytes(EPISODES_COLUMNS, rows)
    _tally, problems = _import_903(files)
    assert [(p.file, p.where, p.field) for p in problems] == [(EPISODES, "row 2", "CHILD")]


def test_a_nul_in_a_value_is_reported_and_the_rejection_kept_in_the_history():
    """Found by the fuzzing: the message quoting a value with a NUL in it could not be stored
    (PostgreSQL's text holds no NUL), so the rejection itself failed with a database error."""
    from iro_service.audit.models import DataExchange

    rows = [list(row) for row in REVIEW_ROWS]
    rows[3][0] = "A\x002"
    files = {name: _csv_bytes(*TABLES[name]) for name in TABLES}
    files[REVIEWS] = _csv_bytes(REVIEWS_COLUMNS, rows)
    _tally, problems = _import_903(files)
    assert [(p.file, p.where, p.field) for p in problems] == [(REVIEWS, "row 5", "CHILD")]
    assert "A\ufffd2" in problems[0].message
    assert DataExchange.objects.get().outcome == "rejected"


def test_a_file_saved_in_another_encoding_is_reported_at_the_row_with_the_first_bad_byte():
    rows = [list(row) for row in EPISODE_ROWS]
    rows[2][10] = "Café"  # row 4 of the file; all before it is plain ASCII
    files = {name: _csv_bytes(*TABLES[name]) for name in TABLES}
    files[EPISODES] = _csv_bytes(EPISODES_COLUMNS, rows).decode().encode("latin-1")
    _tally, problems = _import_903(files)
    assert [(p.file, p.where) for p in problems] == [(EPISODES, "row 4")]
    assert "not in UTF-8" in problems[0].message


def test_a_superscript_number_of_previous_plans_is_reported_not_a_crash():
    """ "²" passed the reader's isdigit() check and then failed int(): a ValueError, not a problem."""
    content = CIN_SMALL.read_bytes().replace(
        b"<NumberOfPreviousCPP>0</NumberOfPreviousCPP>",
        "<NumberOfPreviousCPP>²</NumberOfPreviousCPP>".encode(),
        1,
    )
    _, problems = _import_cin(content)
    assert [(p.where[:7], p.field) for p in problems] == [("Child 1", "NumberOfPreviousCPP")]


def test_a_huge_ssda903_field_is_reported_at_its_row():
    """Two megabytes in one cell: more than the csv module's default field limit (128 kB)."""
    rows = [list(row) for row in EPISODE_ROWS]
    rows[2][10] = "A" * 2_000_000
    files = {name: _csv_bytes(*TABLES[name]) for name in TABLES}
    files[EPISODES] = _csv_bytes(EPISODES_COLUMNS, rows)
    _tally, problems = _import_903(files)
    assert [(p.file, p.where) for p in problems] == [(EPISODES, "row 4")]


# --- CIN census XML ---------------------------------------------------------------------------

CIN_WHERE = re.compile(r"(Child \d+.*|line \d+|)")


def _import_cin(content: bytes):
    before = _row_counts()
    try:
        return import_cin_census(io.BytesIO(content), name="cin.xml"), None
    except ImportRejected as rejected:
        assert _row_counts() == before, "a rejected import wrote part of the file"
        assert rejected.problems
        for problem in rejected.problems:
            assert problem.file == "cin.xml" and problem.message, problem
            assert CIN_WHERE.fullmatch(problem.where), problem
        return None, rejected.problems


def _cin_elements() -> list[str]:
    """The path of every element of the small census that holds a value, as lxml names it."""
    tree = etree.parse(str(CIN_SMALL))
    return [tree.getpath(element) for element in tree.iter() if element.text and element.text.strip()]


CIN_VALUES = _cin_elements()


@settings(FUZZ, max_examples=200)
@given(path=st.sampled_from(CIN_VALUES), value=GARBLED)
def test_a_garbled_cin_census_value_is_imported_or_rejected_naming_its_child(path, value):
    """One element's value replaced (written as XML should be, escaped): a rejection names the
    Child it is in (Child n, counting from 1), or for a header value the file."""
    tree = etree.parse(str(CIN_SMALL))
    element = tree.xpath(path)[0]
    # XML 1.0 cannot hold most control characters at all; they are the malformed-file test's.
    element.text = "".join(
        ch for ch in value if ch in "\t\n\r" or (ord(ch) >= 32 and ch not in "\ufffe\uffff")
    )
    with _rolled_back():
        _tally, problems = _import_cin(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    match = re.search(r"/Child\[(\d+)\]", path)
    if problems is not None and match:
        assert any(p.where.startswith(f"Child {match[1]}") for p in problems), (path, problems)


@FUZZ
@given(mangle=MANGLE)
def test_a_malformed_or_wrongly_encoded_cin_census_is_rejected_or_imported_whole(mangle):
    with _rolled_back():
        tally, _problems = _import_cin(_mangled(CIN_SMALL.read_bytes(), *mangle))
        if tally is not None:
            assert Child.objects.count() == tally.kinds["children"]["created"]


@settings(FUZZ, max_examples=50)
@given(content=st.binary(max_size=500))
def test_a_cin_census_of_random_bytes_is_rejected(content):
    with _rolled_back():
        tally, _problems = _import_cin(content)
    assert tally is None


@pytest.mark.parametrize(
    "content",
    [
        # An entity expansion bomb ("billion laughs"): entities are never expanded.
        b'<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b"<Message><Children><Child><ChildIdentifiers><LAchildID>&c;</LAchildID></ChildIdentifiers>"
        b"</Child></Children></Message>",
        # An external entity (XXE): never fetched.
        b'<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<Message><Children><Child><ChildIdentifiers><LAchildID>&x;</LAchildID></ChildIdentifiers>"
        b"</Child></Children></Message>",
        # A huge text node: 20 MB, over lxml's 10 MB limit for one text node.
        b"<Message><Children><Child><ChildIdentifiers><LAchildID>"
        + b"A" * 20_000_000
        + b"</LAchildID></ChildIdentifiers></Child></Children></Message>",
        # Nesting 100,000 deep.
        b"<Message>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</Message>",
    ],
    ids=["entity bomb", "external entity", "huge text", "deep nesting"],
)
def test_hostile_cin_census_files_are_rejected(content):
    tally, problems = _import_cin(content)
    assert tally is None
    assert "passwd" not in str(problems) and "root:" not in str(problems)
