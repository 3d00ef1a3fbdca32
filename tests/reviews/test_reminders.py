"""The nightly jobs: due dates refreshed, and each IRO's reminder on the home page and by email."""

import smtplib
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iro_service.celery import app
from iro_service.people.services import child_restrict
from reviews import tasks
from reviews.models import IroReminder
from reviews.services import iro_reminders_send
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory
from tests.factories.reviews import period_of_care, review
from tests.support.mail import FlakyEmailBackend, TransactionWatchingEmailBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def helen(iro_user):
    return StaffMemberFactory(
        user=iro_user, first_name="Helen", last_name="Ashworth", email="helen@example.invalid"
    )


def in_care(iro, start, **fields):
    child = ChildFactory(date_of_birth=date(2008, 1, 1), **fields)
    IroAllocationFactory(child=child, iro=iro, start_date=start)
    return period_of_care(child=child, start_date=start)


def test_the_jobs_are_on_the_beat_schedule():
    tasks_scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {
        "reviews.tasks.due_dates_refresh_nightly",
        "reviews.tasks.iro_reminders_send_nightly",
    } <= tasks_scheduled


def test_each_iro_gets_one_email_listing_reviews_due_and_records_out_of_timescale(helen):
    """GIVEN Helen has a child whose first review is due within 10 working days, a child due
    much later, and a review she chaired 60 days ago whose record is not distributed
    WHEN the reminder job runs twice the same night
    THEN she gets one email naming the first child and the late record, not the second."""
    today = timezone.localdate()
    soon = in_care(helen, today - timedelta(days=20), first_name="Soon")
    in_care(helen, today, first_name="Later")
    old = in_care(helen, today - timedelta(days=90), first_name="Recorded")
    review(child=old.child, parts=today - timedelta(days=60), chair=helen)
    StaffMemberFactory(email="nobody-due@example.invalid")  # an IRO with nothing due
    assert tasks.iro_reminders_send_nightly.delay().get() == 1
    assert tasks.iro_reminders_send_nightly.delay().get() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["helen@example.invalid"]
    assert soon.child.full_name in message.body
    assert "Later" not in message.body
    assert f"{old.child.full_name} ({old.child.local_child_id}): review on" in message.body
    assert "not yet completed" in message.body
    assert IroReminder.objects.get().reviews_due == 1


def test_the_home_page_shows_the_same_reminders(client, iro_user, helen):
    today = timezone.localdate()
    soon = in_care(helen, today - timedelta(days=20), first_name="Soon")
    client.force_login(iro_user)
    page = client.get(reverse("home")).content.decode()
    assert "Your reminders" in page
    assert soon.child.full_name in page
    assert "Due soon" in page or "Overdue" in page


def test_no_reminder_panel_for_business_support(client, support_user):
    client.force_login(support_user)
    assert "Your reminders" not in client.get(reverse("home")).content.decode()


def test_the_nightly_refresh_job_runs(helen):
    in_care(helen, timezone.localdate() - timedelta(days=3))
    assert tasks.due_dates_refresh_nightly.delay().get() >= 1


@override_settings(EMAIL_BACKEND="tests.support.mail.FlakyEmailBackend")
def test_a_mail_server_that_drops_the_connection_is_retried_and_the_reminder_sent_once(helen):
    today = timezone.localdate()
    in_care(helen, today - timedelta(days=20), first_name="Soon")
    FlakyEmailBackend.failures = 1
    # apply(throw=False) is how Celery runs a retry in-process (with the test settings'
    # EAGER_PROPAGATES it would raise the Retry instead); the retry runs straight away.
    result = tasks.iro_reminders_send_nightly.apply(throw=False)
    assert result.get() == 1
    assert [message.to for message in mail.outbox] == [["helen@example.invalid"]]
    assert IroReminder.objects.count() == 1


@override_settings(EMAIL_BACKEND="tests.support.mail.FlakyEmailBackend")
def test_a_failed_reminder_leaves_no_claim_so_the_next_run_sends_it(helen):
    today = timezone.localdate()
    in_care(helen, today - timedelta(days=20), first_name="Soon")
    FlakyEmailBackend.failures = 1
    with pytest.raises(smtplib.SMTPServerDisconnected):
        iro_reminders_send(on=today)
    assert IroReminder.objects.count() == 0
    assert iro_reminders_send(on=today) == 1


