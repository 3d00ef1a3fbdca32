"""Faults, really made: Redis stopped, PostgreSQL restarted and a Celery worker killed under the
running application (web server and worker as deployed), each a service of the suite's own
(tests/faults/harness.py).

The import used is the three-child SSDA903 return of tests/reviews/test_ssda903.py, its child
ids prefixed so that each test imports children of its own: 3 children, 4 episodes, 5 reviews.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from reviews.ssda903.tables import EPISODES_COLUMNS, HEADER_COLUMNS, REVIEWS_COLUMNS
from tests.faults.harness import Stack, Web, wait_until
from tests.reviews.test_ssda903 import EPISODE_ROWS, HEADER_ROWS, REVIEW_ROWS, _csv

IMPORT_903 = "/reports/returns/import-ssda903/"


def return_903(prefix: str) -> dict[str, tuple[str, bytes]]:
    """The hand-worked return with its child ids A1..A3 renamed <prefix>1..<prefix>3 (and A2's
    UPN made "unknown", as UPNs are unique)."""

    def renamed(rows):
        return [[f"{prefix}{row[0][1:]}", *row[1:]] for row in rows]

    header = renamed(HEADER_ROWS)
    header[1][4] = "UN2"
    return {
        "ssda903-header": ("header.csv", _csv(HEADER_COLUMNS, header).encode()),
        "ssda903-episodes": ("episodes.csv", _csv(EPISODES_COLUMNS, renamed(EPISODE_ROWS)).encode()),
        "ssda903-reviews": ("reviews.csv", _csv(REVIEWS_COLUMNS, renamed(REVIEW_ROWS)).encode()),
    }


def upload_903(web: Web, stack: Stack, prefix: str) -> int:
    """Upload the return on the managers' page; returns its import's id."""
    status, location, _ = web.post_files(IMPORT_903, return_903(prefix))
    assert status == 302, (status, web.service.log_tail())
    return int(location.rstrip("/").rsplit("/", 1)[1])


def outcome(stack: Stack, exchange: int) -> tuple[str, int]:
    return stack.sql("SELECT outcome, attempts FROM audit_dataexchange WHERE id = %s", [exchange])[0]


def imported_once(stack: Stack, exchange: int, prefix: str, *, attempts: int) -> None:
    """The import finished once: its three children, four episodes and five reviews written
    once each, each child's "created" history once, and the history entry counting 3 created
    (a second run over a first run's writes would count them unchanged)."""
    like = f"{prefix}_"
    assert stack.sql("SELECT count(*) FROM people_child WHERE local_child_id LIKE %s", [like]) == [(3,)]
    assert stack.sql(
        "SELECT count(*) FROM people_historicalchild WHERE local_child_id LIKE %s AND history_type = '+'",
        [like],
    ) == [(3,)]
    assert stack.sql(
        "SELECT count(*) FROM reviews_episode e JOIN reviews_periodofcare p ON p.id = e.period_id "
        "JOIN people_child c ON c.id = p.child_id WHERE c.local_child_id LIKE %s",
        [like],
    ) == [(4,)]
    assert stack.sql(
        "SELECT count(*) FROM reviews_lacreview r JOIN reviews_periodofcare p ON p.id = r.period_id "
        "JOIN people_child c ON c.id = p.child_id WHERE c.local_child_id LIKE %s",
        [like],
    ) == [(5,)]
    counts, kept = stack.sql(
        "SELECT counts, (SELECT count(*) FROM audit_queuedupload WHERE exchange_id = %s) "
        "FROM audit_dataexchange WHERE id = %s",
        [exchange, exchange],
    )[0]
    assert counts["children"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert kept == 0  # the uploaded files are deleted once imported
    assert outcome(stack, exchange) == ("imported", attempts)


def wait_for_outcome(stack: Stack, exchange: int, wanted: str, seconds: float = 60) -> None:
    wait_until(lambda: outcome(stack, exchange)[0] == wanted, seconds, f"import {exchange} {wanted}", 0.2)


def test_with_redis_stopped_pages_and_saves_work_and_a_queued_import_runs_once_it_is_back(services):
    """GIVEN the web server and a worker running, then Redis stopped
    WHEN a manager opens pages, adds a non-working day and uploads a return
    THEN every page answers 200, the day is saved, and the upload is answered within 1 second
    with the import queued (the job could not be sent)
    WHEN Redis is started again (empty, as a restarted Redis without persistence is) and the
    sweep is sent, as beat sends it every five minutes
    THEN the worker imports the return, once."""
    stack = services
    web = stack.web()
    stack.worker()
    child = stack.sql("SELECT id FROM people_child ORDER BY id LIMIT 1")[0][0]
    assert web.get("/home/") == 200
    stack.redis.stop()

    for path in ("/home/", "/reviews/children/", f"/reviews/child/{child}/", "/reports/returns/"):
        assert web.get(path) == 200, (path, web.service.log_tail())
    status, _, _ = web.post_form(
        "/timescales/non-working-days/", {"date": "29/12/2031", "description": "Council closure"}
    )
    assert status == 302
    assert stack.sql("SELECT description FROM timescales_nonworkingday WHERE date = '2031-12-29'") == [
        ("Council closure",)
    ]
    status, location, seconds = web.post_files(IMPORT_903, return_903("R"))
    assert status == 302
    assert seconds < 1, f"the upload took {seconds:.2f} s with Redis down"
    exchange = int(location.rstrip("/").rsplit("/", 1)[1])
    assert outcome(stack, exchange) == ("queued", 0)
    assert web.get(location) == 200

    stack.redis.start()
    stack.send("reports.tasks.statutory_returns_sweep")
    wait_for_outcome(stack, exchange, "imported", 90)
    imported_once(stack, exchange, "R", attempts=1)


def test_after_postgresql_restarts_the_next_request_and_job_succeed(services):
    """GIVEN the web server (one process, one thread, connections kept for 60 s as deployed)
    and a worker, each holding a database connection from a first request and import
    WHEN PostgreSQL is restarted (every connection cut)
    THEN the very next page, save and import succeed, nothing restarted."""
    stack = services
    web = stack.web()
    stack.worker()
    assert web.get("/home/") == 200
    first = upload_903(web, stack, "P")
    wait_for_outcome(stack, first, "imported")

    stack.postgres.restart()

    assert web.get("/home/") == 200, web.service.log_tail()
    status, _, _ = web.post_form(
        "/timescales/non-working-days/", {"date": "30/12/2031", "description": "Council closure"}
    )
    assert status == 302
    second = upload_903(web, stack, "Q")
    wait_for_outcome(stack, second, "imported")
    imported_once(stack, second, "Q", attempts=1)


# --- the annual report's assembly -------------------------------------------------------------
# Started as a manager starts it: a year's report started, then its documents asked for. Each
# test uses a year of its own (the seeded county has reports for this year and last).
ANNUAL_YEARS = {"K": 2014, "W": 2015, "S": 2016}
# The section the test stops the job at: its figures read the challenge meetings, which no
# section before it reads. The 17 sections before it are saved by then.
ANNUAL_HELD_AT = "challenge-meetings"


def start_annual_report(web: Web, stack: Stack, prefix: str) -> int:
    """Start the year's report and ask for its documents; returns the assembly's id."""
    status, location, _ = web.post_form(
        "/reports/annual-report/start/", {"year_end": str(ANNUAL_YEARS[prefix])}
    )
    assert status == 302, (status, web.service.log_tail())
    version = int(location.rstrip("/").rsplit("/", 1)[1])
    status, location, _ = web.post_form(f"/reports/annual-report/versions/{version}/generate/", {})
    assert status == 302, (status, web.service.log_tail())
    return int(location.rstrip("/").rsplit("/", 1)[1])


def annual_sections_before_held() -> list[str]:
    from reports.annual.sections import SECTIONS

    keys = [section.key for section in SECTIONS]
    return keys[: keys.index(ANNUAL_HELD_AT)]


def annual_run(stack: Stack, run: int) -> tuple[str, int]:
    return stack.sql("SELECT status, attempts FROM reports_annualreportrun WHERE id = %s", [run])[0]


def annual_sections(stack: Stack, run: int) -> dict[str, int]:
    """Each section the run saved, with the attempt that built it."""
    return dict(
        stack.sql("SELECT section, attempt FROM reports_annualreportrunsection WHERE run_id = %s", [run])
    )


def annual_part_way(stack: Stack, run: int, session: int) -> bool:
    """The run has saved (committed) every section before the one it is stopped at."""
    return set(annual_sections(stack, run)) == set(annual_sections_before_held())


def annual_assembled_once(stack: Stack, run: int, prefix: str, attempts: int) -> None:
    """The run finished as its ``attempts``-th attempt with its three files, each section saved
    once: those saved before the worker died by the first attempt (read back, not built
    again), the rest by the last."""
    from reports.annual.sections import SECTIONS

    assert annual_run(stack, run) == ("done", attempts)
    before = set(annual_sections_before_held())
    assert annual_sections(stack, run) == {
        section.key: 1 if section.key in before else attempts for section in SECTIONS
    }
    [(html, docx, pdf)] = stack.sql(
        "SELECT length(html), length(docx), substr(pdf, 1, 4) FROM reports_annualreportrun WHERE id = %s",
        [run],
    )
    assert html > 0 and docx > 0 and bytes(pdf) == b"%PDF"


@dataclass(frozen=True)
class Job:
    """A background job for the worker-killed tests: how a person starts it, a table the test
    holds so that the job is stopped part way (``hold_mode`` EXCLUSIVE stops its writes there,
    ACCESS EXCLUSIVE its reads too), what it has written by then, the sweep that catches it up,
    and how to tell it finished, once.

    Another job is covered by adding one of these to JOBS (see docs/security.md, Faults)."""

    name: str
    start: Callable[[Web, Stack, str], int]  # returns the job's id for the checks below
    held: str
    hold_mode: str
    part_way: Callable[[Stack, int, int], bool]  # (stack, id, the job's database session)
    sweep: str
    finished: Callable[[Stack, int], bool]
    finished_once: Callable[[Stack, int, str, int], None]  # (stack, id, prefix, attempts)


def holds_written_rows(table: str) -> Callable[[Stack, int, int], bool]:
    """The job's session holds the row locks of what it has written to ``table``, uncommitted."""

    def check(stack: Stack, job_id: int, session: int) -> bool:
        return bool(
            stack.sql(
                "SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = %s "
                "AND c.relname = %s AND l.mode = 'RowExclusiveLock' AND l.granted",
                [session, table],
            )
        )

    return check


ANNUAL_REPORT = Job(
    name="annual report",
    start=start_annual_report,
    held="qa_alerts_challengemeeting",
    hold_mode="ACCESS EXCLUSIVE",
    part_way=annual_part_way,
    sweep="reports.annual.tasks.annual_report_runs_sweep",
    finished=lambda stack, run: annual_run(stack, run)[0] == "done",
    finished_once=annual_assembled_once,
)

JOBS = [
    Job(
        name="SSDA903 import",
        start=upload_903,
        held="reviews_lacreview",
        hold_mode="EXCLUSIVE",
        part_way=holds_written_rows("people_child"),
        sweep="reports.tasks.statutory_returns_sweep",
        finished=lambda stack, exchange: outcome(stack, exchange)[0] == "imported",
        finished_once=lambda stack, exchange, prefix, attempts: imported_once(
            stack, exchange, prefix, attempts=attempts
        ),
    ),
    ANNUAL_REPORT,
]


class TableHeld:
    """A table locked by another session: in EXCLUSIVE mode reads go on and a write waits; in
    ACCESS EXCLUSIVE mode a read waits too."""

    def __init__(self, stack: Stack, table: str, mode: str = "EXCLUSIVE"):
        self.connection = stack.postgres.connect(stack.database)
        self.connection.autocommit = False
        self.connection.cursor().execute(f"LOCK TABLE {table} IN {mode} MODE")

    def release(self) -> None:
        self.connection.commit()
        self.connection.close()


def blocked_part_way(stack: Stack, job: Job, job_id: int, *, not_of: set[int] = frozenset()) -> int:
    """Wait until a database session of the job (not one of ``not_of``) is waiting on the held
    table, with what it has written by then (``job.part_way``); returns that session's server
    process id."""

    def blocked():
        rows = stack.sql(
            "SELECT a.pid FROM pg_stat_activity a WHERE a.datname = current_database() "
            "AND a.wait_event_type = 'Lock' AND a.query ILIKE %s",
            [f"%{job.held}%"],
        )
        for (pid,) in rows:
            if pid not in not_of and job.part_way(stack, job_id, pid):
                return pid
        return None

    return wait_until(blocked, 60, f"the {job.name} blocked part way through", 0.1)


@pytest.mark.parametrize("job", JOBS, ids=lambda job: job.name)
def test_a_worker_process_killed_part_way_through_a_job_is_run_again_and_finishes_once(services, job):
    """GIVEN a worker running the job, stopped part way through its writes (some written, the
    next waiting on a table the test holds)
    WHEN the worker's process running it is killed outright (SIGKILL: the out-of-memory killer)
    THEN the worker hands the job back to the broker (acks late, reject on worker lost), runs it
    again, and it finishes once: what the killed run wrote was rolled back with its session."""
    stack = services
    web = stack.web()
    worker = stack.worker()
    held = TableHeld(stack, job.held, job.hold_mode)
    try:
        job_id = job.start(web, stack, "K")
        blocked_part_way(stack, job, job_id)
        [pool_process] = worker.children()
        os.kill(pool_process.pid, signal.SIGKILL)
        pool_process.wait(10)
    finally:
        held.release()
    wait_until(lambda: job.finished(stack, job_id), 90, f"the {job.name} finishing", 0.2)
    assert "WorkerLostError" in worker.log.read_text(errors="replace")
    job.finished_once(stack, job_id, "K", 2)


@pytest.mark.parametrize("job", JOBS, ids=lambda job: job.name)
def test_a_whole_worker_killed_part_way_through_a_job_is_caught_up_by_the_sweep(services, job):
    """GIVEN a worker running the job, stopped part way through its writes
    WHEN the whole worker is killed outright (its machine lost: nothing hands the job back, and
    the broker keeps it unacknowledged for an hour) and a new worker started
    THEN the next sweep sends the job again and it finishes once."""
    stack = services
    web = stack.web()
    worker = stack.worker()
    held = TableHeld(stack, job.held, job.hold_mode)
    try:
        job_id = job.start(web, stack, "W")
        session = blocked_part_way(stack, job, job_id)
        worker.kill()
    finally:
        held.release()
    # The killed worker's database session ends once PostgreSQL sees its client gone, and
    # with it the lock and the half-written transaction.
    wait_until(
        lambda: not stack.sql("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [session]),
        30,
        "the killed worker's database session ending",
    )
    assert not job.finished(stack, job_id)
    stack.worker()
    stack.send(job.sweep)
    wait_until(lambda: job.finished(stack, job_id), 90, f"the {job.name} finishing", 0.2)
    job.finished_once(stack, job_id, "W", 2)


def test_an_annual_report_that_kills_its_worker_three_times_is_failed_with_a_plain_message(services):
    """GIVEN a worker assembling an annual report, stopped part way (its sections up to 5.9
    saved, 5.10 waiting on a table the test holds)
    WHEN the worker's process running it is killed outright, and again each time the broker
    hands the job back and it reaches the same place, 3 times
    THEN the fourth time the job is not tried again: the run is failed, and its page says, in
    words, that it stopped 3 times and where; the sections saved are kept."""
    stack = services
    web = stack.web()
    worker = stack.worker()
    held = TableHeld(stack, ANNUAL_REPORT.held, ANNUAL_REPORT.hold_mode)
    try:
        run = ANNUAL_REPORT.start(web, stack, "S")
        killed: set[int] = set()
        for attempt in (1, 2, 3):
            killed.add(blocked_part_way(stack, ANNUAL_REPORT, run, not_of=killed))
            assert annual_run(stack, run) == ("running", attempt)
            [pool_process] = worker.children()
            os.kill(pool_process.pid, signal.SIGKILL)
            pool_process.wait(10)
        wait_until(lambda: annual_run(stack, run)[0] == "failed", 90, "the annual report failing", 0.2)
    finally:
        held.release()
    assert annual_run(stack, run) == ("failed", 4)
    [(failed_section, error)] = stack.sql(
        "SELECT failed_section, error FROM reports_annualreportrun WHERE id = %s", [run]
    )
    assert failed_section == "5.10 Challenge meetings"
    assert "stopped without finishing 3 times" in error
    assert annual_sections(stack, run) == dict.fromkeys(annual_sections_before_held(), 1)
    status, page = web.page(f"/reports/annual-report/runs/{run}/")
    assert status == 200
    assert "The report could not be assembled: 5.10 Challenge meetings failed" in page
    assert "stopped without finishing 3 times" in page
