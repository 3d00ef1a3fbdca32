"""The DfE's own validation rules (csc-validator-be-903 and csc-validator-be-cin) run on every
import and export, in their own virtual environment: what they find is listed with the DfE's
rule codes as warnings, and never stops an import or an export.

These tests run the real validators (``make install`` puts them in .venv-dfe); the rest of the
suite runs with them switched off (DFE_RULES in the test settings), since each run takes a few
seconds."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from iro_service.audit.models import AccessChannel, AccessLog, DataExchange
from iro_service.core.dfe import CIN_CENSUS, SSDA903, dfe_rules_run, ruleset_for
from iro_service.people.models import Child
from reviews.models import LacReview
from reviews.ssda903.tables import EPISODES_COLUMNS, HEADER_COLUMNS, REVIEWS_COLUMNS
from tests.reviews.test_ssda903 import EPISODE_ROWS, HEADER_ROWS, REVIEW_ROWS, _csv, write_return

pytestmark = pytest.mark.django_db

CENSUS = Path(__file__).parents[1] / "conferences" / "data" / "cin_2017_small.xml"


@pytest.fixture
def dfe_rules(settings):
    settings.DFE_RULES = True
    assert Path(settings.DFE_VALIDATOR_PYTHON).exists(), "the DfE's validators are made by `make install`"


def uploads():
    return {
        "ssda903-header": SimpleUploadedFile("header.csv", _csv(HEADER_COLUMNS, HEADER_ROWS).encode()),
        "ssda903-episodes": SimpleUploadedFile("episodes.csv", _csv(EPISODES_COLUMNS, EPISODE_ROWS).encode()),
        "ssda903-reviews": SimpleUploadedFile("reviews.csv", _csv(REVIEWS_COLUMNS, REVIEW_ROWS).encode()),
    }


def test_the_ruleset_is_the_return_years_or_the_nearest_published():
    assert ruleset_for(SSDA903, 2017) == "lac2022_23"  # before the first the DfE's packages ship
    assert ruleset_for(SSDA903, 2025) == "lac2024_25"
    assert ruleset_for(CIN_CENSUS, 2026) == "cin2025_26"
    assert ruleset_for(CIN_CENSUS, 2031) == "cin2026_27"  # beyond the newest: the newest


def test_switched_off_the_rules_do_not_run(settings):
    settings.DFE_RULES = False
    assert dfe_rules_run(return_kind=SSDA903, year=2017, files={}) is None


def test_validators_missing_are_said_in_plain_words(settings, tmp_path):
    settings.DFE_RULES = True
    settings.DFE_VALIDATOR_PYTHON = str(tmp_path / "no-such-python")
    result = dfe_rules_run(return_kind=SSDA903, year=2017, files={})
    assert "The DfE's validators are not installed" in result.error
    assert not result.ran


def test_an_uploaded_return_with_known_errors_shows_each_with_the_dfes_code(
    client, manager_user, dfe_rules, django_capture_on_commit_callbacks
):
    """The hand-made return of tests/reviews/test_ssda903.py passes the project's checks and is
    imported, but breaks DfE rules, worked out from its rows:
    - 442 (UPN not completed): child A1's UPN is blank (header line 2); A2 and A3 have one;
    - 225 (reason for placement change): A1's first episode ends with a placement change (the
      next starts with RNE P) and gives no reason (episodes line 2);
    - 390 (adopted, never placed for adoption): A2's episode ceased E11 with no A-placement
      (episodes line 4);
    - 393 (looked after, MOTHER blank): A2 is a girl with MOTHER blank (header line 3).
    """
    client.force_login(manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:returns-import-903"), uploads())
    run = DataExchange.objects.get()
    assert run.outcome == "imported"  # the DfE's rules only warn
    assert LacReview.objects.count() == 5
    assert run.dfe_summary["ruleset"] == "lac2022_23"  # the reviews end in 2016-17
    assert run.dfe_summary["package"] == "csc-validator-be-903"
    found = {(f["rule"], f["file"], f["row"], f["child"]) for f in run.dfe_findings}
    assert {
        ("442", "header.csv", 0, "A1"),
        ("225", "episodes.csv", 0, "A1"),
        ("390", "episodes.csv", 2, "A2"),
        ("393", "header.csv", 1, "A2"),
    } <= found
    page = client.get(response["Location"]).content.decode()
    assert "The return was imported." in page
    assert "the 2022-23 ruleset" in page
    for code, message in [
        ("442", "Unique Pupil Number (UPN) field is not completed."),
        ("225", "Reason for placement change must be recorded."),
        ("390", "Reason episode ceased is adopted but child has not been previously placed for adoption."),
    ]:
        assert f'<th scope="row" class="govuk-table__header">{code}</th>' in page
        assert message in page
    assert "What they find is a warning: it did not stop the import." in page
    history = client.get(reverse("reports:returns")).content.decode()
    assert "2022-23 ruleset, csc-validator-be-903" in history


def test_a_rejected_import_still_lists_what_the_dfe_rules_find(
    client, manager_user, dfe_rules, django_capture_on_commit_callbacks
):
    episodes = [list(row) for row in EPISODE_ROWS]
    episodes[0][3] = "ZZ"  # not a legal status: the project's own check rejects the file
    files = uploads()
    files["ssda903-episodes"] = SimpleUploadedFile("episodes.csv", _csv(EPISODES_COLUMNS, episodes).encode())
    client.force_login(manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:returns-import-903"), files)
    run = DataExchange.objects.get()
    assert run.outcome == "rejected"
    assert Child.objects.count() == 0
    assert "442" in {finding["rule"] for finding in run.dfe_findings}


def test_an_uploaded_cin_census_is_checked_with_its_years_rules(
    client, manager_user, dfe_rules, django_capture_on_commit_callbacks
):
    client.force_login(manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:returns-import-cin"),
            {"cin-census": SimpleUploadedFile("cin-2017.xml", CENSUS.read_bytes())},
        )
    run = DataExchange.objects.get()
    assert run.outcome == "imported"
    assert (run.dfe_summary["package"], run.dfe_summary["ruleset"]) == ("csc-validator-be-cin", "cin2022_23")
    assert run.dfe_summary["error"] == ""
    page = client.get(response["Location"]).content.decode()
    assert "csc-validator-be-cin" in page
    for rule in run.dfe_summary["failing_rules"]:
        assert f'<th scope="row" class="govuk-table__header">{rule["rule"]}</th>' in page


def test_a_2025_26_census_export_gives_the_sex_the_2025_26_rules_ask_for(dfe_rules):
    """Rule 4180 (sex M, F or U) and rule 8750 (U for an unborn child) read Sex from the 2024-25
    rules on: the export of a boy, a girl and an unborn child for 2025-26 fails neither."""
    from conferences.cin_census import export_cin_census, import_cin_census
    from tests.conferences.test_cin_census import three_children

    import_cin_census(io.BytesIO(three_children(2026)), name="three.xml")  # no header: not checked

    summary = export_cin_census(year=2026, destination=io.BytesIO()).exchange.dfe_summary

    assert (summary["ruleset"], summary["error"]) == ("cin2025_26", "")
    failing = {rule["rule"] for rule in summary["failing_rules"]}
    assert not failing & {"4180", "8750"}, failing


def test_an_export_that_fails_rules_shows_them_before_the_download(client, manager_user, dfe_rules, tmp_path):
    """The same return imported (without the rules), then exported from the page: the export
    fails the same rules, so the page lists them, with the spreadsheet and the button that
    downloads the file as it is."""
    from reviews.ssda903 import import_903

    import_903({name: path for name, path in _files(write_return(tmp_path / "in")).items()})
    client.force_login(manager_user)
    response = client.post(
        reverse("reports:returns-export"), {"export-data_format": "ssda903", "export-year": "2017"}
    )
    export = DataExchange.objects.get(direction="export")
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:returns-detail", args=[export.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Download the return as it is" in page
    assert '<th scope="row" class="govuk-table__header">442</th>' in page

    spreadsheet = client.get(reverse("reports:returns-dfe-csv", args=[export.pk]))
    rows = list(csv.reader(io.StringIO(spreadsheet.content.decode("utf-8-sig"))))
    assert rows[0] == ["Rule", "DfE message", "File", "Where", "Child", "Fields"]
    assert [
        "442",
        "Unique Pupil Number (UPN) field is not completed.",
        "header.csv",
        "Line 2",
        "A1",
        "UPN",
    ] in rows
    assert len(rows) == 1 + export.dfe_summary["finding_count"]
    # It names children: each is in the access log as a download.
    logged = AccessLog.objects.filter(channel=AccessChannel.EXPORT, what__startswith="DfE rule failures")
    assert set(logged.values_list("child__local_child_id", flat=True)) <= {"A1", "A2", "A3"}
    assert logged.filter(child__local_child_id="A1").exists()

    download = client.post(
        reverse("reports:returns-export"),
        {"export-data_format": "ssda903", "export-year": "2017", "export-after_check": "on"},
    )
    assert download["Content-Disposition"] == 'attachment; filename="ssda903-2017.zip"'
    assert sorted(zipfile.ZipFile(io.BytesIO(download.content)).namelist()) == [
        "episodes.csv",
        "header.csv",
        "reviews.csv",
    ]


def test_the_export_command_lists_failing_rules_and_check_exits_3(dfe_rules, tmp_path):
    from reviews.ssda903 import import_903

    import_903(_files(write_return(tmp_path / "in")))
    out = io.StringIO()
    call_command(
        "export_903",
        "--year",
        "2017",
        str(tmp_path / "out"),
        "--dfe-rules-csv",
        str(tmp_path / "f.csv"),
        stdout=out,
    )
    text = out.getvalue()
    assert "DfE rules: the 2022-23 ruleset of csc-validator-be-903" in text
    assert "Unique Pupil Number (UPN) field is not completed." in text
    assert (tmp_path / "f.csv").read_text().startswith("Rule,DfE message,File,Where,Child,Fields")
    with pytest.raises(CommandError) as stopped:
        call_command("export_903", "--year", "2017", str(tmp_path / "again"), "--check", stdout=io.StringIO())
    assert stopped.value.returncode == 3


def _files(folder: Path) -> dict[str, Path]:
    return {path.name: path for path in folder.iterdir()}
