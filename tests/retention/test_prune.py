"""The nightly prune of operational records: what goes, what stays, and that a second run
removes nothing more."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from consultations import services as consultations
from consultations.models import Consultation, Question
from iro_service.audit.models import AccessLog, ApiToken
from iro_service.audit.services import api_token_issue
from iro_service.signin.models import SignedInSession
from retention.services import operational_records_prune
from retention.tasks import operational_records_prune_nightly
from tests.factories.county import small_county

pytestmark = pytest.mark.django_db


def _at(moment):
    """Move the clock (only the clock) to ``moment`` while rows with auto_now_add are written."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def _axes_rows(**fields):
    return {"username": "someone", "ip_address": "10.0.0.1", "user_agent": "test", **fields}


@pytest.fixture
def scene(iro_user, manager_user, api_user):
    """The small county and, around it, operational records old and new (the defaults: 90
    days for sign-in attempts, 30 days and 12 hours for ended sessions, 365 days for tokens, 90
    days for consultation links, 6 years for the access log)."""
    county = small_county(chair_user=iro_user)
    now = timezone.now()
    with _at(now - timedelta(days=100)):
        AccessAttempt.objects.create(**_axes_rows(failures_since_start=1))
        AccessAttempt.objects.create(**_axes_rows(username="other", failures_since_start=2))
        AccessFailureLog.objects.create(**_axes_rows())
        AxesAccessLog.objects.create(**_axes_rows())
    AccessAttempt.objects.create(**_axes_rows(username="today", failures_since_start=1))
    AxesAccessLog.objects.create(**_axes_rows())

    live = SessionStore()
    live.create()
    for days, key in ((40, "ended-long-ago"), (40, live.session_key), (1, "ended-yesterday")):
        SignedInSession.objects.create(
            user=iro_user, session_key=key, signed_in_at=now - timedelta(days=days)
        )

    expired, _ = api_token_issue(user=api_user, name="Old BI", scopes=["figures"])
    revoked, _ = api_token_issue(user=api_user, name="Revoked last week", scopes=["figures"])
    api_token_issue(user=api_user, name="In use", scopes=["figures"])
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=now - timedelta(days=400))
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=now - timedelta(days=10))

    # Sent 200 days ago: expired 172 days ago (28-day links). The carer never answered; the
    # parent did, so theirs is part of Amy's record and stays.
    with _at(now - timedelta(days=200)):
        unanswered, _ = consultations.consultation_send(
            meeting=county.meeting, audience="carer", respondent_name="Carer", channel="letter"
        )
        answered, _ = consultations.consultation_send(
            meeting=county.meeting, audience="parent", respondent_name="Parent", channel="letter"
        )
        question = Question.objects.filter(question_set__audience="parent", question_set__occasion="review")[
            0
        ]
        consultations.answer_save(consultation=answered, question=question, value="All well")

    with _at(now - timedelta(days=7 * 365)):
        AccessLog.objects.create(
            user=manager_user, child=county.child, what="Child record: summary", path="/"
        )
    AccessLog.objects.create(user=manager_user, child=county.child, what="Child record: summary", path="/")
    return {
        "county": county,
        "now": now,
        "live_session": live.session_key,
        "expired": expired,
        "unanswered": unanswered,
        "answered": answered,
    }


def test_the_nightly_prune_removes_only_what_is_past_its_period_and_a_second_run_nothing(scene):
    """GIVEN the scene's old and new operational records
    WHEN the nightly task runs, and runs again
    THEN the first run removes, by hand: 2 sign-in attempts, 1 failed sign-in, 1 sign-in, the
    1 session record ended long ago (not the one 40 days old whose session is still live, nor
    yesterday's), the 1 token expired 400 days ago (with its history; not the one revoked last
    week, kept for a year), the 1 consultation link that ended unanswered 172 days ago (not the
    answered one), and the 1 access-log row seven years old; the second run removes nothing."""
    counts = operational_records_prune_nightly()
    assert counts == {
        "sign-in attempts": 2,
        "failed sign-ins": 1,
        "sign-ins": 1,
        "ended sessions": 1,
        "API tokens": 1,
        "consultation links": 1,
        "access log rows": 1,
    }
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"today"}
    assert set(SignedInSession.objects.values_list("session_key", flat=True)) == {
        scene["live_session"],
        "ended-yesterday",
    }
    assert set(ApiToken.objects.values_list("name", flat=True)) == {"Revoked last week", "In use"}
    assert not ApiToken.history.filter(id=scene["expired"].pk).exists()
    assert not Consultation.objects.filter(pk=scene["unanswered"].pk).exists()
    assert not Consultation.history.filter(id=scene["unanswered"].pk).exists()
    assert Consultation.objects.filter(pk=scene["answered"].pk).exists()
    assert AccessLog.objects.filter(child=scene["county"].child).count() == 1

    assert set(operational_records_prune().values()) == {0}


def test_the_prune_logs_its_counts(scene, caplog):
    with caplog.at_level("INFO", logger="retention.services"):
        operational_records_prune()
    assert (
        "Retention: pruned 2 sign-in attempts, 1 failed sign-ins, 1 sign-ins, 1 ended sessions" in caplog.text
    )
