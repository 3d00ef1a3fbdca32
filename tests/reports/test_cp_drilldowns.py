"""Every figure has a drill-down, and on the hand-built child protection county of
``test_cp_figures`` the rows behind every child protection figure count to its value, or its
numerator and denominator, for the year, each team and each IRO. A few are worked out by hand
below from that county's description; the drill-down page of the new ones is checked and logged
as every other (the same permissions, the same access log)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from iro_service.audit.models import AccessChannel, AccessLog
from reports.figures import REGISTRY, FigureQuery
from reports.selectors import figure_records
from tests.factories import UserFactory
from tests.reports.drilldowns import WITH_RECORDS, rows_disagree
from tests.reports.test_cp_figures import CP_KEYS, YEAR, build_county

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return build_county()


def test_every_figure_has_a_drill_down():
    assert sorted(REGISTRY) == WITH_RECORDS


@pytest.mark.parametrize("key", CP_KEYS)
def test_the_rows_behind_each_child_protection_figure_count_to_it(county, key):
    wrong = rows_disagree(key, YEAR)
    for filters in (
        {"team_id": county["north"].pk},
        {"team_id": county["south"].pk},
        {"iro_id": county["ann"].pk},
        {"iro_id": county["bob"].pk},
    ):
        wrong += rows_disagree(key, FigureQuery(start=YEAR.start, end=YEAR.end, **filters))
    assert wrong == []


def test_the_stood_down_conference_behind_the_reasons(county):
    # One conference stood down in the year, Dan's 15 Sep 2016 first review: no interpreter.
    rows = figure_records(query=YEAR, key="cp_stood_down_reasons")
    assert [(r["date"], r["reason"], r["child_ids"]) for r in rows] == [
        ("2016-09-15", "no_interpreter", [county["stood_down"].children.get().child_id])
    ]


def test_the_dfe_measure_lists_each_initial_conference_with_its_s47_start(county):
    # conf3 (3 May) has no s47 date: not in time; conf1 (27 Jun) 15 working days: in time; conf2
    # (28 Jun) from Fri 3 Jun, 17: late; conf4 (4 Oct) 10: in time. 2 of 4, as the figure.
    rows = figure_records(query=YEAR, key="icpc_within_15wd_of_s47")
    assert [(r["date"], r["working_days_from_s47"], r["on_time"]) for r in rows] == [
        ("2016-05-03", None, False),
        ("2016-06-27", 15, True),
        ("2016-06-28", 17, False),
        ("2016-10-04", 10, True),
    ]


def test_the_paperwork_rows_say_when_each_report_was_due_and_done(county):
    # Records: of the 8 held conferences only conf1's was distributed (4 Jul, due 11 Jul).
    rows = figure_records(query=YEAR, key="cp_records_on_time")
    assert len(rows) == 8
    assert [(r["date"], r["due"], r["done"]) for r in rows if r["on_time"]] == [
        ("2016-06-27", "2016-07-11", "2016-07-04")
    ]
    # Reports to the chair: conf1's came on the day (due 24 Jun), the other three none: 0 of 4.
    chair = figure_records(query=YEAR, key="icpc_chair_reports_on_time")
    assert len(chair) == 4 and not any(r["on_time"] for r in chair)


def test_the_invitations_behind_agency_attendance(county):
    # Police at conf1 (came), conf2 (did not), conf4 (came); the GP at conf4 (sent a report): four
    # invitations at held conferences, counting 3 + 2 + 0 for the police and 1 + 0 + 1 for the GP.
    rows = figure_records(query=YEAR, key="cp_agency_attendance")
    assert [(r["date"], r["agency"], r["attended"], r["report_submitted"]) for r in rows] == [
        ("2016-06-27", "police", True, False),
        ("2016-06-28", "police", False, False),
        ("2016-10-04", "gp", False, True),
        ("2016-10-04", "police", True, False),
    ]


def test_the_appeals_in_the_period(county):
    # The parent's appeal about conf2 (1 Jul) and Gus's about conf4 (10 Oct); not March 2016's.
    rows = figure_records(query=YEAR, key="cp_appeals")
    assert [(r["received_on"], r["appellant"], r["outcome"]) for r in rows] == [
        ("2016-07-01", "parent_or_carer", "withdrawn"),
        ("2016-10-10", "young_person", "not_upheld"),
    ]
    assert rows[1]["child_id"] == county["gus_plan"].child_id


def test_the_plans_behind_the_last_quarter_end_and_the_children_on_a_plan(county):
    # 31 Mar 2017: Dan, Fay, Gus and Hal on a plan; Gus's (EMO, NEG) has two categories: 1 of 4.
    rows = figure_records(query=YEAR, key="cp_multiple_categories")
    assert len(rows) == 4
    assert [r["plan_id"] for r in rows if r["more_than_one_category"]] == [county["gus_plan"].pk]
    # The same four children; Hal has a learning disability.
    children = figure_records(query=YEAR, key="cp_children_with_disability")
    assert [r["plan_id"] for r in children if r["disability"]] == [county["hal_plan"].pk]
    assert sorted(r["sex"] for r in children) == ["F", "M", "M", "M"]
    # By category: Dan NEG, Fay NEG, Hal PHY, Gus MUL: all four counted.
    assert len(figure_records(query=YEAR, key="cp_categories_at_end")) == 4
    # A quarter with no quarter end in it has no point, and so no rows.
    october = FigureQuery(start=YEAR.start.replace(month=10), end=YEAR.start.replace(month=10, day=31))
    assert figure_records(query=october, key="cp_multiple_categories") == []


def test_a_new_drill_down_page_is_logged_and_refused_as_every_other(client, manager_user, county):
    client.force_login(manager_user)
    url = reverse("reports:dashboard-records", args=["cp_agency_attendance"])
    response = client.get(url, {"year": 2017})
    assert response.status_code == 200
    # The children considered at conf1, conf2 and conf4: Cara, Dan, Gus and Hal, each logged once
    # (Gus and Hal are on two rows: the police and the GP at conf4).
    logged = AccessLog.objects.filter(what="Figure records: cp_agency_attendance")
    shown = {
        child for row in figure_records(query=YEAR, key="cp_agency_attendance") for child in row["child_ids"]
    }
    assert len(shown) == 4
    assert sorted(logged.values_list("child_id", flat=True)) == sorted(shown)
    assert set(logged.values_list("channel", flat=True)) == {AccessChannel.WEB}
    # Each row links to its conference's record, where its children are; the parts are above.
    page = response.content.decode()
    assert page.count('href="/conferences/') >= 4
    assert "police invited" in page
    # Someone who may see the dashboard but not conferences is refused the records.
    user = UserFactory(username="dashboards-only")
    user.user_permissions.add(Permission.objects.get(codename="view_performance_dashboard"))
    client.force_login(user)
    assert client.get(url, {"year": 2017}).status_code == 403
    # The HSB training register's rows are as hidden as the register: 404.
    training = reverse("reports:dashboard-records", args=["hsb_training_completed"])
    assert client.get(training, {"year": 2017}).status_code == 404
