"""The QA alert figures (docs/figures.md, "QA alerts" table) against a small county built by
hand. Every expected value is worked out in a comment from the fixture below, never with the code
under test.

The period is 1 September 2016 to 31 March 2017 (the seed's). IRO team North: Ann and Cy (who
raises nothing); IRO team South: Bob. Alerts are addressed to the locality teams East and West.
Response timescale 10 working days; escalation stages 1-4 of the default settings.

  A1  Ann, Mon 3 Oct 2016, concern, child in care, [drift_delay, quality], East. Due Mon 17 Oct.
      Response Wed 12 Oct resolves it (resolved 12 Oct). In time. Highest stage 0.
  A2  Ann, Mon 7 Nov 2016, concern, child on a plan, [core_group], East. Due 10 working days
      later: Mon 21 Nov. No response; escalated by hand to stage 1 on 22 Nov, then to stage 3
      (skipping 2, with a reason) on 1 Dec. Open at the end. Highest stage 3.
  A3  Bob, Thu 1 Dec 2016, concern, on a plan, [drift_delay, report_timeliness], West. Due Thu
      15 Dec. Escalated to stage 1 on 16 Dec; response Tue 20 Dec (late) does not resolve it;
      resolved after escalation on 10 Jan 2017. Highest stage 1.
  A4  Bob, Mon 5 Sep 2016, good practice, in care, West.
  A5  Ann, Wed 15 Mar 2017, concern, on a plan, [other], East. Due 10 working days later:
      Wed 29 Mar 2017, before the end, with no response: late. Open. Highest stage 0.
  A6  Ann, Tue 28 Mar 2017, concern, in care, [drift_delay], East. Due Tue 11 Apr 2017, after the
      end, no response yet: not yet measurable for timeliness. Open.
  A7  Bob, Sat 20 Aug 2016 (before the period), concern, in care, [quality], West. Never resolved:
      open at the end, but not raised in the period.
  A8  Ann, Mon 3 Apr 2017 (after the period), concern, in care, [quality]: counted nowhere.
"""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from conferences.models import ChildProtectionPlan
from qa_alerts import services
from reports.figures import REGISTRY, FigureQuery
from reports.selectors import figure_records
from tests.factories import ChildFactory, StaffMemberFactory, TeamFactory
from tests.factories.qa_alerts import child_in_care, raise_alert

pytestmark = pytest.mark.django_db

PERIOD = FigureQuery(start=date(2016, 9, 1), end=date(2017, 3, 31))
QA_KEYS = [key for key, f in REGISTRY.items() if f.section == "QA alerts"]


def _on_plan():
    child = ChildFactory()
    ChildProtectionPlan.objects.create(child=child, start_date=date(2016, 6, 1), categories=["NEG"])
    return child


