"""The demo county reproduces the seed's HSB figures (seed 7.3.2, docs/seed-figures.md) through
the ``figures`` command: the figures come out of the demo's records, computed by the figures
service. Its training register holds the January to April 2017 courses of seed 7.2.2."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from hsb import demo as hsb_demo
from hsb.models import HsbAssessment, HsbMeeting, HsbReferral, HsbTrainingRecord, PlannedCourse
from iro_service.people import demo as people_demo
from reviews import demo as reviews_demo

pytestmark = pytest.mark.django_db

KEYS = ",".join(
    [
        "hsb_referrals",
        "hsb_meetings_held",
        "hsb_below_threshold",
        "hsb_referrals_by_rating",
        "hsb_referrals_by_outcome",
        "hsb_referrals_by_ethnicity",
        "hsb_meetings_children_in_care",
    ]
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The people, the children in care (whose periods decide who was in care at a meeting) and
    the HSB work, loaded once for the module and rolled back after; the figures through the
    command for 2016-17 and 2015-16."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            context: dict = {}
            out = StringIO()
            people_demo.load_demo(context=context, stdout=StringIO())
            reviews_demo.load_demo(context=context, stdout=StringIO())
            hsb_demo.load_demo(context=context, stdout=out)
            figures = {}
            for year, (start, end) in {
                2016: ("2016-04-01", "2017-03-31"),
                2015: ("2015-04-01", "2016-03-31"),
            }.items():
                printed = StringIO()
                call_command("figures", "--start", start, "--end", end, "--keys", KEYS, stdout=printed)
                figures[year] = {
                    key: f["value"] for key, f in json.loads(printed.getvalue())["figures"].items()
                }
            again = StringIO()
            counts = (
                HsbReferral.objects.count(),
                HsbMeeting.objects.count(),
                HsbTrainingRecord.objects.count(),
            )
            hsb_demo.load_demo(context=context, stdout=again)
            counts_after = (
                HsbReferral.objects.count(),
                HsbMeeting.objects.count(),
                HsbTrainingRecord.objects.count(),
            )
            yield {
                "figures": figures,
                "output": out.getvalue(),
                "again": again.getvalue(),
                "idempotent": counts == counts_after,
            }
            transaction.set_rollback(True)


def test_2016_17_referrals_meetings_and_below_threshold_are_the_seeds(demo):
    year = demo["figures"][2016]
    # Seed 7.3.2: 41 referrals; 21 HSB meetings held; the other 20 did not meet the criteria.
    assert year["hsb_referrals"] == 41
    assert year["hsb_meetings_held"] == 21
    assert year["hsb_below_threshold"] == 20
    # The 21 that met it were amber or red and had a meeting; every referral was decided.
    assert year["hsb_referrals_by_rating"]["green"] == 20
    assert year["hsb_referrals_by_rating"]["amber"] + year["hsb_referrals_by_rating"]["red"] == 21
    assert year["hsb_referrals_by_outcome"]["hsb_meeting"] == 21
    assert year["hsb_referrals_by_outcome"]["not_decided"] == 0


def test_13_children_at_meetings_were_in_care_and_all_41_white_british(demo):
    year = demo["figures"][2016]
    # Seed 7.3.2: 13 of the children subject to an HSB meeting were children in care (from their
    # periods of care on the meeting date); all 41 children were White British.
    assert year["hsb_meetings_children_in_care"] == 13
    assert year["hsb_referrals_by_ethnicity"] == {"WBRI": 41}


def test_35_meetings_in_2015_16(demo):
    # Seed 7.3.2: in the previous reporting period, 35 HSB meetings were chaired by the HSB lead.
    assert demo["figures"][2015]["hsb_meetings_held"] == 35
    assert set(
        HsbMeeting.objects.filter(date__range=(date(2015, 4, 1), date(2016, 3, 31))).values_list(
            "chair__last_name", flat=True
        )
    ) == {"Lloyd"}


def test_the_january_2017_aim2_course_and_the_managers_course(demo):
    aim2 = HsbTrainingRecord.objects.filter(course="aim2", completed_on=date(2017, 1, 18))
    # Seed 7.2.2: 10 qualified social workers, 11 YOS workers and 1 detective sergeant from CAIU.
    assert aim2.filter(staff__job_role="social_worker").count() == 10
    assert aim2.filter(practitioner__agency="Youth Offending Service").count() == 11
    assert aim2.filter(practitioner__agency__icontains="police").count() == 1
    # Before January 2017 only the HSB lead and the specialist therapeutic worker had AIM2.
    assert HsbTrainingRecord.objects.filter(course="aim2", completed_on__lt=date(2017, 1, 1)).count() == 2
    # AIM for managers went ahead in March and April 2017, police included.
    managers = HsbTrainingRecord.objects.filter(course="aim_managers")
    assert {day.month for day in managers.values_list("completed_on", flat=True)} == {3, 4}
    assert managers.filter(practitioner__agency__icontains="police").exists()
    # Seed 7.4 (ii): a further AIM2 course with 18 places earmarked.
    assert PlannedCourse.objects.get(course="aim2").places == 18


def test_every_assessment_was_by_someone_trained_in_the_model(demo):
    assessments = list(HsbAssessment.objects.select_related("assessor_staff"))
    assert assessments
    for assessment in assessments:
        assert assessment.assessor_staff.hsb_training.filter(
            course=assessment.tool, completed_on__lte=assessment.date
        ).exists()


def test_the_demo_prints_what_it_wrote_and_is_idempotent(demo):
    assert (
        "2016-17: referrals 41, meetings held 21, below the threshold 20, children at meetings in care 13"
        in demo["output"]
    )
    assert "already loaded" in demo["again"]
    assert demo["idempotent"]
