"""Coded fields of an SSDA903 return must match the DfE's formats on the way in, so that nothing a
spreadsheet would run as a formula (=1+2, @SUM(A1)) gets into the records or back out in a return."""

import pytest
from django.db import IntegrityError, transaction

from iro_service.core.imports import ImportRejected
from iro_service.people.models import Child
from reviews.models import Episode, LacReview, PeriodOfCare
from reviews.ssda903 import import_903
from reviews.ssda903.tables import EPISODES_COLUMNS, HEADER_COLUMNS
from tests.factories import ChildFactory
from tests.reviews.test_ssda903 import EPISODE_ROWS, HEADER_ROWS, files_in, write_return

pytestmark = pytest.mark.django_db

BAD = [
    # (table, row index, column, value, row in the file, words)
    ("header", 0, "CHILD", "=1+2", "row 2", "not a child ID: a child ID is 1 to 10 letters or digits"),
    ("header", 0, "CHILD", "@SUM(A1)", "row 2", "not a child ID"),
    ("header", 0, "CHILD", "A12345678901", "row 2", "not a child ID"),  # 12 characters
    ("header", 0, "CHILD", "A-1", "row 2", "not a child ID"),
    ("episodes", 0, "HOME_POST", "=2+3", "row 2", "not a postcode such as AB1 2CD"),
    ("episodes", 1, "PL_POST", "+AB1 2CD", "row 3", "not a postcode"),
    ("episodes", 3, "URN", "-SC12345", "row 5", "not an Ofsted URN"),
]


@pytest.mark.parametrize(("table", "index", "column", "value", "where", "words"), BAD)
def test_a_badly_formed_coded_value_is_rejected_and_nothing_written(
    tmp_path, table, index, column, value, where, words
):
    rows = [list(row) for row in (HEADER_ROWS if table == "header" else EPISODE_ROWS)]
    rows[index][(HEADER_COLUMNS if table == "header" else EPISODES_COLUMNS).index(column)] = value
    folder = write_return(tmp_path / "in", **{table: rows})
    with pytest.raises(ImportRejected) as caught:
        import_903(files_in(folder))
    found = [(p.file, p.where, p.field, p.message) for p in caught.value.problems]
    assert any(
        (file, at, field) == (f"{table}.csv", where, column) and words in message
        for file, at, field, message in found
    ), found
    assert [m.objects.count() for m in (Child, PeriodOfCare, Episode, LacReview)] == [0, 0, 0, 0]


def test_postcodes_and_urns_in_the_dfe_formats_are_accepted(tmp_path):
    episodes = [list(row) for row in EPISODE_ROWS]
    episodes[0][EPISODES_COLUMNS.index("HOME_POST")] = "sw1a 1aa"
    episodes[0][EPISODES_COLUMNS.index("PL_POST")] = "M1 1AE"
    tally = import_903(files_in(write_return(tmp_path / "in", episodes=episodes)))
    assert tally.as_dict()["episodes"]["created"] == 4


def test_the_database_refuses_a_child_id_that_is_not_letters_and_digits():
    with pytest.raises(IntegrityError, match="child_local_id_format"), transaction.atomic():
        Child.objects.filter(pk=ChildFactory().pk).update(local_child_id="=1+1")
