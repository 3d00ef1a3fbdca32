"""The child protection figures (docs/figures.md, "Child protection" table) against a small
county built by hand. Every expected value is worked out in a comment from the fixture below,
never with the code under test.

The county, 2016-17 (no bank holidays fall between 21 April and 1 May or in June 2016; 2 May
2016 is a bank holiday). Team North: IRO Ann; team South: IRO Bob.

Family F1 (Ann):
  conf1   Mon 27 Jun 2016, Initial. Strategy discussion Mon 6 Jun: 15 working days later is
          27 Jun, so held exactly on its due date (on time). s47 started 6 Jun (on time).
          Report to parents Thu 23 Jun (due 2 WD before: 23 Jun, in time); to chair on the
          day (due 24 Jun: late). Record completed 27 Jun, distributed 4 Jul (due 10 WD after:
          11 Jul, in time). Cara: plan started [NEG].
  conf1r  Tue 20 Sep 2016, 1st Review (due 27 Jun + 3 months = 27 Sep: on time). Report to
          parents Thu 15 Sep (due 3 WD before: 15 Sep, in time). Same chair as conf1. Cara's
          plan ended: 27 Jun to 20 Sep, started and ended in the period, under 3 months.
Family F2 (Bob):
  conf2   Tue 28 Jun 2016, Initial. Strategy discussion 6 Jun (due 27 Jun: a day late). s47
          started Fri 3 Jun (17 WD before: late). Report to parents on the day. Dan: plan
          started [NEG], born 1 Apr 2012 (4 on 31 Mar 2017: turns 5 the next day).
  sd      Thu 15 Sep 2016, 1st Review stood down on the day (no interpreter), rearranged as
  conf2r  Thu 29 Sep 2016, 1st Review: due 28 Jun + 3 months = 28 Sep: late. Same chair.
          Dan's plan continues.
Family F3 (Bob, then Ann):
  conf3   Tue 3 May 2016, Initial. Strategy discussion Wed 20 Apr: 15 WD (skipping the 2 May
          bank holiday) is Thu 12 May: on time. No s47 date recorded. No reports recorded.
          Eve: plan started [EMO, PHY] (more than one category).
  conf3b  Thu 28 Jul 2016, 1st Review / Pre-birth Initial (a combined type). Eve at 1st review
          (due 3 Aug: on time), plan continues; her unborn sibling Fay (expected 20 May 2017)
          at the pre-birth initial stage: plan started [NEG]. Same chair as conf3.
  conf3c  Thu 26 Jan 2017, Subsequent Review chaired by Ann (Bob chaired conf3b: not the same).
          Eve (due 28 Jul + 6 months = 28 Jan 2017: on time): plan ended.
Family F4 (Ann):
  conf4   Tue 4 Oct 2016, Initial. Strategy discussion Tue 20 Sep, due 11 Oct: on time. s47
          started 20 Sep (10 WD: in time). Report to parents Fri 30 Sep (due 30 Sep, in time).
          Gus (born 31 Mar 2007: 10 on 31 Mar 2017): plan started [EMO, NEG]; he had a plan
          10 Jan 2013 - 20 May 2013 (ended more than 2 years before: a repeat, not within 2 years).
          Hal (born 15 Jun 2000: 16): plan started [PHY]; he had a plan 1 Jun 2015 - 30 Nov 2015
          (a repeat within 2 years).
Appeals: Gus (young person) about conf4 received 10 Oct 2016, not upheld; a parent about conf2
received 1 Jul 2016, withdrew at stage 2; a young person's appeal received 1 Mar 2016 (before the
period, not counted).
"""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conferences.models import (
    AgencyInvitation,
    Appeal,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    Section47Enquiry,
    StrategyDiscussion,
)
from conferences.services import conference_due_dates_refresh
from iro_service.audit.models import AccessLog
from reports.figures import REGISTRY, FigureQuery
from reports.selectors import figure_records
from tests.factories import ChildFactory, FamilyFactory, StaffMemberFactory, TeamFactory

pytestmark = pytest.mark.django_db

YEAR = FigureQuery(start=date(2016, 4, 1), end=date(2017, 3, 31))
CP_KEYS = [key for key, f in REGISTRY.items() if f.section == "Child protection"]


def _conference(family, kind, on, chair, *, status="held", discussion=None, **fields):
    return Conference.objects.create(
        family=family,
        conference_type=kind,
        date=on,
        chair=chair,
        status=status,
        strategy_discussion=discussion,
        **fields,
    )


