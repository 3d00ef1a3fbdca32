"""``enqueue_slow`` without a broker: a job sent while a page is answered runs once the page's
response has been sent; one sent anywhere else (a command, a scheduled job) runs at once, as
``enqueue`` does. The page case, through a real server, is in
tests/reports/test_returns_upload_in_background.py."""

import pytest
from django.contrib.sessions.models import Session
from django.core.signals import request_finished, request_started
from django.utils import timezone

from iro_service.core.jobs import enqueue_slow
from iro_service.core.tasks import sessions_purge_expired

pytestmark = pytest.mark.django_db(transaction=True)


def _expired_session():
    Session.objects.create(
        session_key="expired", session_data="", expire_date=timezone.now() - timezone.timedelta(days=1)
    )


def test_outside_a_request_a_slow_job_runs_after_commit():
    _expired_session()
    enqueue_slow(sessions_purge_expired)
    assert not Session.objects.filter(session_key="expired").exists()


def test_during_a_request_a_slow_job_waits_for_the_response_to_be_sent():
    _expired_session()
    request_started.send(sender=None)
    try:
        enqueue_slow(sessions_purge_expired)
        assert Session.objects.filter(session_key="expired").exists()
    finally:
        request_finished.send(sender=None)
    assert not Session.objects.filter(session_key="expired").exists()
