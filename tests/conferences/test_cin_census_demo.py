"""End to end on the demo county: its CIN census for four years, exported and imported into a
system that has lost its child protection records, gives back the 2016-17 plan figures.

The census records children, not households, so each child's conference comes back as a
conference of its own: counts of conferences, and timeliness measured per conference, are not
expected to match (the README says so); everything measured per child or per plan is. It also
covers the export of an initial conference for a child brought to a sibling's conference with
no section 47 enquiry of its own (without it, that child's first review would have no previous
conference and no due date)."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from conferences.cin_census import export_cin_census, import_cin_census
from conferences.models import (
    REVIEW_STAGES,
    Appeal,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    Section47Enquiry,
    StrategyDiscussion,
)

pytestmark = pytest.mark.django_db

SAME = (
    "cp_plans_at_end,cp_plans_started,cp_plans_ended,cp_repeat_plans,cp_categories_at_end,cp_children_by_age"
)
YEARS = range(2014, 2018)  # the demo's child protection records start in July 2013


@pytest.fixture(scope="module")
def demo_census(demo_database, django_db_blocker, tmp_path_factory):
    """The demo county (loaded once per run, tests/conftest.py), its census written once; the
    export history is rolled back with the module."""
    folder = tmp_path_factory.mktemp("census")
    with django_db_blocker.unblock():
        for year in YEARS:
            export_cin_census(year=year, destination=folder / f"cin-{year}.xml")
    return folder


def figures(keys: str) -> dict:
    out = StringIO()
    call_command("figures", "--start", "2016-04-01", "--end", "2017-03-31", "--keys", keys, stdout=out)
    return {
        key: (value["value"], value.get("numerator"), value.get("denominator"))
        for key, value in json.loads(out.getvalue())["figures"].items()
    }


def test_four_years_of_census_give_back_the_plan_figures(demo_census):
    before = figures(SAME)
    # The seed's 2016-17 figures the demo reproduces: 434 plans at 31 March 2017, repeat plans
    # 18.7%, review conferences 100% in time.
    assert before["cp_plans_at_end"][0] == 434
    assert before["cp_repeat_plans"][0] == 18.7
    assert figures("rcpc_on_time")["rcpc_on_time"] == (100.0, 591, 591)
    # Counted from the records, not the figures service: the children at a review stage of the
    # conferences held in the year, each of which comes back as a child conference.
    review_children = ConferenceChild.objects.filter(
        conference__status=ConferenceStatus.HELD,
        conference__date__range=(date(2016, 4, 1), date(2017, 3, 31)),
        stage__in=REVIEW_STAGES,
    ).count()
    # The system loses its child protection records: emptied in one statement, as a restore
    # into a fresh database would leave them, rather than deleted row by row with a history
    # row for each (the demo carried on to today holds some 14,000 conferences).
    tables = [
        model._meta.db_table
        for model in (Appeal, ChildProtectionPlan, Conference, Section47Enquiry, StrategyDiscussion)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
    assert not Conference.objects.exists()
    assert figures("cp_plans_at_end")["cp_plans_at_end"][0] == 0
    for year in YEARS:
        path = demo_census / f"cin-{year}.xml"
        import_cin_census(path, name=path.name)
    assert figures(SAME) == before
    # Review conferences: the demo's 591 family conferences come back as one conference per
    # child at a review stage, every one still in time.
    assert figures("rcpc_on_time")["rcpc_on_time"] == (100.0, review_children, review_children)