def _link(conference, child, stage, outcome=""):
    ConferenceChild.objects.create(conference=conference, child=child, stage=stage, outcome=outcome)


def _discussion(family, on, s47=None, children=()):
    discussion = StrategyDiscussion.objects.create(family=family, date=on)
    for child in children:
        Section47Enquiry.objects.create(strategy_discussion=discussion, child=child, start_date=s47)
    return discussion


def build_county(prefix: str = "") -> dict:
    north, south = TeamFactory(name=f"{prefix}North"), TeamFactory(name=f"{prefix}South")
    ann = StaffMemberFactory(team=north, first_name="Ann")
    bob = StaffMemberFactory(team=south, first_name="Bob")

    f1 = FamilyFactory()
    cara = ChildFactory(first_name="Cara", date_of_birth=date(2011, 1, 1))
    d1 = _discussion(f1, date(2016, 6, 6), date(2016, 6, 6), [cara])
    conf1 = _conference(
        f1,
        "initial",
        date(2016, 6, 27),
        ann,
        discussion=d1,
        report_to_parents_on=date(2016, 6, 23),
        report_to_chair_on=date(2016, 6, 27),
        record_completed_on=date(2016, 6, 27),
        record_distributed_on=date(2016, 7, 4),
    )
    _link(conf1, cara, "initial", "plan_started")
    conf1r = _conference(f1, "first_review", date(2016, 9, 20), ann, report_to_parents_on=date(2016, 9, 15))
    _link(conf1r, cara, "first_review", "plan_ended")
    ChildProtectionPlan.objects.create(
        child=cara,
        start_conference=conf1,
        start_date=conf1.date,
        categories=["NEG"],
        end_conference=conf1r,
        end_date=conf1r.date,
        end_reason="no_longer_at_risk",
    )

    f2 = FamilyFactory()
    dan = ChildFactory(first_name="Dan", date_of_birth=date(2012, 4, 1), sex="M")
    d2 = _discussion(f2, date(2016, 6, 6), date(2016, 6, 3), [dan])
    conf2 = _conference(
        f2, "initial", date(2016, 6, 28), bob, discussion=d2, report_to_parents_on=date(2016, 6, 28)
    )
    _link(conf2, dan, "initial", "plan_started")
    conf2r = _conference(f2, "first_review", date(2016, 9, 29), bob)
    _link(conf2r, dan, "first_review", "plan_continued")
    stood_down = _conference(
        f2,
        "first_review",
        date(2016, 9, 15),
        bob,
        status="stood_down",
        stood_down_reason="no_interpreter",
        stood_down_detail="No Tigrinya interpreter",
        rearranged_as=conf2r,
    )
    _link(stood_down, dan, "first_review")
    ChildProtectionPlan.objects.create(
        child=dan, start_conference=conf2, start_date=conf2.date, categories=["NEG"]
    )

    f3 = FamilyFactory()
    eve = ChildFactory(first_name="Eve", date_of_birth=date(2009, 2, 2))
    fay = ChildFactory(first_name="Fay", date_of_birth=None, expected_date_of_birth=date(2017, 5, 20))
    d3 = _discussion(f3, date(2016, 4, 20))
    conf3 = _conference(f3, "initial", date(2016, 5, 3), bob, discussion=d3)
    _link(conf3, eve, "initial", "plan_started")
    conf3b = _conference(f3, "first_review_and_pre_birth", date(2016, 7, 28), bob)
    _link(conf3b, eve, "first_review", "plan_continued")
    _link(conf3b, fay, "initial_pre_birth", "plan_started")
    conf3c = _conference(f3, "review", date(2017, 1, 26), ann)
    _link(conf3c, eve, "review", "plan_ended")
    ChildProtectionPlan.objects.create(
        child=eve,
        start_conference=conf3,
        start_date=conf3.date,
        categories=["EMO", "PHY"],
        end_conference=conf3c,
        end_date=conf3c.date,
        end_reason="no_longer_at_risk",
    )
    ChildProtectionPlan.objects.create(
        child=fay, start_conference=conf3b, start_date=conf3b.date, categories=["NEG"]
    )

    f4 = FamilyFactory()
    gus = ChildFactory(first_name="Gus", date_of_birth=date(2007, 3, 31), sex="M", ethnicity="MWBC")
    hal = ChildFactory(first_name="Hal", date_of_birth=date(2000, 6, 15), sex="M", disabilities=["LD"])
    d4 = _discussion(f4, date(2016, 9, 20), date(2016, 9, 20), [gus, hal])
    conf4 = _conference(
        f4, "initial", date(2016, 10, 4), ann, discussion=d4, report_to_parents_on=date(2016, 9, 30)
    )
    _link(conf4, gus, "initial", "plan_started")
    _link(conf4, hal, "initial", "plan_started")
    ChildProtectionPlan.objects.create(
        child=gus,
        start_date=date(2013, 1, 10),
        categories=["NEG"],
        end_date=date(2013, 5, 20),
        end_reason="no_longer_at_risk",
    )
    ChildProtectionPlan.objects.create(
        child=hal,
        start_date=date(2015, 6, 1),
        categories=["NEG"],
        end_date=date(2015, 11, 30),
        end_reason="no_longer_at_risk",
    )
    gus_plan = ChildProtectionPlan.objects.create(
        child=gus, start_conference=conf4, start_date=conf4.date, categories=["EMO", "NEG"]
    )
    hal_plan = ChildProtectionPlan.objects.create(
        child=hal, start_conference=conf4, start_date=conf4.date, categories=["PHY"]
    )

    for conference, attended in ((conf1, True), (conf2, False), (conf4, True)):
        AgencyInvitation.objects.create(conference=conference, agency="police", attended=attended)
    AgencyInvitation.objects.create(conference=conf4, agency="gp", attended=False, report_submitted=True)
    AgencyInvitation.objects.create(conference=stood_down, agency="gp")  # not held: not counted

    Appeal.objects.create(
        conference=conf4,
        child=gus,
        appellant="young_person",
        received_on=date(2016, 10, 10),
        outcome="not_upheld",
    )
    Appeal.objects.create(
        conference=conf2,
        appellant="parent_or_carer",
        received_on=date(2016, 7, 1),
        stage=2,
        outcome="withdrawn",
    )
    Appeal.objects.create(
        conference=conf2, appellant="young_person", received_on=date(2016, 3, 1), outcome="not_upheld"
    )
    conference_due_dates_refresh()
    return {
        "north": north,
        "south": south,
        "ann": ann,
        "bob": bob,
        "conf2": conf2,
        "conf2r": conf2r,
        "stood_down": stood_down,
        "gus_plan": gus_plan,
        "hal_plan": hal_plan,
    }


