"""The annual report job's claims and its sweep, on the test database: a run stopped too often is
failed with a plain message, the sweep sends again a run never started or whose worker died,
and leaves alone one a worker holds. The same faults made for real (a worker killed part way
through, with Redis and a worker of their own) are in tests/faults/test_faults.py."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reports.annual import services
from reports.models import AnnualReportRun, AnnualReportRunSection, RunStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(manager_user):
    return services.annual_report_start(year_end=2017, user=manager_user)


def _run(draft, **fields) -> AnnualReportRun:
    return AnnualReportRun.objects.create(version=draft, printed_on=date(2017, 6, 30), **fields)


@contextlib.contextmanager
def held_by_another_worker(run: AnnualReportRun):
    """The run's lock taken by another database session, as a worker assembling it holds it."""
    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"],
    )
    try:
        other.cursor().execute("SELECT pg_advisory_lock(%s, %s)", [services._RUN_LOCK, run.pk])
        yield
    finally:
        other.close()


def test_a_run_started_a_fourth_time_is_failed_naming_where_it_last_stopped(draft, manager_user, client):
    """GIVEN a run its workers started 3 times, each time stopped part way (the last time while
    it was on 5.10 Challenge meetings), with the sections before it saved
    WHEN the broker hands the job out a fourth time
    THEN it is not tried again: it is failed, and its page says why and where, in words."""
    run = _run(draft, status=RunStatus.RUNNING, attempts=3, step="Assembling 5.10 Challenge meetings")
    AnnualReportRunSection.objects.create(run=run, section="summary", blocks=[], attempt=1)

    assert services.annual_report_run_execute(run_pk=run.pk) == RunStatus.FAILED

    run.refresh_from_db()
    assert (run.status, run.attempts, run.failed_section) == (RunStatus.FAILED, 4, "5.10 Challenge meetings")
    assert run.sections.count() == 1  # nothing more was built
    assert "stopped without finishing 3 times" in run.error
    assert "the last time while it was on 5.10 Challenge meetings" in run.error
    client.force_login(manager_user)
    page = client.get(reverse("reports:annual-run", args=[run.pk])).content.decode()
    assert "The report could not be assembled: 5.10 Challenge meetings failed" in page
    assert "stopped without finishing 3 times" in page


def test_a_run_held_by_another_worker_is_left_to_it(draft, monkeypatch):
    run = _run(draft, status=RunStatus.RUNNING, attempts=1)
    monkeypatch.setattr(services, "LOCK_WAIT", "50ms")
    with held_by_another_worker(run):
        assert services.annual_report_run_execute(run_pk=run.pk) == "busy"
    run.refresh_from_db()
    assert (run.status, run.attempts) == (RunStatus.RUNNING, 1)


def test_the_sweep_sends_again_the_runs_that_stalled_and_fails_one_stopped_three_times(
    draft, manager_user, django_capture_on_commit_callbacks
):
    """GIVEN five runs: one queued 3 minutes ago and never started (the broker was down), one
    queued a minute ago (still on its way), one running whose worker died (its lock free), one
    running that a worker holds, and one whose worker died for the third time
    WHEN the sweep runs
    THEN it sends the job again for the first and the third (2 sent), fails the last, and
    leaves the others alone."""
    from reports.models import AnnualReport

    now = timezone.now()
    versions = [draft]
    for year in (2013, 2014, 2015, 2016):
        versions.append(services.annual_report_start(year_end=year, user=manager_user))
    stalled = _run(versions[0])
    on_its_way = _run(versions[1])
    died = _run(versions[2], status=RunStatus.RUNNING, attempts=1, step="Assembling 5.4 Participation")
    held = _run(versions[3], status=RunStatus.RUNNING, attempts=1)
    third = _run(versions[4], status=RunStatus.RUNNING, attempts=3, step="Writing the PDF")
    AnnualReportRun.objects.filter(pk=stalled.pk).update(requested_at=now - timedelta(minutes=3))
    AnnualReportRun.objects.filter(pk=on_its_way.pk).update(requested_at=now - timedelta(minutes=1))

    with held_by_another_worker(held), django_capture_on_commit_callbacks() as sent:
        assert services.annual_report_runs_sweep(now=now) == {"requeued": 2, "failed": 1}

    assert len(sent) == 2
    statuses = dict(AnnualReportRun.objects.values_list("pk", "status"))
    assert statuses == {
        stalled.pk: RunStatus.QUEUED,
        on_its_way.pk: RunStatus.QUEUED,
        died.pk: RunStatus.RUNNING,
        held.pk: RunStatus.RUNNING,
        third.pk: RunStatus.FAILED,
    }
    third.refresh_from_db()
    assert third.failed_section == "the PDF"
    assert AnnualReport.objects.count() == 5


def test_the_sweep_runs_every_minute():
    from iro_service.celery import app

    entry = next(
        entry
        for entry in app.conf.beat_schedule.values()
        if entry["task"] == "reports.annual.tasks.annual_report_runs_sweep"
    )
    # Every minute: a run whose worker died is sent again within a minute, and one never sent
    # within the two minutes it is given to start plus a minute.
    assert entry["schedule"].minute == set(range(60)) and entry["schedule"].hour == set(range(24))
    assert services.NOT_STARTED_AFTER.total_seconds() == 120


def test_the_sweep_takes_back_a_run_whose_worker_machine_was_lost(
    draft, manager_user, django_capture_on_commit_callbacks
):
    """GIVEN two running runs whose locks are held by open database sessions: one whose worker
    last reported a step 16 minutes ago (its machine was lost: the session stays open, holding
    the lock, until TCP notices, which can take hours) and one that reported a step a minute ago
    WHEN the sweep runs (the lease is 15 minutes)
    THEN it ends the lost machine's session, so the lock is free, and sends that run again (1
    sent); the run whose worker is alive is left to it."""
    now = timezone.now()
    lost = _run(draft, status=RunStatus.RUNNING, attempts=1, step="Writing the PDF")
    alive = _run(
        services.annual_report_start(year_end=2016, user=manager_user),
        status=RunStatus.RUNNING,
        attempts=1,
        step="Assembling 5.4 Participation",
    )
    AnnualReportRun.objects.filter(pk=lost.pk).update(step_at=now - timedelta(minutes=16))
    AnnualReportRun.objects.filter(pk=alive.pk).update(step_at=now - timedelta(minutes=1))

    with held_by_another_worker(lost), held_by_another_worker(alive):
        with django_capture_on_commit_callbacks() as sent:
            assert services.annual_report_runs_sweep(now=now) == {"requeued": 1, "failed": 0}
        # The lost machine's session is gone: its lock can be taken; the live worker's cannot.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [services._RUN_LOCK, lost.pk])
            assert cursor.fetchone()[0] is True
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [services._RUN_LOCK, lost.pk])
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [services._RUN_LOCK, alive.pk])
            assert cursor.fetchone()[0] is False

    assert len(sent) == 1
    assert services.LEASE.total_seconds() == 900


def test_each_step_renews_the_lease(draft):
    """A step written by the job stamps when it was reported; writing files or the status alone
    (no step) leaves the stamp as it was."""
    run = _run(draft, status=RunStatus.RUNNING, attempts=1)
    assert run.step_at is None
    services._set(run.pk, step="Assembling 1 Executive summary")
    run.refresh_from_db()
    first = run.step_at
    assert first is not None and timezone.now() - first < timedelta(seconds=5)
    services._set(run.pk, contents={"texts": {}})
    run.refresh_from_db()
    assert run.step_at == first
