"""Small database expressions shared by the apps' constraints and queries."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import DatabaseError, OperationalError, connection, models, transaction


class CurrentDate(models.Func):
    """PostgreSQL's CURRENT_DATE, usable in CheckConstraint (e.g. "not in the future")."""

    template = "CURRENT_DATE"
    output_field = models.DateField()

    def __init__(self):
        super().__init__()


def update_columns(model, rows: Sequence[tuple], fields: Sequence[str], *, page: int = 1000) -> int:
    """Write ``fields`` of many rows, given as (pk, value, ...) tuples, with one
    ``UPDATE ... FROM (VALUES ...)`` per page of rows.

    For caches refreshed in bulk: Django's ``bulk_update`` builds a CASE expression per row and
    column, which PostgreSQL evaluates row by row (slow for thousands of rows). Like
    ``bulk_update`` this writes no history and leaves ``updated_at`` alone. Returns the rows
    written."""
    if not rows:
        return 0
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table, key = quote(meta.db_table), quote(meta.pk.column)
    casts = [meta.pk.db_type(connection), *(column.db_type(connection) for column in columns)]
    placeholder = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    names = ", ".join([key, *(quote(column.column) for column in columns)])
    assignments = ", ".join(f"{quote(column.column)} = data.{quote(column.column)}" for column in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), page):
            chunk = rows[start : start + page]
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([placeholder] * len(chunk))}) "  # nosec B608
                f"AS data ({names}) WHERE {table}.{key} = data.{key}",
                [value for row in chunk for value in row],
            )
    return len(rows)


def analyze(*models) -> None:
    """Refresh PostgreSQL's statistics for the tables of ``models`` (and their history tables)
    after a bulk load.

    Autovacuum analyses a table only some time after a load has committed, and never inside the
    load's own transaction (a test's data sits in one). Until then the planner believes the
    tables are nearly empty and may choose nested loops that never end once they hold thousands
    of rows. ANALYZE is allowed inside a transaction and counts the rows that transaction wrote."""
    tables = set()
    for model in models:
        tables.add(model._meta.db_table)
        history = getattr(model, "history", None)
        if history is not None:
            tables.add(history.model._meta.db_table)
    if not tables:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(quote(table) for table in sorted(tables)))


# --- background jobs' claims ----------------------------------------------------------------
# A worker running a job holds a PostgreSQL advisory lock on it for the whole run. The lock
# belongs to the worker's database session, so it goes the moment that worker dies, even when
# it is killed outright and no code of ours runs: "running" with the lock free means the run
# died part way.


@contextmanager
def job_lock(namespace: int, key: int, *, wait: str | None) -> Iterator[bool]:
    """Hold the advisory lock (``namespace``, ``key``) for the block; yields whether it was
    taken. ``wait`` is how long to wait for it (a PostgreSQL interval such as "20s"); None tries
    once and does not wait."""
    if wait:
        # The lock is the session's: it outlives this transaction, which only bounds the wait.
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = %s", [wait])
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", [namespace, key])
            taken = True
        except OperationalError:  # lock_timeout: another worker holds it
            taken = False
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [namespace, key])
            taken = cursor.fetchone()[0]
    try:
        yield taken
    finally:
        if taken:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [namespace, key])
            except DatabaseError:
                pass  # the session has gone, and the lock with it


def end_sessions_holding(namespace: int, key: int) -> int:
    """End the other database sessions holding the advisory lock (``namespace``, ``key``), each
    given up to 5 seconds to go, and return how many there were: for a job whose lease ran out,
    whose machine was lost with its session still open. A two-key advisory lock shows in
    pg_locks as (classid, objid) with objsubid 2. A role may end its own role's sessions."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_locks WHERE locktype = 'advisory' "
            "AND classid = %s AND objid = %s AND objsubid = 2 AND granted AND pid <> pg_backend_pid()",
            [namespace, key],
        )
        return len(cursor.fetchall())


def check_for_dead_client() -> None:
    """Ask PostgreSQL (14 and later) to check every few seconds, during a long query, that this
    worker is still there, so that a killed worker's transaction is rolled back and its locks
    freed at once rather than when the query ends."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET client_connection_check_interval = '2s'")
    except DatabaseError:
        pass  # an older PostgreSQL: the locks are freed when the query ends