@pytest.fixture
def county():
    return build_county()


def compute(key, query=YEAR):
    return REGISTRY[key].compute(query)


def value(key, query=YEAR):
    return compute(key, query)["value"]


def test_every_key_of_the_child_protection_table_is_registered():
    expected = {
        "cp_conferences_held",
        "cp_conferences_by_type",
        "cp_conferences_stood_down",
        "cp_stood_down_reasons",
        "icpc_on_time",
        "icpc_within_15wd_of_s47",
        "rcpc_on_time",
        "cp_plans_at_end",
        "cp_plans_started",
        "cp_plans_ended",
        "cp_repeat_plans",
        "cp_repeat_plans_2y",
        "cp_multiple_categories",
        "cp_plans_ended_under_3_months",
        "cp_plans_ended_2_years_plus",
        "cp_plans_open_9_months_plus",
        "cp_plans_open_2_years_plus",
        "cp_children_by_age",
        "cp_children_by_sex",
        "cp_children_by_ethnicity",
        "cp_children_with_disability",
        "cp_categories_at_end",
        "icpc_parent_reports_on_time",
        "icpc_chair_reports_on_time",
        "rcpc_reports_on_time",
        "cp_records_on_time",
        "cp_chair_continuity",
        "cp_agency_attendance",
        "cp_appeals",
    }
    assert expected <= set(CP_KEYS)


def test_conferences_held_by_type_with_the_combined_type_under_its_own_name(county):
    # Held: conf1, conf1r, conf2, conf2r, conf3, conf3b, conf3c, conf4 = 8 (not the stood-down one).
    assert value("cp_conferences_held") == 8
    by_type = value("cp_conferences_by_type")
    # Initial: conf1, conf2, conf3, conf4; 1st Review: conf1r, conf2r; the combined conf3b on its
    # own; Subsequent Review: conf3c.
    assert by_type["initial"] == 4
    assert by_type["first_review"] == 2
    assert by_type["first_review_and_pre_birth"] == 1
    assert by_type["review"] == 1
    assert sum(by_type.values()) == 8