@pytest.fixture
def county():
    north, south = TeamFactory(name="IRO Team North"), TeamFactory(name="IRO Team South")
    east, west = TeamFactory(name="Locality Team East"), TeamFactory(name="Locality Team West")
    ann = StaffMemberFactory(first_name="Ann", last_name="Abbott", team=north)
    bob = StaffMemberFactory(first_name="Bob", last_name="Baker", team=south)
    cy = StaffMemberFactory(first_name="Cy", last_name="Cole", team=north)

    a1 = raise_alert(iro=ann, raised_on=date(2016, 10, 3), categories=("drift_delay", "quality"), team=east)
    services.alert_response_record(
        alert=a1, received_on=date(2016, 10, 12), responder_name="Pat", summary="Done", satisfactory=True
    )
    a2 = raise_alert(
        iro=ann, child=_on_plan(), raised_on=date(2016, 11, 7), categories=("core_group",), team=east
    )
    services.alert_escalate(alert=a2, to_stage=1, on=date(2016, 11, 22))
    services.alert_escalate(alert=a2, to_stage=3, on=date(2016, 12, 1), reason="Service manager on leave")
    a3 = raise_alert(
        iro=bob,
        child=_on_plan(),
        raised_on=date(2016, 12, 1),
        categories=("drift_delay", "report_timeliness"),
        team=west,
    )
    services.alert_escalate(alert=a3, to_stage=1, on=date(2016, 12, 16))
    services.alert_response_record(
        alert=a3, received_on=date(2016, 12, 20), responder_name="Tess", summary="Soon", satisfactory=False
    )
    services.alert_resolve(alert=a3, outcome="resolved_on_escalation", resolved_on=date(2017, 1, 10))
    a4 = raise_alert(iro=bob, raised_on=date(2016, 9, 5), kind="good_practice", team=west)
    a5 = raise_alert(iro=ann, child=_on_plan(), raised_on=date(2017, 3, 15), categories=("other",), team=east)
    a6 = raise_alert(iro=ann, raised_on=date(2017, 3, 28), categories=("drift_delay",), team=east)
    a7 = raise_alert(iro=bob, raised_on=date(2016, 8, 20), categories=("quality",), team=west)
    raise_alert(
        iro=ann, child=child_in_care(), raised_on=date(2017, 4, 3), categories=("quality",), team=east
    )
    return {
        "teams": {"north": north, "south": south, "east": east, "west": west},
        "iros": {"ann": ann, "bob": bob, "cy": cy},
        "alerts": {"a1": a1, "a2": a2, "a3": a3, "a4": a4, "a5": a5, "a6": a6, "a7": a7},
    }


def _value(key, query=PERIOD):
    return REGISTRY[key].compute(query)


def test_alerts_raised_by_context_and_kind(county):
    # In the period: A1, A6 (in care, concern), A4 (in care, good practice), A2, A3, A5 (plan,
    # concern). A7 is before the period and A8 after.
    assert _value("qa_alerts_raised")["value"] == {
        "cic": {"good_practice": 1, "concern": 2},
        "cp": {"good_practice": 0, "concern": 3},
        "both": {"good_practice": 0, "concern": 0},
    }


def test_concern_categories_count_an_alert_once_per_category(county):
    value = _value("qa_concern_categories")["value"]
    # drift_delay: A1, A3, A6 = 3; quality: A1 (A7 and A8 are outside) = 1; core_group: A2;
    # report_timeliness: A3; other: A5.
    assert {code: n for code, n in value["all"].items() if n} == {
        "drift_delay": 3,
        "quality": 1,
        "core_group": 1,
        "report_timeliness": 1,
        "other": 1,
    }
    # Child protection: A2 core_group, A3 drift_delay and report_timeliness, A5 other.
    assert {code: n for code, n in value["cp"].items() if n} == {
        "core_group": 1,
        "drift_delay": 1,
        "report_timeliness": 1,
        "other": 1,
    }
    assert {code: n for code, n in value["cic"].items() if n} == {"drift_delay": 2, "quality": 1}
    assert value["all"]["placement"] == 0  # every category is a key, used or not


def test_responses_in_time(county):
    # Measured: A1 (in time), A2 (due 21 Nov, none: late), A3 (20 Dec after 15 Dec: late), A5 (due
    # 29 Mar, none: late). A6 is due after the end with no response yet: not measured. 1 of 4.
    assert _value("qa_responses_on_time") == {"value": 25.0, "numerator": 1, "denominator": 4, "unit": "%"}


def test_concerns_by_the_highest_stage_reached(county):
    # Concerns raised in the period: A1, A5, A6 stayed at 0; A3 reached 1; A2 reached 3.
    assert _value("qa_alerts_escalated")["value"] == {"0": 3, "1": 1, "2": 0, "3": 1, "4": 0}


def test_concerns_open_at_the_end(county):
    # Raised by 31 Mar 2017 and not resolved by then: A2, A5, A6 and A7 (from August). A1 and A3
    # were resolved; A8 was raised after the end.
    assert _value("qa_alerts_open_at_end") == {"value": 4, "unit": "count"}
    rows = figure_records(query=PERIOD, key="qa_alerts_open_at_end")
    alerts = county["alerts"]
    assert [row["alert_id"] for row in rows] == [alerts[k].pk for k in ("a7", "a2", "a5", "a6")]
    assert rows[0]["child_ids"] == [alerts["a7"].children.get().child_id]


