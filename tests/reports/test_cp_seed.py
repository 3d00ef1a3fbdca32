"""The demo county reproduces the child protection rows of docs/seed-figures.md through the
``figures`` command: the figures come out of the demo's records, computed by the figures
service. Where the demo cannot meet the seed exactly (listed in the report of issue 5), the test
pins what it reaches so that a change is noticed."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from conferences import demo as conferences_demo
from iro_service.people import demo as people_demo
from reports.figures import REGISTRY

pytestmark = pytest.mark.django_db

CP_KEYS = ",".join(key for key, f in REGISTRY.items() if f.section == "Child protection")


@pytest.fixture(scope="module")
def figures(django_db_setup, django_db_blocker):
    """The demo's people and conferences, loaded once for the module and rolled back after;
    the figures for 2016-17 and 2015-16 through the command."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            context: dict = {}
            people_demo.load_demo(context=context, stdout=StringIO())
            conferences_demo.load_demo(context=context, stdout=StringIO())
            result = {}
            for year, (start, end) in {
                2016: ("2016-04-01", "2017-03-31"),
                2015: ("2015-04-01", "2016-03-31"),
            }.items():
                out = StringIO()
                call_command("figures", "--start", start, "--end", end, "--keys", CP_KEYS, stdout=out)
                result[year] = json.loads(out.getvalue())["figures"]
            yield result
            transaction.set_rollback(True)


def test_conferences_held_and_by_type_2016_17(figures):
    year = figures[2016]
    by_type = year["cp_conferences_by_type"]["value"]
    # Seed 6.1, met exactly for the common types.
    assert {key: by_type[key] for key in SEED_2016_EXACT} == SEED_2016_EXACT
    # Gaps: the seed has 249 1st reviews, 1 "1st Review / Pre-birth Initial", 10 "Review / 1st
    # Review" and 1 "Subsequent Review / Initial" (907 in all); the demo reaches these.
    assert {key: by_type[key] for key in REACHED_2016} == REACHED_2016
    assert year["cp_conferences_held"]["value"] == sum(by_type.values()) == 910


SEED_2016_EXACT = {
    "initial": 230,
    "initial_pre_birth": 54,
    "initial_and_pre_birth": 18,
    "initial_receiving_in": 14,
    "initial_reconvened": 0,
    "first_review_and_initial": 1,
    "review_and_pre_birth": 6,
    "review": 323,
}
REACHED_2016 = {
    "first_review": 253,
    "first_review_and_pre_birth": 2,
    "review_and_first_review": 7,
    "review_and_initial": 2,
}


def test_conferences_held_2015_16(figures):
    by_type = figures[2015]["cp_conferences_by_type"]["value"]
    # Seed 6.1 for 2015-16, exactly but for 3 "1st Review / Pre-birth Initial" and 1
    # "Subsequent Review / Initial" the seed does not have (821 held against the seed's 817).
    assert by_type == {
        "initial": 162,
        "initial_pre_birth": 35,
        "initial_and_pre_birth": 18,
        "initial_receiving_in": 19,
        "initial_reconvened": 0,
        "first_review": 220,
        "first_review_and_pre_birth": 3,
        "first_review_and_initial": 0,
        "review_and_pre_birth": 4,
        "review_and_first_review": 3,
        "review_and_initial": 1,
        "review": 356,
    }


def test_plans_at_the_year_ends_and_the_quarter_ends(figures):
    assert figures[2016]["cp_plans_at_end"]["value"] == 434
    assert figures[2015]["cp_plans_at_end"]["value"] == 347
    points = figures[2016]["cp_multiple_categories"]["value"]
    assert [p["denominator"] for p in points] == [347, 374, 419, 434]
    assert [p["numerator"] for p in points] == [23, 32, 34, 20]
    assert [p["value"] for p in points] == [6.6, 8.6, 8.1, 4.6]
    earlier = figures[2015]["cp_multiple_categories"]["value"]
    assert [p["denominator"] for p in earlier] == [343, 327, 339, 347]
    # Seed: 156, 169, 93, 31. The demo's plans keep their categories for life, so the fall to
    # 31 by March 2016 is only approached.
    assert [p["numerator"] for p in earlier] == [156, 168, 93, 46]


def test_children_by_age_on_31_march_2017(figures):
    # 29, 163, 133, 98, 11 of 434: 6.7%, 37.6%, 30.6%, 22.6%, 2.5% (the seed's 30.7% and 2.4%
    # are not a whole number of 434 children).
    assert figures[2016]["cp_children_by_age"]["value"] == {
        "unborn": 29,
        "0-4": 163,
        "5-9": 133,
        "10-15": 98,
        "16+": 11,
    }


def test_stood_down_timeliness_reports_repeats_and_appeals(figures):
    year = figures[2016]
    assert year["cp_conferences_stood_down"]["numerator"] == 19
    assert year["cp_stood_down_reasons"]["value"] == {
        "agency_non_attendance": 5,
        "transferring_authority_absent": 2,
        "late_or_incomplete_report": 2,
        "family_not_prepared": 2,
        "social_worker_unavailable": 3,
        "no_interpreter": 2,
        "unsafe_to_continue": 2,
        "other": 1,
    }
    assert year["icpc_on_time"]["value"] == 96.4
    # Seed "83%": 150 of 180 would be 83.3%, 149 of 180 is 82.8% (83% to the nearest whole).
    assert figures[2015]["icpc_on_time"]["value"] == 82.8
    assert year["rcpc_on_time"]["value"] == 100.0
    assert year["icpc_parent_reports_on_time"]["value"] == 49.4
    assert year["rcpc_reports_on_time"]["value"] == 42.3
    assert year["cp_repeat_plans"]["value"] == 18.7
    appeals = year["cp_appeals"]["value"]
    assert appeals["young_person"]["total"] == 7 and appeals["young_person"]["upheld"] == 0
    assert appeals["parent_or_carer"]["total"] == 2
    assert appeals["parent_or_carer"]["resolved"] == 1 and appeals["parent_or_carer"]["withdrawn"] == 1
    assert appeals["parent_or_carer"]["stage_2_or_3"] == 1
    assert appeals["professional"] == {**appeals["professional"], "total": 1, "resolved": 1}
