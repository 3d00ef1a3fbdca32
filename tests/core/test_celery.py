"""Celery: configuration in code, eager without Redis, and the real broker when REDIS_URL is
set (.ci/run sets it; elsewhere those tests are skipped and say why)."""

import os
import time

import pytest
from celery import Celery
from django.conf import settings

from iro_service.celery import app
from iro_service.core.jobs import broker_outage, enqueue
from iro_service.core.tasks import sessions_purge_expired

REDIS_URL = os.environ.get("REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no real Redis to test against")


def test_celery_uses_json_and_has_time_limits():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit > 0


def test_beat_schedule_is_defined_in_code_and_names_real_tasks():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_tests_run_tasks_eagerly():
    assert settings.CELERY_TASK_ALWAYS_EAGER is True


@pytest.mark.django_db(transaction=True)
def test_enqueue_runs_the_task_after_commit():
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.create(
        session_key="expired", session_data="", expire_date=timezone.now() - timezone.timedelta(days=1)
    )
    enqueue(sessions_purge_expired)
    assert not Session.objects.filter(session_key="expired").exists()


@pytest.mark.redis
@needs_redis
def test_a_task_message_reaches_the_real_redis_broker():
    import redis

    queue = f"iro-test-{os.getpid()}"
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(queue)
    sender = Celery(broker=REDIS_URL, set_as_current=False)
    sender.conf.task_serializer = "json"
    sender.send_task("iro_service.core.tasks.sessions_purge_expired", queue=queue)
    try:
        assert client.llen(queue) == 1
    finally:
        client.delete(queue)


@pytest.mark.redis
@needs_redis
@pytest.mark.django_db(transaction=True)
def test_enqueueing_does_not_hang_when_the_broker_is_down(caplog):
    """GIVEN a broker that refuses connections
    WHEN a job is enqueued
    THEN enqueue returns within seconds and logs the failure instead of raising."""
    down = Celery(broker="redis://127.0.0.1:1/0", set_as_current=False)
    down.conf.broker_connection_timeout = 1
    down.conf.broker_transport_options = {"max_retries": 0}

    @down.task(name="iro-test.noop")
    def noop():
        return None

    started = time.monotonic()
    with caplog.at_level("ERROR"):
        # Outside a transaction on_commit sends at once.
        enqueue(noop)
    assert time.monotonic() - started < 10
    assert "Could not queue iro-test.noop" in caplog.text
    broker_outage.reset()
