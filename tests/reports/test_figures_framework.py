"""The figures service's request handling, shapes and the people figures, through the command
and the API (which must return the same JSON)."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports.figures.base import month_ends, quarter_ends, rate, sub_periods
from tests.factories import StaffMemberFactory, TeamFactory

pytestmark = pytest.mark.django_db

YEAR = {"start": "2016-04-01", "end": "2017-03-31"}


@pytest.fixture
def iro_service():
    """North: 1.00 + 0.60 in post on 31 March 2017; South: 0.66 in post, 1.00 who left on
    30 March 2017, and 1.00 who starts on 1 April 2017 (neither counts)."""
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    StaffMemberFactory(team=north, fte=Decimal("1.00"))
    StaffMemberFactory(team=north, fte=Decimal("0.60"))
    kept = StaffMemberFactory(team=south, fte=Decimal("0.66"))
    StaffMemberFactory(team=south, fte=Decimal("1.00"), end_date=date(2017, 3, 30))
    StaffMemberFactory(team=south, fte=Decimal("1.00"), start_date=date(2017, 4, 1))
    return {"north": north, "south": south, "kept": kept}


def run_command(*args):
    out = StringIO()
    call_command("figures", *args, stdout=out)
    return json.loads(out.getvalue())


def test_iro_fte_at_end_counts_only_iros_in_post_on_the_end_date(iro_service):
    # 1.00 + 0.60 + 0.66 = 2.26, shown to 1 dp as 2.3 with the exact sum alongside.
    figures = run_command("--start", "2016-04-01", "--end", "2017-03-31", "--keys", "iro_fte_at_end")
    assert figures["figures"]["iro_fte_at_end"] == {"value": 2.3, "unit": "count", "exact": 2.26}
    # North only: 1.00 + 0.60 = 1.6.
    north = run_command(
        "--start",
        "2016-04-01",
        "--end",
        "2017-03-31",
        "--keys",
        "iro_fte_at_end",
        "--team",
        str(iro_service["north"].pk),
    )
    assert north["figures"]["iro_fte_at_end"]["exact"] == 1.6
    assert north["filters"] == {"team": iro_service["north"].pk, "iro": None}


def test_the_command_and_the_api_return_the_same_json(iro_service, token_client):
    from_command = run_command("--start", "2016-04-01", "--end", "2017-03-31")
    from_api = token_client("figures").get("/api/v1/figures/", YEAR).json()
    assert from_api == from_command


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "2016-13-01", "end": "2017-03-31"}, "start", "start must be a date like 2016-04-01"),
        ({"end": "2017-03-31"}, "start", "start is required"),
        ({"start": "2017-04-01", "end": "2017-03-31"}, "end", "end must be on or after start."),
        ({**YEAR, "keys": "iro_fte_at_end,nonsense"}, "keys", "Unknown figure key(s): nonsense."),
        ({**YEAR, "team": "north"}, "team", "team must be a number"),
        ({**YEAR, "team": "999999"}, "team", "There is no team with id 999999."),
        ({**YEAR, "iro": "999999"}, "iro", "There is no IRO with id 999999."),
        ({"start": "2000-01-01", "end": "2017-03-31"}, "end", "at most 10 years"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(token_client, params, field, message):
    response = token_client("figures").get("/api/v1/figures/", params)
    assert response.status_code == 400
    assert field in response.json()
    assert message in response.json()[field][0]


def test_the_command_rejects_bad_arguments_in_one_line():
    with pytest.raises(CommandError, match="end must be on or after start"):
        run_command("--start", "2017-04-01", "--end", "2017-03-31")


def test_series_gives_the_figure_at_each_quarter(iro_service, token_client):
    body = (
        token_client("figures")
        .get("/api/v1/figures/iro_fte_at_end/series/", {**YEAR, "interval": "quarter"})
        .json()
    )
    assert [(p["start"], p["end"]) for p in body["points"]] == [
        ("2016-04-01", "2016-06-30"),
        ("2016-07-01", "2016-09-30"),
        ("2016-10-01", "2016-12-31"),
        ("2017-01-01", "2017-03-31"),
    ]
    # In post on 30 June 2016: all but the one starting in April 2017: 1 + 0.6 + 0.66 + 1 = 3.26.
    assert body["points"][0]["figure"]["exact"] == 3.26
    assert body["points"][-1]["figure"]["exact"] == 2.26
    bad = token_client("figures").get("/api/v1/figures/iro_fte_at_end/series/", {**YEAR, "interval": "week"})
    assert bad.status_code == 400 and "interval" in bad.json()


def test_drill_down_lists_the_iros_behind_the_figure(iro_service, token_client):
    body = token_client("figures", "read").get("/api/v1/figures/iro_fte_at_end/records/", YEAR).json()
    assert body["count"] == 3
    assert sorted(row["fte"] for row in body["results"]) == [0.6, 0.66, 1.0]


def test_catalogue_lists_every_key(token_client):
    keys = {entry["key"] for entry in token_client("figures").get("/api/v1/figures/keys/").json()}
    assert "iro_fte_at_end" in keys


def test_unknown_key_in_the_path_is_400(token_client):
    response = token_client("figures").get("/api/v1/figures/nonsense/series/", YEAR)
    assert response.status_code == 400


def test_shapes():
    assert rate(1398, 1404) == {"value": 99.6, "numerator": 1398, "denominator": 1404, "unit": "%"}
    assert rate(0, 0)["value"] is None
    # 2/3 = 66.666...% rounds half up to 66.7; 1/8 = 12.5% stays 12.5.
    assert rate(2, 3)["value"] == 66.7 and rate(1, 8)["value"] == 12.5
    assert month_ends(date(2016, 9, 15), date(2016, 12, 31)) == [
        date(2016, 9, 30),
        date(2016, 10, 31),
        date(2016, 11, 30),
        date(2016, 12, 31),
    ]
    assert quarter_ends(date(2016, 4, 1), date(2017, 3, 31)) == [
        date(2016, 6, 30),
        date(2016, 9, 30),
        date(2016, 12, 31),
        date(2017, 3, 31),
    ]
    assert sub_periods(date(2016, 4, 15), date(2016, 6, 10), "month") == [
        (date(2016, 4, 15), date(2016, 4, 30)),
        (date(2016, 5, 1), date(2016, 5, 31)),
        (date(2016, 6, 1), date(2016, 6, 10)),
    ]


def test_schema_is_valid_and_documents_the_figures_endpoint(token_client):
    # The schema needs a sign-in or a token (tests/api/test_schema_access.py).
    schema = (
        token_client("figures").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    )
    assert "/api/v1/figures/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]
