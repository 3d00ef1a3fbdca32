"""The demo county reproduces the QA alert rows of docs/seed-figures.md through the ``figures``
command, September 2016 to March 2017: the figures come out of the demo's alerts, raised,
answered and escalated through the services, computed by the figures service."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from conferences import demo as conferences_demo
from iro_service.people import demo as people_demo
from qa_alerts import demo as qa_alerts_demo
from qa_alerts.models import ChallengeMeeting, QaAlert
from reports.figures import REGISTRY
from reviews import demo as reviews_demo

pytestmark = pytest.mark.django_db

QA_KEYS = ",".join(key for key, f in REGISTRY.items() if f.section == "QA alerts")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's people, care, conferences and alerts, loaded once for the module and rolled
    back after; the QA figures for the seed's period through the command."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            context: dict = {}
            for module in (people_demo, reviews_demo, conferences_demo, qa_alerts_demo):
                module.load_demo(context=context, stdout=StringIO())
            out = StringIO()
            call_command(
                "figures", "--start", "2016-09-01", "--end", "2017-03-31", "--keys", QA_KEYS, stdout=out
            )
            counts = (QaAlert.objects.count(), ChallengeMeeting.objects.count())
            again = StringIO()
            qa_alerts_demo.load_demo(context=context, stdout=again)
            yield {
                "figures": json.loads(out.getvalue())["figures"],
                "counts": counts,
                "counts_after_reload": (QaAlert.objects.count(), ChallengeMeeting.objects.count()),
                "meetings": list(
                    ChallengeMeeting.objects.order_by("held_on").prefetch_related("themes", "alerts")
                ),
            }
            transaction.set_rollback(True)


def test_alerts_raised_september_to_march(demo):
    # Seed 5.9.2: children in care 77 alerts, 16 for good practice and 61 for concern.
    # Seed 6.13: child protection 13 good practice and 72 concern.
    assert demo["figures"]["qa_alerts_raised"]["value"] == {
        "cic": {"good_practice": 16, "concern": 61},
        "cp": {"good_practice": 13, "concern": 72},
        "both": {"good_practice": 0, "concern": 0},
    }


def test_child_protection_concern_categories(demo):
    # Seed 6.13's table.
    cp = demo["figures"]["qa_concern_categories"]["value"]["cp"]
    assert {code: n for code, n in cp.items() if n} == {
        "drift_delay": 8,  # Drift/Delay 8
        "report_timeliness": 13,  # Timeliness of report 13
        "other": 18,  # Other 18
        "quality": 7,  # Quality of report/assessment/plan 7
        "core_group": 16,  # Core Group 16
        "statutory_visits": 7,  # Statutory Visits not on time/completed 7
        "permanency_plan": 2,  # Lack of permanency plan 2
        "length_on_plan": 1,  # Length on Plan 1
    }


def test_some_answered_late_and_some_escalated(demo):
    # Seed 6.13: not always answered in time, and not always escalated when they were not.
    on_time = demo["figures"]["qa_responses_on_time"]
    assert on_time["denominator"] == 61 + 72
    assert 0.5 < on_time["numerator"] / on_time["denominator"] < 0.8
    escalated = demo["figures"]["qa_alerts_escalated"]["value"]
    assert escalated["1"] > 0 and escalated["2"] > 0 and escalated["4"] == 2
    assert sum(escalated.values()) == 61 + 72
    # Every demo concern was resolved by the end of April 2017: nothing for the nightly job.
    assert not QaAlert.objects.filter(status="open").exists()


def test_two_iros_raised_almost_none(demo):
    by_iro = demo["figures"]["qa_alerts_by_iro"]["value"].values()
    hardly = sorted(row["name"] for row in by_iro if row["total"] <= 1)
    # Seed 6.13; Martin Shaw and Nadia Ferreira (agency) started after September and raise none.
    assert {"Lynn Parsons", "Tom Mercer"} <= set(hardly)
    assert sum(row["total"] for row in by_iro) == 16 + 61 + 13 + 72


def test_the_four_challenge_meetings_with_the_seed_themes(demo):
    meetings = demo["meetings"]
    assert len(meetings) == 4
    themes = {theme.name for meeting in meetings for theme in meeting.themes.all()}
    # Seed 5.10.3's nine themes.
    assert len(themes) == 9
    assert len(meetings[-1].alerts.all()) >= 2  # the two taken to the assistant director


def test_loading_again_changes_nothing(demo):
    assert demo["counts_after_reload"] == demo["counts"]