def test_a_stood_down_conference_is_a_rate_over_held_plus_stood_down(county):
    # 1 stood down / (8 held + 1) = 11.11% -> 11.1.
    assert compute("cp_conferences_stood_down") == {
        "value": 11.1,
        "numerator": 1,
        "denominator": 9,
        "unit": "%",
    }
    assert value("cp_stood_down_reasons")["no_interpreter"] == 1
    assert sum(value("cp_stood_down_reasons").values()) == 1
    rows = figure_records(query=YEAR, key="cp_conferences_stood_down")
    assert [(r["date"], r["reason"], r["rearranged_to"]) for r in rows] == [
        ("2016-09-15", "no_interpreter", "2016-09-29")
    ]


def test_initial_conference_timeliness_counts_a_conference_on_its_due_date_as_on_time(county):
    # conf1 on its due date (on time), conf2 a day late, conf3 on time, conf4 on time: 3/4 = 75%.
    assert compute("icpc_on_time") == {"value": 75.0, "numerator": 3, "denominator": 4, "unit": "%"}
    rows = figure_records(query=YEAR, key="icpc_on_time")
    assert [(r["date"], r["on_time"]) for r in rows] == [
        ("2016-05-03", True),
        ("2016-06-27", True),
        ("2016-06-28", False),
        ("2016-10-04", True),
    ]
    assert rows[1]["due_date"] == "2016-06-27"


def test_the_dfe_measure_counts_from_the_s47_start(county):
    # conf1: s47 6 Jun, 15 WD to 27 Jun: in time. conf2: s47 Fri 3 Jun, 17 WD to 28 Jun: late.
    # conf3: no s47 date: not in time. conf4: s47 20 Sep, 10 WD to 4 Oct: in time. 2/4 = 50%.
    assert compute("icpc_within_15wd_of_s47")["numerator"] == 2
    assert value("icpc_within_15wd_of_s47") == 50.0


def test_review_timeliness_and_the_stood_down_review_does_not_move_the_clock(county):
    # conf1r (due 27 Sep) on time; conf2r on 29 Sep, due 28 Jun + 3 months = 28 Sep: late (the
    # stood-down 15 Sep conference does not count); conf3b (Eve due 3 Aug) on time; conf3c (due
    # 28 Jan 2017) on time: 3/4 = 75%.
    assert compute("rcpc_on_time") == {"value": 75.0, "numerator": 3, "denominator": 4, "unit": "%"}
    late = [r for r in figure_records(query=YEAR, key="rcpc_on_time") if not r["on_time"]]
    assert [(r["date"], r["due_date"]) for r in late] == [("2016-09-29", "2016-09-28")]


def test_reports_and_records_in_time(county):
    # Initial types held: conf1 (23 Jun, due 23 Jun: in time), conf2 (on the day: late), conf3
    # (none recorded), conf4 (30 Sep, due 30 Sep: in time): 2/4 = 50%.
    assert compute("icpc_parent_reports_on_time")["numerator"] == 2
    assert value("icpc_parent_reports_on_time") == 50.0
    # Only conf1 recorded a report to the chair, on the day (due 24 Jun): 0/4.
    assert value("icpc_chair_reports_on_time") == 0.0
    # Review types held: conf1r (15 Sep, due 15 Sep: in time), conf2r, conf3b, conf3c (none): 1/4.
    assert value("rcpc_reports_on_time") == 25.0
    # Records: only conf1's (4 Jul, due 11 Jul) distributed: 1/8 = 12.5%.
    assert compute("cp_records_on_time") == {"value": 12.5, "numerator": 1, "denominator": 8, "unit": "%"}


def test_chair_continuity_skips_the_stood_down_conference(county):
    # Review types: conf1r (Ann after Ann), conf2r (Bob after Bob at conf2; the stood-down one is
    # not a previous conference), conf3b (Bob after Bob), conf3c (Ann after Bob): 3/4 = 75%.
    assert value("cp_chair_continuity") == 75.0


