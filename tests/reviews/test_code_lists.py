"""The SSDA903 code lists are the DfE's published ones (liiatools' ``spec/s903``) for every year
they cover, read here straight from the installed liiatools, not from the project's copy; the
years after 2023-24 are the DfE's validation rules' (csc-validator-be-903), written from the
installed package by ``reviews/ssda903/spec/extract_dfe_codes.py``."""

import json
import subprocess
from datetime import date
from importlib.resources import files
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse

from iro_service.core.imports import ImportRejected
from iro_service.people.codes import Ethnicity
from reviews import services
from reviews.code_lists import DFE_RULES_YEARS, LATEST_SPEC_YEAR, SPEC_COLUMNS, SPEC_DIR, code_lists_load
from reviews.codes import ParticipationCode
from reviews.models import Code, PeriodOfCare
from reviews.selectors import codes_in_year
from reviews.ssda903 import import_903
from reviews.ssda903.reader import _CodeBook
from reviews.ssda903.tables import SEX_IN, sex_out
from tests.factories import ChildFactory
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


def dfe_rules_codes(year: int, list_name: str) -> set[str]:
    text = (SPEC_DIR / f"dfe_rules_codes_{year}.yml").read_text(encoding="utf-8")
    return set(yaml.safe_load(text)["lists"][list_name]["codes"])


@pytest.mark.parametrize("year", DFE_RULES_YEARS)
def test_every_code_list_of_every_dfe_rules_year_is_the_rules_list(year):
    valid = codes_in_year(on=date(year - 1, 10, 1))
    for list_name in SPEC_COLUMNS:
        assert set(valid[list_name]) == dfe_rules_codes(year, list_name), (year, list_name)
        assert all(valid[list_name].values()), f"{list_name} {year}: every code has a label"


def test_years_after_the_newest_ruleset_use_the_newest():
    assert LATEST_SPEC_YEAR == 2027
    valid = codes_in_year(on=date(2030, 10, 1))
    for list_name in SPEC_COLUMNS:
        assert set(valid[list_name]) == dfe_rules_codes(2027, list_name), list_name


def test_the_placement_codes_the_dfe_dropped_end_and_the_new_ones_start():
    """Worked out from rule 146 of each ruleset: 2024-25's list adds K3 (written 'k3') to
    2023-24's; 2025-26's drops H5, P2 and Z1 and adds Z11 to Z14; 2026-27 keeps 2025-26's.
    So H5, P2 and Z1 last until 2024-25 (2025), K3 starts in 2025, Z11 to Z14 in 2026, and
    both stay open."""
    placements = Code.objects.filter(list_name="PLACE")
    ranges = {
        code: (first, last) for code, first, last in placements.values_list("code", "first_year", "last_year")
    }
    assert ranges["H5"] == (2004, 2025)
    assert ranges["P2"] == (2004, 2025)
    assert ranges["Z1"] == (2004, 2025)
    assert ranges["K3"] == (2025, None)
    assert {code: ranges[code] for code in ("Z11", "Z12", "Z13", "Z14")} == dict.fromkeys(
        ("Z11", "Z12", "Z13", "Z14"), (2026, None)
    )
    assert ranges["U1"] == (2004, None)
    # Every other list is unchanged since 2023-24: no code of theirs has a last year.
    assert not Code.objects.exclude(list_name="PLACE").filter(last_year__gte=2024).exists()


@pytest.fixture
def dfe_python(settings) -> Path:
    python = Path(settings.DFE_VALIDATOR_PYTHON)
    # As the DfE rules' other tests: a missing environment fails, never skips, so that a
    # machine without it cannot pass the suite by proving nothing.
    assert python.exists(), f"the DfE's validators are not installed (no {python}): make install makes them"
    return python


