"""With no DATABASE_URL the embedded PostgreSQL starts under IRO_VAR_DIR, and it stops when
the last process using it exits."""

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _environment(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["IRO_VAR_DIR"] = str(var_dir)
    return env


def _servers_for(var_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = process.info["cmdline"] or []
        if process.info["name"] == "postgres" and str(var_dir / "postgres") in cmdline:
            found.append(process)
    return found


def _wait_for_no_server(var_dir: Path, seconds: float = 60) -> list:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        servers = _servers_for(var_dir)
        if not servers:
            return []
        time.sleep(0.5)
    return _servers_for(var_dir)


@pytest.fixture
def var_dir(tmp_path):
    # Short path: PostgreSQL's socket path must stay under about 100 characters.
    path = Path(f"/tmp/iro-embedded-{os.getpid()}")
    yield path
    for process in _servers_for(path):
        process.kill()
    subprocess.run(["rm", "-rf", str(path)], check=False)


def test_a_command_starts_the_embedded_server_and_stops_it_on_exit(var_dir):
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--plan"],
        cwd=ROOT,
        env=_environment(var_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "people.0001_initial" in result.stdout
    assert (var_dir / "postgres" / "PG_VERSION").exists()
    assert _wait_for_no_server(var_dir) == []