def test_alerts_by_iro_show_the_one_who_raised_none(county):
    iros = county["iros"]
    # Ann: A1, A2, A5, A6 (4 concerns); Bob: A4 (good practice) and A3 (concern); Cy: none.
    assert _value("qa_alerts_by_iro")["value"] == {
        str(iros["ann"].pk): {"name": "Ann Abbott", "good_practice": 0, "concern": 4, "total": 4},
        str(iros["bob"].pk): {"name": "Bob Baker", "good_practice": 1, "concern": 1, "total": 2},
        str(iros["cy"].pk): {"name": "Cy Cole", "good_practice": 0, "concern": 0, "total": 0},
    }


def test_alerts_by_the_team_addressed(county):
    teams = county["teams"]
    # East: A1, A2, A5, A6 (concerns; A2, A5, A6 still open). West: A3 (concern, resolved), A4.
    assert _value("qa_alerts_by_team")["value"] == {
        str(teams["east"].pk): {"team": "Locality Team East", "good_practice": 0, "concern": 4, "open": 3},
        str(teams["west"].pk): {"team": "Locality Team West", "good_practice": 1, "concern": 1, "open": 0},
    }


def test_the_team_and_iro_filters_mean_the_iro_who_raised_the_alert(county):
    north = FigureQuery(start=PERIOD.start, end=PERIOD.end, team_id=county["teams"]["north"].pk)
    # Team North is Ann (and Cy): A1, A6 in care; A2, A5 on plans.
    assert _value("qa_alerts_raised", north)["value"]["cic"] == {"good_practice": 0, "concern": 2}
    assert _value("qa_alerts_raised", north)["value"]["cp"] == {"good_practice": 0, "concern": 2}
    assert set(_value("qa_alerts_by_iro", north)["value"]) == {
        str(county["iros"]["ann"].pk),
        str(county["iros"]["cy"].pk),
    }
    bob = FigureQuery(start=PERIOD.start, end=PERIOD.end, iro_id=county["iros"]["bob"].pk)
    # Bob's concerns open at the end: A7 only (A3 was resolved).
    assert _value("qa_alerts_open_at_end", bob)["value"] == 1


def test_every_qa_figure_through_the_command_matches_the_registry_and_has_a_drill_down(county):
    out = StringIO()
    call_command(
        "figures", "--start", "2016-09-01", "--end", "2017-03-31", "--keys", ",".join(QA_KEYS), stdout=out
    )
    figures = json.loads(out.getvalue())["figures"]
    assert (
        set(figures)
        == set(QA_KEYS)
        >= {
            "qa_alerts_raised",
            "qa_concern_categories",
            "qa_responses_on_time",
            "qa_alerts_escalated",
            "qa_alerts_open_at_end",
            "qa_alerts_by_iro",
        }
    )
    for key in QA_KEYS:
        assert figures[key] == _value(key), key
        assert REGISTRY[key].records is not None, key


def test_the_drill_down_needs_the_read_scope_and_logs_the_children_shown(county, token_client):
    from iro_service.audit.models import AccessLog

    url = "/api/v1/figures/qa_alerts_raised/records/"
    period = {"start": "2016-09-01", "end": "2017-03-31"}
    assert token_client("figures").get(url, period).status_code == 403
    response = token_client("figures", "read").get(url, period)
    assert response.status_code == 200 and response.json()["count"] == 6
    alerts = county["alerts"]
    assert set(AccessLog.objects.values_list("child_id", flat=True)) == {
        alerts[key].children.get().child_id for key in ("a1", "a2", "a3", "a4", "a5", "a6")
    }


def test_each_figure_is_a_fixed_number_of_queries(county, django_assert_max_num_queries):
    for key in QA_KEYS:
        with django_assert_max_num_queries(3):
            _value(key)
