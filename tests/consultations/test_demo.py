"""The consultations demo loader on a small fixture (the demo county as loaded has no conference
still to be held; one carried on to today has): letters before the booked review conferences,
every other child's answers returned, nothing for a conference held or in the past, and nothing
twice."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.utils import timezone

from conferences.models import Conference
from consultations.demo import load_demo
from consultations.models import Consultation

pytestmark = pytest.mark.django_db


def test_the_demo_asks_the_children_of_conferences_still_to_be_held(household):
    """GIVEN the household's review conference in a week (Amy 16 and Ben 12 asked, Cal 2 not)
    WHEN the demo loads THEN Amy and Ben each have a letter and
    their parent one: 4 sent; the first of them (Amy) has her answers returned: 1 returned."""
    today = timezone.localdate()
    out = StringIO()
    load_demo(context={"today": today}, stdout=out)
    assert "4 sent, 1 returned" in out.getvalue()
    at_conference = Consultation.objects.filter(conference_child__conference=household.conference)
    assert at_conference.count() == 4
    returned = at_conference.get(returned_at__isnull=False)
    assert returned.audience == "child" and returned.share_with_parents is True
    assert returned.answers.count() == 5 and returned.safety_notice_at is None
    assert not Consultation.objects.filter(conference_child=household.cal_link).exists()
    load_demo(context={"today": today}, stdout=StringIO())
    assert Consultation.objects.count() == 4


def test_the_demo_adds_nothing_when_no_conference_is_still_to_be_held(household):
    Conference.objects.update(date=timezone.localdate() - timedelta(days=1))
    out = StringIO()
    load_demo(context={"today": timezone.localdate()}, stdout=out)
    assert "0 sent, 0 returned" in out.getvalue()
    assert not Consultation.objects.exists()
