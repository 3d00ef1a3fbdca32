"""The nightly jobs and the home-page panels."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conferences import tasks
from conferences.models import Conference, ConferenceReminder, ConferenceType
from conferences.services import conference_book, conference_reminders_send, strategy_discussion_record
from iro_service.celery import app
from iro_service.people.services import child_restrict
from tests.factories import StaffMemberFactory
from tests.factories.conferences import ConferenceFactory, family_with_children
from tests.support.mail import FlakyEmailBackend

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


def test_running_the_reminder_job_twice_sends_each_email_once(booked, support_user):
    """GIVEN a chair with a conference in two days and business support with an email address
    WHEN the nightly reminder job runs twice on the same day
    THEN each of the two emails goes once."""
    support_user.email = "support@example.invalid"
    support_user.save()
    assert tasks.conference_reminders_send_nightly.delay().get() == 2
    assert tasks.conference_reminders_send_nightly.delay().get() == 0
    assert sorted(message.to[0] for message in mail.outbox) == [
        "chair@example.invalid",
        "support@example.invalid",
    ]
    assert ConferenceReminder.objects.count() == 2


@override_settings(EMAIL_BACKEND="tests.support.mail.FlakyEmailBackend")
def test_a_mail_server_that_drops_the_connection_is_retried_and_the_email_sent_once(booked):
    FlakyEmailBackend.failures = 1
    # apply(throw=False) is how Celery runs a retry in-process (with the test settings'
    # EAGER_PROPAGATES it would raise the Retry instead); the retry runs straight away.
    result = tasks.conference_reminders_send_nightly.apply(throw=False)
    assert result.get() == 1
    assert [message.to for message in mail.outbox] == [["chair@example.invalid"]]
    assert ConferenceReminder.objects.get().recipient == "chair@example.invalid"


@override_settings(EMAIL_BACKEND="tests.support.mail.FlakyEmailBackend")
def test_a_failed_send_leaves_no_claim_so_the_next_run_sends_it(booked):
    FlakyEmailBackend.failures = 1
    with pytest.raises(smtplib.SMTPServerDisconnected):
        conference_reminders_send(on=timezone.localdate())
    assert ConferenceReminder.objects.count() == 0
    assert conference_reminders_send(on=timezone.localdate()) == 1


def test_the_chairs_email_leaves_out_a_conference_about_a_child_they_are_not_named_for(booked, make_user):
    """GIVEN the chair's conference in two days is about Amy, and a second conference
    (another household) is about Ben, restricted to another member of staff
    WHEN the nightly reminder job runs
    THEN the chair's email names Amy's household and not Ben's."""
    family, (ben,) = family_with_children("Ben")
    today = timezone.localdate()
    discussion = strategy_discussion_record(family=family, on=today - timedelta(days=3), children=[ben])
    conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=today + timedelta(days=3),
        chair=booked.chair,
        children=[(ben, "initial")],
        strategy_discussion=discussion,
    )
    other = StaffMemberFactory(user=make_user(None, username="other-named"))
    child_restrict(child=ben, staff_members=[other], reason="High-profile case")
    conference_reminders_send(on=today)
    [message] = [m for m in mail.outbox if m.to == ["chair@example.invalid"]]
    assert booked.family.name in message.body
    assert family.name not in message.body


@override_settings(EMAIL_BACKEND="tests.support.mail.FlakyEmailBackend")
def test_when_one_email_fails_those_sent_stay_claimed_and_the_retry_sends_the_rest(booked, support_user):
    """GIVEN the chair's email and business support's (sent in that order) WHEN business
    support's fails THEN the chair's stays claimed, and the next run sends business support's
    alone."""
    support_user.email = "support@example.invalid"
    support_user.save()
    FlakyEmailBackend.succeeding, FlakyEmailBackend.failures = 1, 1
    with pytest.raises(smtplib.SMTPServerDisconnected):
        conference_reminders_send(on=timezone.localdate())
    assert list(ConferenceReminder.objects.values_list("recipient", flat=True)) == ["chair@example.invalid"]
    assert conference_reminders_send(on=timezone.localdate()) == 1
    assert [message.to[0] for message in mail.outbox] == ["chair@example.invalid", "support@example.invalid"]


def test_chairs_sharing_an_address_get_one_email(booked):
    """Two chairs with one (team) address, each with a conference in the window: one reminder
    goes to the address, as one claim stands for it."""
    today = timezone.localdate()
    other = StaffMemberFactory(email="chair@example.invalid")
    family, (ben,) = family_with_children("Ben")
    discussion = strategy_discussion_record(family=family, on=today - timedelta(days=3), children=[ben])
    conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=today + timedelta(days=2),
        chair=other,
        children=[(ben, "initial")],
        strategy_discussion=discussion,
    )
    assert conference_reminders_send(on=today) == 1
    assert [message.to for message in mail.outbox] == [["chair@example.invalid"]]


def test_the_chairs_email_names_twenty_conferences_and_counts_the_rest(booked):
    """GIVEN the chair has 21 more conferences booked for tomorrow (22 with Amy's in two days)
    WHEN the reminder goes THEN it names 20, tomorrow's first, and says 2 more are in My
    conferences."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    for number in range(21):
        ConferenceFactory(chair=booked.chair, date=tomorrow, family__name=f"Household {number:02}")
    assert conference_reminders_send(on=timezone.localdate()) == 1
    lines = mail.outbox[0].body.splitlines()
    listed = [line for line in lines if line.startswith(f"- {tomorrow:%d %b %Y}: ")]
    assert len(listed) == 20
    assert booked.family.name not in mail.outbox[0].body
    assert "- and 2 more in My conferences" in lines