def test_the_email_leaves_out_a_restricted_child_the_iro_is_not_named_for(helen, make_user):
    """GIVEN Helen has, for each of Open (not restricted), Named (restricted to Helen among
    others) and Hidden (restricted to another member of staff only), one child whose first
    review is due soon ("... Due") and one she reviewed 60 days ago whose record is late
    ("... Late")
    WHEN the nightly reminder job runs
    THEN her one email lists the Open and Named children and never the Hidden ones: 2 reviews
    due (Open Due, Named Due) and 2 records out of timescale (Open Late, Named Late)."""
    today = timezone.localdate()
    other = StaffMemberFactory(user=make_user(None, username="other-named"), email="o@example.invalid")
    hidden_ids = []
    for name in ("Open", "Named", "Hidden"):
        due = in_care(helen, today - timedelta(days=20), first_name=name, last_name="Due")
        late = in_care(helen, today - timedelta(days=90), first_name=name, last_name="Late")
        review(child=late.child, parts=today - timedelta(days=60), chair=helen)
        for child in (due.child, late.child):
            if name == "Named":
                child_restrict(child=child, staff_members=[helen, other], reason="Relative of staff")
            elif name == "Hidden":
                child_restrict(child=child, staff_members=[other], reason="Relative of staff")
                hidden_ids.append(child.local_child_id)
    iro_reminders_send()
    [message] = [m for m in mail.outbox if m.to == ["helen@example.invalid"]]
    for shown in ("Open Due", "Named Due", "Open Late", "Named Late"):
        assert shown in message.body
    assert "Hidden" not in message.body
    assert not any(child_id in message.body for child_id in hidden_ids)
    reminder = IroReminder.objects.get(iro=helen)
    assert (reminder.reviews_due, reminder.records_overdue) == (2, 2)


@override_settings(EMAIL_BACKEND="tests.support.mail.FlakyEmailBackend")
def test_when_one_email_fails_those_sent_stay_claimed_and_the_retry_sends_the_rest(helen):
    """GIVEN three IROs each with a review due (Helen, Imran, Jo, emailed in that order)
    WHEN the second email fails THEN Helen's stays sent and claimed, and the next run sends
    Imran's and Jo's, none twice."""
    today = timezone.localdate()
    imran = StaffMemberFactory(first_name="Imran", last_name="Baig", email="imran@example.invalid")
    jo = StaffMemberFactory(first_name="Jo", last_name="Carter", email="jo@example.invalid")
    for iro in (helen, imran, jo):
        in_care(iro, today - timedelta(days=20))
    FlakyEmailBackend.succeeding, FlakyEmailBackend.failures = 1, 1
    with pytest.raises(smtplib.SMTPServerDisconnected):
        iro_reminders_send(on=today)
    assert list(IroReminder.objects.values_list("iro", flat=True)) == [helen.pk]
    assert iro_reminders_send(on=today) == 2
    assert [message.to[0] for message in mail.outbox] == [
        "helen@example.invalid",
        "imran@example.invalid",
        "jo@example.invalid",
    ]


def test_a_night_of_reminders_takes_the_same_queries_for_one_iro_or_three(helen, django_assert_num_queries):
    """The claims are one query for the night, not three queries and a savepoint an email."""
    today = timezone.localdate()
    in_care(helen, today - timedelta(days=20))
    with CaptureQueriesContext(connection) as one:
        assert iro_reminders_send(on=today) == 1
    for name in ("Imran", "Jo"):
        in_care(
            StaffMemberFactory(first_name=name, email=f"{name}@example.invalid"), today - timedelta(days=20)
        )
    with django_assert_num_queries(len(one)):
        assert iro_reminders_send(on=today + timedelta(days=1)) == 3


@pytest.mark.django_db(transaction=True)
@override_settings(EMAIL_BACKEND="tests.support.mail.TransactionWatchingEmailBackend")
def test_each_email_goes_after_its_claim_is_committed():
    """An email cannot be taken back: none is sent inside a transaction (where its claim would
    not yet be committed, and a rollback would forget that it went)."""
    today = timezone.localdate()
    for name in ("Helen", "Imran"):
        in_care(
            StaffMemberFactory(first_name=name, email=f"{name}@example.invalid"), today - timedelta(days=20)
        )
    TransactionWatchingEmailBackend.in_transaction = []
    assert iro_reminders_send(on=today) == 2
    assert TransactionWatchingEmailBackend.in_transaction == [False, False]


def test_the_email_names_twenty_reviews_and_counts_the_rest(helen):
    """GIVEN Helen has 22 children whose first review is due soon WHEN the reminder goes THEN
    it counts 22, names the 20 due first and says 2 more are on her home page (an email is
    forwarded out of the service's reach: it names as few children as it can)."""
    today = timezone.localdate()
    # In care from 41 days ago to 20 days ago: each first review due within the window or overdue.
    periods = [in_care(helen, today - timedelta(days=41 - number)) for number in range(22)]
    assert iro_reminders_send(on=today) == 1
    body = mail.outbox[0].body
    assert "Reviews due in the next few working days or overdue (22):" in body
    named = [period for period in periods if f"({period.child.local_child_id}): due by" in body]
    assert named == periods[:20]  # the oldest first: due first
    assert "- and 2 more on your home page" in body
