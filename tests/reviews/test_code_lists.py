"""The SSDA903 code lists are the DfE's published ones (liiatools' ``spec/s903``) for every year
they cover, read here straight from the installed liiatools, not from the project's copy."""

from datetime import date
from importlib.resources import files

import pytest
import yaml

from iro_service.people.codes import Ethnicity
from reviews.code_lists import SPEC_COLUMNS, SPEC_DIR, code_lists_load
from reviews.codes import ParticipationCode
from reviews.models import Code
from reviews.selectors import codes_in_year
from reviews.ssda903 import import_903
from reviews.ssda903.tables import SEX_IN, sex_out
from tests.reviews.test_ssda903 import EPISODE_ROWS, files_in, write_return

pytestmark = pytest.mark.django_db

LIIATOOLS_S903 = files("liiatools.spec.s903")
PUBLISHED_YEARS = range(2017, 2025)


def published(year: int) -> dict:
    return yaml.safe_load(LIIATOOLS_S903.joinpath(f"SSDA903_schema_{year}.yml").read_text())["column_map"]


def published_codes(year: int, table: str, column: str) -> set[str]:
    return {str(entry["code"]) for entry in published(year)[table][column]["category"]}


@pytest.mark.parametrize("year", PUBLISHED_YEARS)
def test_the_copied_specifications_are_liiatools_own(year):
    name = f"SSDA903_schema_{year}.yml"
    assert (SPEC_DIR / name).read_bytes() == LIIATOOLS_S903.joinpath(name).read_bytes()


@pytest.mark.parametrize("year", PUBLISHED_YEARS)
def test_every_code_list_of_every_published_year_is_the_dfe_list(year):
    # Any day of the collection year will do: 1 October of its first calendar year.
    valid = codes_in_year(on=date(year - 1, 10, 1))
    for list_name, (table, column) in SPEC_COLUMNS.items():
        assert set(valid[list_name]) == published_codes(year, table, column), (year, list_name)
        assert all(valid[list_name].values()), f"{list_name} {year}: every code has a label"


def test_years_after_the_latest_publication_use_the_latest():
    valid = codes_in_year(on=date(2025, 10, 1))
    for list_name, (table, column) in SPEC_COLUMNS.items():
        assert set(valid[list_name]) == published_codes(2024, table, column), list_name


@pytest.mark.parametrize("year", PUBLISHED_YEARS)
def test_the_header_codes_are_the_dfe_lists(year):
    assert set(Ethnicity.values) == published_codes(year, "Header", "ETHNIC")
    assert set(ParticipationCode.values) == published_codes(year, "Reviews", "REVIEW_CODE")
    sexes = published_codes(year, "Header", "SEX")
    assert sexes <= set(SEX_IN)
    assert {sex_out("M", year), sex_out("F", year)} == sexes


def test_e13_is_accepted_after_2014(tmp_path):
    """GIVEN a 2016-17 return whose episode ends with E13 (left care to live with parents or
    relatives) WHEN it is imported THEN it is accepted: E13 is in every published list."""
    episodes = [list(row) for row in EPISODE_ROWS]
    episodes[2][8] = "E13"
    tally = import_903(files_in(write_return(tmp_path / "in", episodes=episodes)))
    assert tally.as_dict()["episodes"]["created"] == 4


def test_loading_corrects_a_table_left_by_an_older_release():
    Code.objects.filter(list_name="REC", code="E13").update(last_year=2014)
    Code.objects.filter(list_name="REC", code="E45").delete()
    Code.objects.create(list_name="REC", code="E45", label="Old", first_year=2004)
    Code.objects.create(list_name="CIN", code="N0", label="Never a code", first_year=2004)

    assert code_lists_load(Code) == 4  # E13 corrected, E45 of 2004 and N0 deleted, E45 of 2019 added

    assert list(Code.objects.filter(list_name="REC", code="E13").values_list("first_year", "last_year")) == [
        (2004, None)
    ]
    assert list(Code.objects.filter(list_name="REC", code="E45").values_list("first_year", "last_year")) == [
        (2019, None)
    ]
    assert not Code.objects.filter(code="N0").exists()
    assert code_lists_load(Code) == 0