def test_plans_started_ended_and_a_plan_starting_and_ending_in_the_period(county):
    # Started in 2016-17: Cara 27 Jun, Dan 28 Jun, Eve 3 May, Fay 28 Jul, Gus and Hal 4 Oct = 6.
    assert value("cp_plans_started") == 6
    # Ended: Cara 20 Sep (started in the period too) and Eve 26 Jan 2017 = 2.
    assert value("cp_plans_ended") == 2
    # Cara's lasted 27 Jun to 20 Sep, under 3 months (27 Sep); Eve's 3 May to 26 Jan did not.
    assert value("cp_plans_ended_under_3_months") == 1
    assert compute("cp_plans_ended_2_years_plus") == {
        "value": 0.0,
        "numerator": 0,
        "denominator": 2,
        "unit": "%",
    }
    # Open on 31 Mar 2017: Dan, Fay, Gus, Hal = 4. Open 9 months or more (started by 30 Jun
    # 2016): Dan. None 2 years.
    assert value("cp_plans_at_end") == 4
    assert value("cp_plans_open_9_months_plus") == 1
    assert value("cp_plans_open_2_years_plus") == 0
    # Cara's plan counts at 30 Jun 2016 but not at 31 Mar 2017.
    assert value("cp_plans_at_end", YEAR.with_period(date(2016, 4, 1), date(2016, 6, 30))) == 3
    rows = figure_records(query=YEAR, key="cp_plans_at_end")
    assert sorted(r["start_date"] for r in rows) == ["2016-06-28", "2016-07-28", "2016-10-04", "2016-10-04"]


def test_repeat_plans_any_earlier_plan_and_within_2_years(county):
    # Of 6 plans started, Gus (earlier plan ended 20 May 2013, over 3 years before) and Hal
    # (ended 30 Nov 2015) are repeats: 2/6 = 33.3%. Within 2 years: Hal only, 1/6 = 16.7%.
    assert compute("cp_repeat_plans") == {"value": 33.3, "numerator": 2, "denominator": 6, "unit": "%"}
    assert compute("cp_repeat_plans_2y") == {"value": 16.7, "numerator": 1, "denominator": 6, "unit": "%"}
    rows = figure_records(query=YEAR, key="cp_repeat_plans")
    assert {r["plan_id"] for r in rows} == {county["gus_plan"].pk, county["hal_plan"].pk}
    assert {r["previous_plan_ended"] for r in rows} == {"2013-05-20", "2015-11-30"}


def test_multiple_categories_at_each_quarter_end_with_numerator_and_denominator(county):
    # 30 Jun 2016: Cara, Dan, Eve open; Eve has 2 categories: 1/3 = 33.3%.
    # 30 Sep: Cara ended 20 Sep; Dan, Eve, Fay: 1/3. 31 Dec: Dan, Eve, Fay, Gus, Hal; Eve and Gus
    # have 2: 2/5 = 40%. 31 Mar 2017: Eve ended 26 Jan; Dan, Fay, Gus, Hal: Gus, 1/4 = 25%.
    assert compute("cp_multiple_categories") == {
        "value": [
            {"date": "2016-06-30", "value": 33.3, "numerator": 1, "denominator": 3},
            {"date": "2016-09-30", "value": 33.3, "numerator": 1, "denominator": 3},
            {"date": "2016-12-31", "value": 40.0, "numerator": 2, "denominator": 5},
            {"date": "2017-03-31", "value": 25.0, "numerator": 1, "denominator": 4},
        ],
        "unit": "%",
    }


def test_children_on_a_plan_at_the_end_by_age_sex_ethnicity_disability_and_category(county):
    # 31 Mar 2017: Fay unborn; Dan 4 (5 on 1 Apr); Gus 10 on the day; Hal 16.
    assert value("cp_children_by_age") == {"unborn": 1, "0-4": 1, "5-9": 0, "10-15": 1, "16+": 1}
    # Fay is F (factory default), Dan, Gus, Hal M.
    assert value("cp_children_by_sex") == {"F": 1, "M": 3}
    assert value("cp_children_by_ethnicity") == {"MWBC": 1, "WBRI": 3}
    # Hal has a learning disability: 1/4.
    assert value("cp_children_with_disability") == 25.0
    # Dan NEG, Fay NEG, Hal PHY, Gus EMO+NEG counted once under MUL.
    assert value("cp_categories_at_end") == {"NEG": 2, "PHY": 1, "EMO": 0, "SAB": 0, "MUL": 1}


def test_agency_attendance_and_appeals(county):
    agencies = value("cp_agency_attendance")
    # Police at conf1 (came), conf2 (did not), conf4 (came); the GP at conf4 (did not come, sent
    # a report); the GP invited to the stood-down conference is not counted.
    assert agencies["police"] == {"invited": 3, "attended": 2, "report_submitted": 0}
    assert agencies["gp"] == {"invited": 1, "attended": 0, "report_submitted": 1}
    appeals = value("cp_appeals")
    # The March 2016 appeal is before the period.
    assert appeals["young_person"]["total"] == 1 and appeals["young_person"]["not_upheld"] == 1
    assert appeals["parent_or_carer"]["withdrawn"] == 1 and appeals["parent_or_carer"]["stage_2_or_3"] == 1
    assert appeals["professional"]["total"] == 0


