"""A malformed or missing environment variable stops start-up with a one-line message that
names it. Each case starts a real ``manage.py check`` process with that environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be true or false, not 'maybe'."),
        ("DATABASE_URL", "mysql://db/iro", "DATABASE_URL must be a PostgreSQL URL"),
        ("REDIS_URL", "http://cache", "REDIS_URL must be a Redis URL"),
        ("REDIS_URL", "redis://127.0.0.1:notaport/0", "REDIS_URL has a malformed port"),
        ("EMAIL_URL", "bogus://mail", "EMAIL_URL is not a valid email URL"),
        ("SESSION_IDLE_MINUTES", "half an hour", "SESSION_IDLE_MINUTES must be a whole number"),
        ("SESSION_IDLE_MINUTES", "0", "SESSION_IDLE_MINUTES must be between 1 and 480, not 0."),
        ("ALLOWED_HOSTS", "example.org,,", "ALLOWED_HOSTS must be a comma-separated list"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be one of"),
    ],
)
def test_malformed_variable_stops_start_up_naming_it(variable, value, message):
    result = run_check(**{variable: value})
    assert result.returncode == 2
    assert result.stderr.strip() == f"Configuration error: {message}" or (
        result.stderr.startswith("Configuration error: ") and message in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    environment.update(
        DJANGO_SETTINGS_MODULE="iro_service.settings.production",
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/iro_service"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_check(
        DJANGO_SETTINGS_MODULE="iro_service.settings.production",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/iro_service",
        SECRET_KEY="short",
    )
    assert result.returncode == 2
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


def test_production_refuses_the_embedded_database():
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(DJANGO_SETTINGS_MODULE="iro_service.settings.production", SECRET_KEY="x" * 60)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "DATABASE_URL must be set in production" in result.stderr