def test_the_dfe_rules_files_are_what_the_installed_package_accepts(dfe_python, tmp_path):
    script = SPEC_DIR / "extract_dfe_codes.py"
    subprocess.run([str(dfe_python), str(script), "--out", str(tmp_path)], check=True, timeout=300)
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == [f"dfe_rules_codes_{year}.yml" for year in DFE_RULES_YEARS]
    for name in written:
        assert (SPEC_DIR / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_the_rules_read_the_same_way_agree_with_the_last_two_published_specifications(dfe_python):
    """The rulesets of 2022-23 and 2023-24, read as the script reads the later ones, give the
    lists of the specifications of those years: the script reads the rules the DfE checks."""
    program = (
        f"import json, sys; sys.path.insert(0, {str(SPEC_DIR)!r}); import extract_dfe_codes as e; "
        "print(json.dumps({y: {k: v['codes'] for k, v in e.year_lists(y)[0].items()} for y in (2023, 2024)}))"
    )
    answer = subprocess.run(
        [str(dfe_python), "-c", program], check=True, timeout=300, capture_output=True, text=True
    )
    read = json.loads(answer.stdout)
    for year in (2023, 2024):
        for list_name, (table, column) in SPEC_COLUMNS.items():
            assert set(read[str(year)][list_name]) == published_codes(year, table, column), (year, list_name)


# --- an episode's placement is checked against the list of its collection year ------------------


def start_care(on: date, placement: str) -> PeriodOfCare:
    return services.period_of_care_start(
        child=ChildFactory(date_of_birth=date(2008, 1, 1)),
        start_date=on,
        legal_status="C2",
        category_of_need="N1",
        placement=placement,
    )


def test_an_episode_of_2025_26_may_be_in_supported_accommodation_and_not_h5():
    assert start_care(date(2025, 6, 2), "K3").episodes.get().placement == "K3"
    with pytest.raises(ValidationError) as raised:
        start_care(date(2025, 6, 2), "H5")
    assert raised.value.message_dict["placement"] == [
        "H5 is not a placement type code in the SSDA903 collection for 2 June 2025. "
        "Choose a code from the list."
    ]
    assert start_care(date(2025, 3, 31), "H5").episodes.get().placement == "H5"  # 2024-25: still valid
    assert start_care(date(2025, 3, 31), "K3").episodes.get().placement == "K3"


def test_an_episode_of_2024_25_may_not_be_z11_and_one_of_2025_26_may():
    with pytest.raises(ValidationError) as raised:
        start_care(date(2025, 3, 31), "Z11")
    assert "Z11 is not a placement type code" in raised.value.message_dict["placement"][0]
    assert start_care(date(2025, 4, 1), "Z11").episodes.get().placement == "Z11"


def test_the_api_refuses_h5_in_2025_26_with_a_400_naming_the_placement(token_client, manager_user):
    writer = token_client("read", "write", user=manager_user)
    child = ChildFactory(date_of_birth=date(2008, 1, 1))
    start = {"child": child.pk, "start_date": "2025-06-02", "legal_status": "C2", "category_of_need": "N1"}
    response = writer.post("/api/v1/periods-of-care/", {**start, "placement": "H5"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["placement"]
    assert "H5 is not a placement type code" in response.json()["placement"][0]
    assert not PeriodOfCare.objects.exists()
    response = writer.post("/api/v1/periods-of-care/", {**start, "placement": "Z14"}, format="json")
    assert response.status_code == 201, response.json()
    assert PeriodOfCare.objects.get().episodes.get().placement == "Z14"


def test_the_start_care_page_offers_k3_and_refuses_h5_in_2025_26(client, support_user):
    child = ChildFactory(date_of_birth=date(2008, 1, 1))
    client.force_login(support_user)
    url = reverse("reviews:period-start", args=[child.pk])
    start = {"start_date": "02/06/2025", "legal_status": "C2", "category_of_need": "N1"}
    response = client.post(url, {**start, "placement": "H5"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "H5 is not a placement type code in the SSDA903 collection for 2 June 2025" in page
    assert 'href="#id_placement"' in page  # the error summary names the field
    assert '<option value="K3">K3: Supported accommodation</option>' in page
    assert '<option value="H5">' not in page
    assert not PeriodOfCare.objects.exists()
    response = client.post(url, {**start, "placement": "K3"})
    assert response.status_code == 302
    assert PeriodOfCare.objects.get(child=child).episodes.get().placement == "K3"


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


def test_a_2025_26_return_may_hold_k3_and_z11_and_not_h5(tmp_path):
    """GIVEN a return of 2025-26 for one child (A1, born 1 June 2010) WHEN its episodes are K3
    then Z11 THEN it is imported, Z11's three characters whole; WHEN the second is H5 instead
    THEN the import is refused on that row's PLACE and nothing is written."""
    header = [["A1", "1", "01/06/2010", "WBRI", "", "", ""]]
    episodes = [
        ["A1", "03/05/2025", "S", "C2", "N1", "K3", "PR4", "01/09/2025", "X1", "", "AB1 2CD", "AB3 4EF", ""],
        ["A1", "01/09/2025", "P", "C2", "N1", "Z11", "", "", "", "CARPL", "AB1 2CD", "AB5 6GH", ""],
    ]
    refused = [row[:] for row in episodes]
    refused[1][5] = "H5"
    with pytest.raises(ImportRejected) as caught:
        import_903(files_in(write_return(tmp_path / "bad", header=header, episodes=refused, reviews=[])))
    assert [(p.file, p.field) for p in caught.value.problems] == [("episodes.csv", "PLACE")]
    assert "H5" in caught.value.problems[0].message
    assert not PeriodOfCare.objects.exists()

    import_903(files_in(write_return(tmp_path / "good", header=header, episodes=episodes, reviews=[])))
    assert list(
        PeriodOfCare.objects.get().episodes.order_by("start_date").values_list("placement", flat=True)
    ) == [
        "K3",
        "Z11",
    ]


# --- P2 ends part-way through 2023-24 -----------------------------------------------------------
# The DfE's rule 217t (2023-24 ruleset) fails a P2 episode ending after 28 October 2023 or still
# open, so one starting on 29 October 2023 or later always fails: refused from that day. The
# 2024-25 ruleset deletes 217t and lists P2 again (rule 146), so 2024-25 accepts it as the DfE
# does, until 2025-26 drops it.


def test_p2_may_start_on_28_october_2023_and_not_the_day_after():
    assert start_care(date(2023, 10, 28), "P2").episodes.get().placement == "P2"
    with pytest.raises(ValidationError) as raised:
        start_care(date(2023, 10, 29), "P2")
    assert raised.value.message_dict["placement"] == [
        "P2 is not a placement type code after 28 October 2023: the DfE ended it that day. "
        "Choose a code from the list."
    ]
    assert start_care(date(2023, 10, 29), "U6").episodes.get().placement == "U6"


def test_p2_is_offered_to_28_october_2023_and_again_in_2024_25_as_the_dfe_rules_list_it():
    assert "P2" in codes_in_year(on=date(2023, 10, 28))["PLACE"]
    assert "P2" not in codes_in_year(on=date(2023, 10, 29))["PLACE"]
    assert "P2" not in codes_in_year(on=date(2024, 3, 31))["PLACE"]
    assert "P2" in codes_in_year(on=date(2024, 4, 1))["PLACE"]
    assert "P2" not in codes_in_year(on=date(2025, 4, 1))["PLACE"]
    assert start_care(date(2024, 4, 1), "P2").episodes.get().placement == "P2"


def test_the_api_refuses_p2_from_29_october_2023_with_a_400_naming_the_placement(token_client, manager_user):
    writer = token_client("read", "write", user=manager_user)
    child = ChildFactory(date_of_birth=date(2007, 1, 1))
    start = {"child": child.pk, "legal_status": "C2", "category_of_need": "N1", "placement": "P2"}
    response = writer.post("/api/v1/periods-of-care/", {**start, "start_date": "2023-10-29"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["placement"]
    assert "P2 is not a placement type code after 28 October 2023" in response.json()["placement"][0]
    response = writer.post("/api/v1/periods-of-care/", {**start, "start_date": "2023-10-28"}, format="json")
    assert response.status_code == 201, response.json()
    # Open after 28 October 2023: the DfE's rule 217t, a warning with the saved period.
    assert [warning["rule"] for warning in response.json()["dfe_warnings"]] == ["217t"]


def test_an_import_refuses_p2_from_29_october_2023():
    book = _CodeBook()
    assert book.valid("PLACE", "P2", date(2023, 10, 28))
    assert not book.valid("PLACE", "P2", date(2023, 10, 29))
    assert book.valid("PLACE", "P2", date(2024, 4, 1))
    assert book.valid("PLACE", "U6", date(2023, 10, 29))
