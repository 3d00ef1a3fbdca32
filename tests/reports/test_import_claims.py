"""A queued import is run by one worker at a time, again after a worker died part way, and not
for ever. The worker running it holds a PostgreSQL advisory lock on it; here a second database
session stands in for that worker. The whole story, with real workers killed, is in the fault
suite (tests/faults/test_faults.py)."""

from __future__ import annotations

import contextlib

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse

from iro_service.audit.models import DataExchange, QueuedUpload
from reports import services
from reviews.models import LacReview
from tests.reports.test_returns_pages import uploads

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def another_worker_running(exchange_pk: int):
    """A second session holding the import's lock, as the worker running it does."""
    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or None
    )
    other.autocommit = True
    try:
        other.cursor().execute("SELECT pg_advisory_lock(%s, %s)", [services._IMPORT_LOCK, exchange_pk])
        yield
        # Unlocked before closing: a closed session's locks go a moment later, not at once.
        other.cursor().execute("SELECT pg_advisory_unlock(%s, %s)", [services._IMPORT_LOCK, exchange_pk])
    finally:
        other.close()


def _queued(client, manager_user, **state) -> DataExchange:
    client.force_login(manager_user)
    client.post(reverse("reports:returns-import-903"), uploads())
    run = DataExchange.objects.get()
    DataExchange.objects.filter(pk=run.pk).update(**state)
    return run


def test_a_run_left_running_by_a_dead_worker_is_run_again_and_imports_once(client, manager_user):
    """ "Running" with nobody holding the lock: the worker died, and what it wrote went with its
    transaction; the next run imports the three children and five reviews, once."""
    run = _queued(client, manager_user, outcome="running", attempts=1)
    assert services.statutory_return_import_queued(exchange_pk=run.pk) == "imported"
    run.refresh_from_db()
    assert (run.attempts, run.counts["children"]["created"], LacReview.objects.count()) == (2, 3, 5)
    assert QueuedUpload.objects.count() == 0


def test_a_run_another_worker_holds_is_left_to_it(client, manager_user, monkeypatch):
    monkeypatch.setattr(services, "LOCK_WAIT", "50ms")
    run = _queued(client, manager_user, outcome="running", attempts=1)
    with another_worker_running(run.pk), pytest.raises(services.ImportBusy):
        services.statutory_return_import_queued(exchange_pk=run.pk)
    run.refresh_from_db()
    assert (run.outcome, run.attempts, QueuedUpload.objects.count()) == ("running", 1, 3)


def test_an_import_that_has_killed_its_worker_three_times_is_not_tried_again(client, manager_user):
    run = _queued(client, manager_user, outcome="running", attempts=3)
    assert services.statutory_return_import_queued(exchange_pk=run.pk) == "failed"
    run.refresh_from_db()
    assert run.problems[0]["message"].startswith("The import stopped its worker 3 times")
    assert (LacReview.objects.count(), QueuedUpload.objects.count()) == (0, 0)


def test_the_sweep_sends_again_a_dead_run_and_leaves_a_live_one(
    client, manager_user, django_capture_on_commit_callbacks
):
    """A run "running" for a minute: while a worker holds it the sweep leaves it alone; once
    nobody does, the sweep sends it again (and the test settings run the job at once)."""
    run = _queued(client, manager_user, outcome="running", attempts=1)
    with another_worker_running(run.pk), django_capture_on_commit_callbacks(execute=True):
        assert services.statutory_returns_sweep() == {"requeued": 0, "failed": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.statutory_returns_sweep() == {"requeued": 1, "failed": 0}
    run.refresh_from_db()
    assert (run.outcome, run.attempts) == ("imported", 2)