def test_team_and_iro_filters(county):
    north = FigureQuery(start=YEAR.start, end=YEAR.end, team_id=county["north"].pk)
    south = FigureQuery(start=YEAR.start, end=YEAR.end, team_id=county["south"].pk)
    bob = FigureQuery(start=YEAR.start, end=YEAR.end, iro_id=county["bob"].pk)
    # Ann (North) chaired conf1, conf1r, conf3c, conf4; Bob (South) conf2, conf2r, conf3, conf3b.
    assert value("cp_conferences_held", north) == 4
    assert value("cp_conferences_held", south) == 4
    # North's initial conferences: conf1 and conf4, both in time. South's: conf2 late, conf3 in time.
    assert value("icpc_on_time", north) == 100.0 and value("icpc_on_time", south) == 50.0
    # At 31 Mar 2017 by the chair of each child's latest held conference: Gus and Hal (conf4,
    # Ann) for North; Dan (conf2r) and Fay (conf3b, Bob's; Fay was not at Ann's conf3c) for South.
    assert value("cp_plans_at_end", north) == 2
    assert value("cp_plans_at_end", south) == 2 == value("cp_plans_at_end", bob)
    # Quarter ends for South: 30 Jun Dan (conf2) and Eve (conf3): 1/2; 30 Sep Dan, Eve, Fay: 1/3;
    # 31 Dec the same; 31 Mar Dan and Fay: 0/2.
    points = value("cp_multiple_categories", south)
    assert [(p["numerator"], p["denominator"]) for p in points] == [(1, 2), (1, 3), (1, 3), (0, 2)]
    # Plans started by the chair of the starting conference: North Cara, Gus, Hal: 2 of 3 repeats.
    assert compute("cp_repeat_plans", north)["numerator"] == 2
    assert compute("cp_repeat_plans", north)["denominator"] == 3
    assert compute("cp_repeat_plans", south)["numerator"] == 0
    # The stood-down conference was Bob's.
    assert compute("cp_conferences_stood_down", north)["numerator"] == 0
    assert compute("cp_conferences_stood_down", bob)["numerator"] == 1


def test_through_the_command_and_the_records_api(county, token_client):
    out = StringIO()
    call_command(
        "figures", "--start", "2016-04-01", "--end", "2017-03-31", "--keys", "cp_plans_at_end", stdout=out
    )
    assert json.loads(out.getvalue())["figures"]["cp_plans_at_end"] == {"value": 4, "unit": "count"}
    # The records are children's records: the 'figures' scope alone is not enough.
    url = "/api/v1/figures/cp_repeat_plans/records/"
    assert token_client("figures").get(url, {"start": "2016-04-01", "end": "2017-03-31"}).status_code == 403
    body = token_client("figures", "read").get(url, {"start": "2016-04-01", "end": "2017-03-31"}).json()
    assert body["count"] == 2
    # Gus and Hal, each logged once.
    repeats = {county["gus_plan"].child_id, county["hal_plan"].child_id}
    assert {row["child_id"] for row in body["results"]} == repeats
    assert sorted(AccessLog.objects.values_list("child_id", flat=True)) == sorted(repeats)


def test_every_conference_drill_down_row_names_the_children_it_is_about(county):
    """The children considered at each conference, for the access log."""
    for key in ("cp_conferences_stood_down", "icpc_on_time", "rcpc_on_time"):
        rows = figure_records(query=YEAR, key=key)
        assert rows, key
        for row in rows:
            links = ConferenceChild.objects.filter(conference_id=row["conference_id"])
            expected = sorted(links.values_list("child_id", flat=True))
            assert row["child_ids"] == expected and expected, key


def _queries_for_catalogue() -> int:
    with CaptureQueriesContext(connection) as captured:
        for key in CP_KEYS:
            compute(key)
        for key in CP_KEYS:
            compute(key, FigureQuery(start=YEAR.start, end=YEAR.end, team_id=1))
    return len(captured.captured_queries)


def test_query_count_does_not_grow_with_the_data():
    build_county("a")
    for key in CP_KEYS:  # warm the settings caches
        compute(key)
    small = _queries_for_catalogue()
    for prefix in "bcd":
        build_county(prefix)
    assert _queries_for_catalogue() == small
    # One query per figure, plus the settings row for the two figures that read a timescale.
    assert small <= 2 * (len(CP_KEYS) + 4)
