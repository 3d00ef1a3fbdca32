"""The figures added for the annual report, on the every-page county (tests/factories/county.py),
whose dates are relative to today: Amy came into care 120 days ago; her Children's Guardian
was appointed the next day and ended 60 days later; she was referred for legal advice 100 days
ago; a challenge meeting was held 2 days ago about one theme; no QA alert went to Cafcass or for
legal advice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hsb import services as hsb
from reports.figures import REGISTRY, FigureQuery
from tests.factories.county import small_county

pytestmark = pytest.mark.django_db


def _value(key: str, *, days: int):
    today = timezone.localdate()
    return REGISTRY[key].compute(FigureQuery(start=today - timedelta(days=days), end=today))["value"]


def test_challenge_meetings_and_their_themes():
    county = small_county()
    assert _value("qa_challenge_meetings", days=30) == 1
    assert _value("qa_challenge_themes", days=30) == {county.theme.name: 1}
    # A period that ended before the meeting: none.
    today = timezone.localdate()
    before = FigureQuery(start=today - timedelta(days=30), end=today - timedelta(days=3))
    assert REGISTRY["qa_challenge_meetings"].compute(before)["value"] == 0


def test_guardians_and_legal_advice_referrals_count_within_the_period():
    small_county()
    # The guardian's appointment (days -119 to -59) overlaps the last year, not the last 30 days.
    assert _value("lac_cafcass_involvements", days=365) == 1
    assert _value("lac_cafcass_involvements", days=30) == 0
    # The referral, 100 days ago.
    assert _value("lac_legal_advice_referrals", days=365) == 1
    assert _value("lac_legal_advice_referrals", days=30) == 0
    assert _value("qa_referrals", days=365) == {"cafcass": 0, "legal_advice": 0}


def test_hsb_courses_completed_by_course():
    county = small_county()
    today = timezone.localdate()
    before = {key: value for key, value in _value("hsb_training_completed", days=365).items()}
    # Two Brook courses (a member of staff, an outside practitioner) and one AIM2, this year;
    # one Brook course two years ago, outside the year.
    hsb.hsb_training_record_add(course="brook", completed_on=today - timedelta(days=10), staff=county.chair)
    hsb.hsb_training_record_add(
        course="brook",
        completed_on=today - timedelta(days=20),
        practitioner_name="Sam Reed",
        practitioner_agency="Youth offending service",
    )
    hsb.hsb_training_record_add(course="aim2", completed_on=today - timedelta(days=30), staff=county.chair)
    hsb.hsb_training_record_add(course="brook", completed_on=today - timedelta(days=730), staff=county.chair)
    after = _value("hsb_training_completed", days=365)
    assert set(after) == {"brook", "aim2", "aim3", "aim_managers", "good_lives", "procedures"}
    assert after["brook"] - before["brook"] == 2
    assert after["aim2"] - before["aim2"] == 1
    assert after["aim3"] == before["aim3"]
