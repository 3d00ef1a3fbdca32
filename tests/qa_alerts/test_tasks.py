"""The nightly jobs and the emails: escalation when a stage is due (run twice, the second run
changes nothing), emails sent once and only after the change commits, reminders once, and the
mail server's outage retried."""

from __future__ import annotations

import re
import smtplib
from datetime import date

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from iro_service.celery import app
from qa_alerts import services, tasks
from qa_alerts.models import AlertEmail, AlertNotice, AlertStage, AlertTransition, QaAlert, ResponseLink
from tests.factories.qa_alerts import child_in_care, raise_alert
from tests.support.mail import FlakyEmailBackend

pytestmark = pytest.mark.django_db

# Raised Mon 3 Oct 2016: the practitioner's response is due 10 working days later, Mon 17 Oct.
RAISED = date(2016, 10, 3)
DUE = date(2016, 10, 17)


@pytest.fixture
def alert(django_capture_on_commit_callbacks):
    # The child's names are ones no generated member of staff has, so that "never names" below
    # cannot be confused by the raising IRO's name in the email.
    with django_capture_on_commit_callbacks(execute=True):
        return raise_alert(raised_on=RAISED, child=child_in_care(first_name="Zephyrine", last_name="Quillby"))


def test_raising_emails_the_practitioner_and_team_manager_once_each_with_their_own_link(alert):
    assert sorted(message.to[0] for message in mail.outbox) == ["pat@example.invalid", "tess@example.invalid"]
    body = mail.outbox[0].body
    assert f"QA alert {alert.reference}" in mail.outbox[0].subject
    assert "A response is due by 17 October 2016." in body
    assert alert.children.get().child.local_child_id in body
    assert "Zephyrine" not in body and "Quillby" not in body  # child IDs only, never names
    tokens = {re.search(r"/qa-alerts/respond/([^/]+)/", m.body).group(1) for m in mail.outbox}
    assert len(tokens) == 2 and ResponseLink.objects.count() == 2
    # Sending again (a retried or repeated job) sends nothing.
    assert services.alert_emails_send(alert_pk=alert.pk) == 0
    assert len(mail.outbox) == 2


def test_no_email_is_sent_when_the_change_rolls_back(django_capture_on_commit_callbacks):
    """GIVEN an alert raised inside a transaction that then fails
    THEN the transaction rolls back and no email has gone."""
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        raise_alert()
        raise RuntimeError("a later step of the same change fails")
    assert callbacks == [] and mail.outbox == []
    assert not QaAlert.objects.exists()


def test_the_escalation_job_run_twice_changes_nothing_the_second_time(alert):
    """GIVEN a concern due on 17 Oct with no response
    WHEN the job runs on 18 Oct, twice
    THEN the first run escalates it to stage 1 (due 5 working days later, 25 Oct), the IRO gets
    one notice of it and one that no one is named for the stage; the second run changes nothing."""
    assert services.alerts_escalate_overdue(on=date(2016, 10, 18)) == 1
    snapshot = (
        list(AlertTransition.objects.values_list("kind", "from_stage", "to_stage")),
        list(AlertStage.objects.values_list("number", "due_on")),
        list(AlertNotice.objects.values_list("kind", "stage")),
    )
    assert snapshot[0][-1] == ("escalated_automatically", 0, 1)
    assert snapshot[1] == [(0, DUE), (1, date(2016, 10, 25))]
    assert sorted(snapshot[2]) == [("escalated", 1), ("no_addressee", 1)]
    assert services.alerts_escalate_overdue(on=date(2016, 10, 18)) == 0
    assert (
        list(AlertTransition.objects.values_list("kind", "from_stage", "to_stage")),
        list(AlertStage.objects.values_list("number", "due_on")),
        list(AlertNotice.objects.values_list("kind", "stage")),
    ) == snapshot


def test_the_job_is_idempotent_through_celery_and_on_the_beat_schedule(alert, settings):
    assert {entry["task"] for entry in app.conf.beat_schedule.values()} >= {
        "qa_alerts.tasks.alerts_escalate_nightly",
        "qa_alerts.tasks.alert_reminders_send_nightly",
    }
    # Today is long after October 2016, so stage 0 is overdue: the first run escalates it to
    # stage 1, which starts today and is not due for 5 working days; later runs do nothing.
    assert [tasks.alerts_escalate_nightly.delay().get() for _ in range(3)] == [1, 0, 0]
    assert QaAlert.objects.get(pk=alert.pk).stage == 1


def test_an_alert_overdue_at_the_last_stage_is_not_escalated_further_and_the_iro_is_told_once(alert):
    services.alert_escalate(
        alert=alert, to_stage=4, on=date(2016, 10, 18), reason="Urgent: placement at risk"
    )
    assert services.alerts_escalate_overdue(on=date(2016, 11, 1)) == 0
    assert services.alerts_escalate_overdue(on=date(2016, 11, 2)) == 0
    assert QaAlert.objects.get(pk=alert.pk).stage == 4
    assert list(AlertNotice.objects.values_list("kind", "stage")) == [("last_stage_overdue", 4)]


def test_a_response_waiting_for_the_iros_judgement_holds_the_escalation(alert):
    token = re.search(r"/qa-alerts/respond/([^/]+)/", mail.outbox[0].body).group(1)
    services.alert_response_through_link(token=token, responder_name="Pat", summary="Visit booked")
    assert services.alerts_escalate_overdue(on=date(2016, 10, 18)) == 0
    response = QaAlert.objects.get(pk=alert.pk).responses.get()
    services.alert_response_judge(response=response, satisfactory=False)
    assert services.alerts_escalate_overdue(on=date(2016, 10, 18)) == 1


