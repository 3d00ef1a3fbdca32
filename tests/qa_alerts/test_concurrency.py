"""Two people acting on one alert at once, each on a real connection of their own: one succeeds,
the other is refused, and the alert has one transition, never a lost or a doubled one."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from qa_alerts import services
from qa_alerts.models import AlertStage, AlertTransition, QaAlert
from tests.factories.qa_alerts import raise_alert

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(*actions):
    """Run each action in a thread of its own (so on a database connection of its own), all
    released together while this connection holds the alert's row lock, so that they really do
    meet at the lock. Returns what each returned or raised."""
    results: list = [None] * len(actions)
    ready = threading.Barrier(len(actions) + 1)

    def run(index, action):
        ready.wait()
        try:
            results[index] = action()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    return threads, results, ready


def _race(alert, *actions):
    threads, results, ready = _at_once(*actions)
    with transaction.atomic():
        QaAlert.objects.select_for_update().get(pk=alert.pk)
        for thread in threads:
            thread.start()
        ready.wait()
        time.sleep(0.5)  # both are now waiting for this lock
    for thread in threads:
        thread.join(timeout=20)
    return results


def test_two_iros_escalating_from_the_same_page_move_the_alert_once():
    """GIVEN an alert at stage 0, opened by two IROs at the same version
    WHEN both escalate it to stage 1 at the same moment
    THEN one escalation is made and the other is refused as stale."""
    alert = raise_alert()
    seen = alert.updated_at

    def escalate():
        return services.alert_escalate(alert=alert, to_stage=1, on=date(2016, 10, 20), seen_updated_at=seen)

    results = _race(alert, escalate, escalate)
    made = [r for r in results if isinstance(r, QaAlert)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(made) == 1 and len(refused) == 1, results
    assert "Someone else changed this alert" in " ".join(refused[0].messages)
    assert AlertTransition.objects.filter(alert=alert, kind="escalated").count() == 1
    assert list(AlertStage.objects.filter(alert=alert).values_list("number", flat=True)) == [0, 1]


def test_without_a_version_the_stage_chosen_still_stops_a_double_escalation():
    alert = raise_alert()

    def escalate():
        return services.alert_escalate(alert=alert, to_stage=1, on=date(2016, 10, 20))

    results = _race(alert, escalate, escalate)
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert "already at stage 1" in " ".join(refused[0].messages)
    assert AlertTransition.objects.filter(alert=alert, kind="escalated").count() == 1


def test_the_nightly_job_and_an_iro_resolving_at_once_do_not_both_act():
    """GIVEN an overdue alert
    WHEN the nightly job runs while an IRO resolves it
    THEN either it is resolved at stage 0, or escalated and then resolved; never escalated after
    being resolved, and never two escalations."""
    alert = raise_alert(raised_on=date(2016, 10, 3))

    results = _race(
        alert,
        lambda: services.alerts_escalate_overdue(on=date(2016, 10, 18)),
        lambda: services.alert_resolve(alert=alert, outcome="withdrawn", resolved_on=date(2016, 10, 18)),
    )
    assert not any(isinstance(r, Exception) for r in results), results
    alert.refresh_from_db()
    assert alert.status == "resolved"
    kinds = list(
        AlertTransition.objects.filter(alert=alert).order_by("at", "pk").values_list("kind", flat=True)
    )
    assert kinds in (["raised", "resolved"], ["raised", "escalated_automatically", "resolved"])
    # The job skips a row someone holds (skip_locked): if it met the IRO's lock, the alert
    # stays at stage 0; it never escalated a resolved alert.
    assert kinds[-1] == "resolved"


def test_a_response_link_used_twice_at_once_records_one_response():
    alert = raise_alert()
    _, token = services.response_link_issue(alert=alert, stage=0, recipient="pat@example.invalid")

    def respond():
        return services.alert_response_through_link(token=token, responder_name="Pat", summary="Done")

    results = _race(alert, respond, respond)
    refused = [r for r in results if isinstance(r, services.LinkRefused)]
    assert len(refused) == 1 and refused[0].reason == "used", results
    assert alert.responses.count() == 1
