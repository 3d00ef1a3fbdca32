"""A Redis outage must not take the service down (issue 10, item 4).

With REDIS_URL set, Redis is the cache (the API throttle's counts, the extra non-working days)
and the job broker. These tests point both at a closed port on 127.0.0.1 and open every kind
of page that reads the cache or queues a job: each answers as usual, and Redis is tried once,
not once per read, because after a failure it is left alone for a pause. A spy on redis-py's
connect (the outside world; nothing of ours is replaced) counts the attempts."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import time
from datetime import date

import pytest
import redis.connection
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from iro_service.audit.services import api_token_issue
from iro_service.celery import app as celery_app
from iro_service.core import cache as resilient_cache
from iro_service.core.jobs import broker_outage
from iro_service.core.roles import Role
from iro_service.timescales.dates import EXTRA_DAYS_CACHE_KEY, extra_non_working_days
from iro_service.timescales.services import non_working_day_add
from tests.factories.county import small_county

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 that refuses connections: bound (so nothing else takes it) but not
    listening."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture
def connects(monkeypatch):
    """The number of TCP connections redis-py has tried to open."""
    attempts = []
    real_connect = redis.connection.Connection._connect

    def counted(self):
        attempts.append((self.host, self.port))
        return real_connect(self)

    monkeypatch.setattr(redis.connection.Connection, "_connect", counted)
    return attempts


def _resilient_cache_settings(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "iro_service.core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": f"iro-test-{os.getpid()}",
            "RETRY_AFTER": 60,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


@pytest.fixture
def cache_down(settings, closed_port):
    settings.CACHES = _resilient_cache_settings(closed_port)
    yield closed_port
    resilient_cache._outages.clear()


@pytest.fixture
def broker_down(closed_port):
    """Celery as under REDIS_URL (not eager), with its broker on the closed port."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, f"redis://127.0.0.1:{closed_port}/0"
    celery_app._pool, celery_app.amqp._producer_pool = None, None
    yield
    conf.task_always_eager, conf.broker_url = saved
    celery_app._pool, celery_app.amqp._producer_pool = None, None
    broker_outage.reset()


def test_every_page_that_reads_the_cache_answers_with_redis_down(
    client, make_user, cache_down, connects, caplog
):
    """GIVEN the cache on a port that refuses connections
    WHEN each role opens its home page, and managers the lists that work out due dates
    THEN every page answers 200, the cache was tried once in all, and one warning is logged."""
    county = small_county()
    pages = [
        reverse("reviews:children-in-care"),
        reverse("reviews:care-record", args=[county.child.pk]),
        reverse("reviews:to-book"),
        reverse("conferences:to-book"),
    ]
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="iro_service.core.outages"):
        for role in (Role.IRO, Role.IRO_MANAGER, Role.BUSINESS_SUPPORT, Role.SENIOR_MANAGER):
            client.force_login(make_user(role, username=f"outage-{role}"))
            assert client.get(reverse("home")).status_code == 200, role
        client.force_login(make_user(Role.IRO_MANAGER, username="outage-lists"))
        for url in pages:
            assert client.get(url).status_code == 200, url
    assert connects == [("127.0.0.1", cache_down)]
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        f"The Redis cache at 127.0.0.1:{cache_down} is unreachable"
    ]
    assert time.monotonic() - started < 30  # sanity only; the count above is the real bound


def test_the_api_answers_unthrottled_with_redis_down(api_user, manager_user, cache_down, connects):
    small_county()
    api_client = APIClient()
    _, plain = api_token_issue(user=api_user, name="BI tool", scopes=["read"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {plain}")
    for _ in range(3):
        assert api_client.get("/api/v1/children/").status_code == 200
    api_client.credentials()
    api_client.force_login(manager_user)
    assert api_client.get("/api/v1/children/").status_code == 200
    assert len(connects) == 1


def test_the_extra_non_working_days_come_from_the_database_while_redis_is_down(cache_down, connects):
    non_working_day_add(day=date(2031, 12, 29), description="Council closure")
    assert extra_non_working_days() == frozenset({date(2031, 12, 29)})
    assert cache.get(EXTRA_DAYS_CACHE_KEY) is None
    assert len(connects) == 1


def test_an_upload_that_queues_an_import_answers_with_redis_down(
    client, manager_user, broker_down, connects, django_capture_on_commit_callbacks
):
    """GIVEN Redis down as the job broker
    WHEN a manager uploads two returns one after the other
    THEN both uploads are saved and answered, the broker is tried on the first only (kombu's
    one retry: two connects), and the queued imports are left for the nightly run."""
    from iro_service.audit.models import DataExchange
    from tests.reports.test_returns_pages import uploads

    client.force_login(manager_user)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:returns-import-903"), uploads())
        assert response.status_code == 302
    assert list(DataExchange.objects.values_list("outcome", flat=True)) == ["queued", "queued"]
    assert len(connects) == 2


@pytest.fixture
def own_redis(tmp_path):
    """A Redis server of this test's own, which the test can stop and start again."""
    if not (os.environ.get("REDIS_URL") and os.path.exists("/usr/bin/redis-server")):
        pytest.skip("REDIS_URL is not set or redis-server is not installed")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    servers = []

    def start():
        servers.append(subprocess.Popen([*command, "--dir", str(tmp_path)], stdout=subprocess.DEVNULL))
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop():
        servers[-1].terminate()
        servers[-1].wait(10)

    yield port, start, stop
    for server in servers:
        if server.poll() is None:
            server.terminate()
            server.wait(10)


@pytest.mark.redis
def test_the_cache_is_used_again_once_redis_is_back(settings, own_redis, connects, caplog):
    port, start, stop = own_redis
    settings.CACHES = _resilient_cache_settings(port)
    settings.CACHES["default"]["RETRY_AFTER"] = 0.5
    try:
        start()
        cache.set("colour", "green")
        assert cache.get("colour") == "green"
        stop()
        assert cache.get("colour", "miss") == "miss"
        start()
        assert cache.get("colour", "still paused") == "still paused"  # within the pause: not tried
        time.sleep(0.6)
        cache.set("colour", "blue")
        assert cache.get("colour") == "blue"
        assert "is reachable again" in caplog.text
    finally:
        resilient_cache._outages.clear()
