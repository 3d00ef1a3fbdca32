"""The demo county, loaded once per test run into a PostgreSQL template database, and copied
for each test worker that has tests reading it.

Why a template, not a session-scoped fixture: loading the whole county takes about 15 s on a
quiet machine (a minute on a busy one), and seven test modules read it. Each pytest-xdist
worker has a test database of its own, so a county loaded into one worker's database is not
seen by the other; and a county held in a session-long transaction would be seen by every
later test on that worker, which expects an empty database (grouping the demo tests on one
worker with ``--dist loadgroup`` would also put half the suite's slowest tests on one core).
So the first worker to set up loads the county with ``load_demo`` (committed) into a copy of
its freshly migrated, still empty test database, and each worker that runs a demo test copies
that with ``CREATE DATABASE ... TEMPLATE`` (a block copy, a second or two) and points its
connection at the copy for one module at a time. The default ``--dist load`` is kept.

The template is rebuilt in every run (its comment names the run that built it, with what the
loader printed), so a change to a loader is always tested; workers wait for it on a PostgreSQL
advisory lock, which needs no shared file system. The copies are dropped when their worker
finishes and the template when the run does.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from io import StringIO

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

# The day the demo county is carried on to in the tests (it is loaded to the day it is loaded
# otherwise): fixed, so that every run tests the same county.
TODAY = date(2026, 11, 30)

# The run this process belongs to: pytest-xdist gives its workers the same id; a run without
# workers is a process of its own.
RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex


@dataclass(frozen=True)
class DemoDatabase:
    """A worker's copy of the demo county, and what ``load_demo`` printed when it was loaded."""

    name: str
    output: str


def _template_name() -> str:
    database = settings.DATABASES["default"]
    test_name = database.get("TEST", {}).get("NAME") or f"test_{database['NAME']}"
    return f"{test_name}_demo_template"


# The run's test database name with ``_demo_template``, worked out when this module is imported:
# before pytest-django adds a worker's ``_gw0`` suffix or points the settings at the test
# database, so the process that starts the workers and every worker agree on it.
TEMPLATE = _template_name()


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


@contextmanager
def _server() -> Iterator:
    """A cursor on the server's maintenance database: CREATE and DROP DATABASE cannot run in a
    transaction or while connected to the database concerned."""
    with connection._nodb_cursor() as cursor:
        yield cursor


def _built_in_this_run(cursor, template: str, run: str) -> str | None:
    """What the loader printed, if ``template`` was built in ``run``; None if it is missing, was
    left by an earlier run, or its load did not finish (the comment is written last)."""
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template]
    )
    row = cursor.fetchone()
    if row is None or not row[0]:
        return None
    note = json.loads(row[0])
    return note["output"] if note.get("run") == run else None


# The database the connection was pointed at by ``connected_to``, while it is.
_connected: str | None = None


def connected() -> str | None:
    return _connected


@contextmanager
def connected_to(name: str) -> Iterator[None]:
    """Point the default connection at database ``name`` until the block ends.

    Content types are cached per process by id; the demo's copy was made from another worker's
    database, so the cache is emptied on the way in and out rather than trusted to agree."""
    global _connected
    previous = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()
    _connected = name
    try:
        yield
    finally:
        _connected = None
        connection.close()
        connection.settings_dict["NAME"] = previous
        ContentType.objects.clear_cache()


# Why this worker's load of the template failed: raised again by the demo tests only, so that a
# broken loader fails the tests about the demo, not every test of the worker.
_build_failure: Exception | None = None


def build_template(run: str = RUN) -> None:
    """Load the demo county into the template unless this run has built it already. Called
    right after the worker's test database is migrated, while it is still empty. A worker that
    finds another building it carries on with its other tests (``copy_template`` waits)."""
    global _build_failure
    template = TEMPLATE
    source = connection.settings_dict["NAME"]
    with _server() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [template])
        if not cursor.fetchone()[0]:
            return
        if _built_in_this_run(cursor, template, run) is not None:
            return
        cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(template)} WITH (FORCE)")
        connection.close()
        cursor.execute(f"CREATE DATABASE {_quoted(template)} TEMPLATE {_quoted(source)}")
        output = StringIO()
        try:
            with connected_to(template):
                # A test database need not survive a crash of the server, so the loader's
                # many commits need not wait for the disk either.
                with connection.cursor() as session:
                    session.execute("SET synchronous_commit TO off")
                call_command("load_demo", "--allow-production", f"--today={TODAY.isoformat()}", stdout=output)
        except Exception as error:
            _build_failure = error
            return
        cursor.execute(
            f"COMMENT ON DATABASE {_quoted(template)} IS %s",
            [json.dumps({"run": run, "output": output.getvalue()})],
        )
        # Closing the cursor's connection releases the advisory lock.


def copy_template(run: str = RUN) -> DemoDatabase:
    """This worker's copy of the template, waiting for it to be built if need be."""
    template = TEMPLATE
    copy = f"{connection.settings_dict['NAME']}_demo"
    with _server() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [template])
        output = _built_in_this_run(cursor, template, run)
        if output is None:
            raise RuntimeError(
                f"The demo county template {template} was not built in this run: loading the "
                "demo failed (in this worker, the error below; in another, its demo tests show it)."
            ) from _build_failure
        cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(copy)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {_quoted(copy)} TEMPLATE {_quoted(template)}")
    return DemoDatabase(name=copy, output=output)


def drop(name: str) -> None:
    """Drop a copy or the template. FORCE ends any session a crashed or interrupted worker left
    on it, which would otherwise make the drop fail and the stale copy linger."""
    with _server() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)")