def test_an_unsatisfactory_response_does_not_hold_it(alert):
    services.alert_response_record(
        alert=alert, received_on=date(2016, 10, 10), responder_name="Pat", summary="Later", satisfactory=False
    )
    assert services.alerts_escalate_overdue(on=date(2016, 10, 17)) == 0  # due that day: not yet late
    assert services.alerts_escalate_overdue(on=date(2016, 10, 18)) == 1


def test_an_escalation_with_an_addressee_emails_them_once(alert, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.alert_escalate(
            alert=alert,
            to_stage=1,
            on=date(2016, 10, 18),
            addressee_name="Tess Manager",
            addressee_email="tess@example.invalid",
        )
    assert [m.to for m in mail.outbox] == [["tess@example.invalid"]]
    assert "escalated to you as team manager" in mail.outbox[0].body
    assert "A response is due by 25 October 2016." in mail.outbox[0].body
    # The job and the catch-up find nothing more to send.
    assert services.alert_emails_catch_up() == 0
    assert len(mail.outbox) == 1


def test_naming_a_stages_addressee_after_an_automatic_escalation_emails_them(
    alert, django_capture_on_commit_callbacks
):
    services.alerts_escalate_overdue(on=date(2016, 10, 18))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.alert_stage_address(
            alert=alert, addressee_name="Sam Service", addressee_email="sam@example.invalid"
        )
    assert [m.to for m in mail.outbox] == [["sam@example.invalid"]]
    # The next alert of the team that escalates to stage 1 goes to Sam without being asked.
    second = raise_alert(raised_on=RAISED, team=alert.team)
    services.alerts_escalate_overdue(on=date(2016, 10, 18))
    assert AlertStage.objects.get(alert=second, number=1).addressee_email == "sam@example.invalid"


def test_reminders_go_once_on_the_reminder_day_and_not_after_a_response(alert):
    """Due Mon 17 Oct; 2 working days before is Thu 13 Oct: no reminder on Wed 12, one to each
    addressee on the 13th, none again on the 13th or the 14th."""
    mail.outbox.clear()
    assert services.alert_reminders_send(on=date(2016, 10, 12)) == 0
    assert services.alert_reminders_send(on=date(2016, 10, 13)) == 2
    assert services.alert_reminders_send(on=date(2016, 10, 13)) == 0
    assert services.alert_reminders_send(on=date(2016, 10, 14)) == 0
    assert all(m.subject.startswith("Reminder: QA alert") for m in mail.outbox)
    assert AlertEmail.objects.filter(kind="reminder").count() == 2
    other = raise_alert(raised_on=RAISED)
    services.alert_response_record(
        alert=other, received_on=date(2016, 10, 5), responder_name="Pat", summary="Later", satisfactory=False
    )
    assert services.alert_reminders_send(on=date(2016, 10, 13)) == 0


def test_reminders_go_to_every_alert_across_batches_and_a_second_run_costs_the_same_few_queries(
    monkeypatch, django_assert_num_queries
):
    """GIVEN three alerts raised Mon 3 Oct (due Mon 17 Oct, reminded Thu 13 Oct), each with a
    practitioner and a team manager
    WHEN the reminders run on the 13th in batches of two stages THEN six reminders go, two an
    alert; run again THEN none goes, in the same number of queries for one alert as for three:
    the settings and the stages (2), and per batch the stages with their alerts (5: the stages
    and alerts, children, children's records, concerns, categories) and the reminders already
    sent (1)."""
    from qa_alerts.services import notifications

    monkeypatch.setattr(notifications, "REMINDER_BATCH", 2)
    first = raise_alert(raised_on=RAISED)
    assert services.alert_reminders_send(on=date(2016, 10, 13)) == 2
    mail.outbox.clear()
    with django_assert_num_queries(2 + 6):
        assert services.alert_reminders_send(on=date(2016, 10, 13)) == 0
    others = [raise_alert(raised_on=RAISED), raise_alert(raised_on=RAISED)]
    assert services.alert_reminders_send(on=date(2016, 10, 13)) == 4
    reminded = sorted(re.search(r"QA alert (\S+) ", m.subject).group(1) for m in mail.outbox)
    assert reminded == sorted([other.reference for other in others] * 2)
    assert sorted(AlertEmail.objects.filter(kind="reminder").values_list("alert_id", flat=True)) == sorted(
        [first.pk] * 2 + [other.pk for other in others] * 2
    )
    with django_assert_num_queries(2 + 2 * 6):  # two batches: the three stages, two and one
        assert services.alert_reminders_send(on=date(2016, 10, 13)) == 0


@override_settings(EMAIL_BACKEND="tests.support.mail.FlakyEmailBackend")
def test_a_mail_server_that_drops_the_connection_is_retried_and_each_email_sent_once(
    django_capture_on_commit_callbacks,
):
    FlakyEmailBackend.failures = 1
    alert = raise_alert(raised_on=RAISED)
    # apply(throw=False) is how Celery runs a retry in-process; the retry runs straight away.
    assert tasks.alert_emails_send.apply(args=[alert.pk], throw=False).get() == 2
    assert tasks.alert_emails_send.apply(args=[alert.pk], throw=False).get() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["pat@example.invalid", "tess@example.invalid"]
    assert AlertEmail.objects.count() == 2
    # The failed send left no claim and no usable link behind: one link per email sent.
    assert ResponseLink.objects.count() == 2


@override_settings(EMAIL_BACKEND="tests.support.mail.FlakyEmailBackend")
def test_a_failed_send_leaves_no_claim_so_the_next_run_sends_it():
    FlakyEmailBackend.failures = 1
    alert = raise_alert(raised_on=RAISED)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.alert_emails_send(alert_pk=alert.pk)
    assert AlertEmail.objects.count() == 0 and ResponseLink.objects.count() == 0
    assert services.alert_emails_catch_up() == 2
