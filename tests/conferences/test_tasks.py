"""The nightly jobs and the home-page panels."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conferences import tasks
from conferences.models import Conference, ConferenceType
from conferences.services import conference_book, strategy_discussion_record
from iro_service.celery import app
from tests.factories import StaffMemberFactory
from tests.factories.conferences import family_with_children

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(iro_user):
    chair = StaffMemberFactory(user=iro_user, email="chair@example.invalid")
    family, (amy,) = family_with_children("Amy")
    today = timezone.localdate()
    discussion = strategy_discussion_record(family=family, on=today - timedelta(days=3), children=[amy])
    return conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=today + timedelta(days=2),
        chair=chair,
        children=[(amy, "initial")],
        strategy_discussion=discussion,
    )


def test_nightly_refresh_is_idempotent_and_mends_a_stale_cache(booked):
    right = booked.due_date
    Conference.objects.filter(pk=booked.pk).update(due_date=None)
    assert tasks.conference_due_dates_refresh_nightly.delay().get() == 1
    booked.refresh_from_db()
    assert booked.due_date == right
    assert tasks.conference_due_dates_refresh_nightly.delay().get() == 0


def test_nightly_reminders_email_the_chair(booked):
    assert tasks.conference_reminders_send_nightly.delay().get() == 1
    assert mail.outbox[0].to == ["chair@example.invalid"]


def test_both_jobs_are_on_the_beat_schedule():
    tasks_scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {
        "conferences.tasks.conference_due_dates_refresh_nightly",
        "conferences.tasks.conference_reminders_send_nightly",
    } <= tasks_scheduled


def test_home_shows_the_chair_and_business_support_their_panels(client, iro_user, support_user, booked):
    client.force_login(iro_user)
    assert "Your child protection conferences" in client.get(reverse("home")).content.decode()
    client.force_login(support_user)
    page = client.get(reverse("home")).content.decode()
    assert "1 conference waiting for reports" in page
