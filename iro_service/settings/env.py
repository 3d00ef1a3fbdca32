"""Strict readers for environment variables.

django-environ quietly turns a typo such as ``DEBUG=ture`` into ``False``. For a system that holds
children's records a mistyped setting must stop start-up instead, with a message that names the
variable and says what it expects.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
REQUIRED = object()


class EnvironmentSettingError(ImproperlyConfigured):
    """A variable is missing or malformed; the message names it."""


def _raw(name: str, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if default is REQUIRED:
            raise EnvironmentSettingError(f"{name} must be set (see the README's environment table).")
        return None
    return value.strip()


def env_str(name: str, default=REQUIRED) -> str | None:
    value = _raw(name, default)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name, default)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise EnvironmentSettingError(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(name, default)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise EnvironmentSettingError(f"{name} must be a whole number, not {value!r}.") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise EnvironmentSettingError(f"{name} must be between {minimum} and {maximum}, not {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name, default)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise EnvironmentSettingError(f"{name} must be a comma-separated list with no empty items.")
    return items


def env_database(name: str) -> dict | None:
    value = _raw(name, None)
    if value is None:
        return None
    if urlparse(value).scheme not in {"postgres", "postgresql", "pgsql"}:
        raise EnvironmentSettingError(
            f"{name} must be a PostgreSQL URL such as postgres://user:password@host:5432/name."
        )
    try:
        config = environ.Env.db_url_config(value)
    except Exception as error:  # django-environ raises several kinds for a bad URL
        raise EnvironmentSettingError(f"{name} is not a valid database URL: {error}") from None
    if not config.get("NAME"):
        raise EnvironmentSettingError(f"{name} must name a database after the host, e.g. /iro_service.")
    return config


def env_redis_url(name: str) -> str | None:
    value = _raw(name, None)
    if value is None:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in {"redis", "rediss"} or not parsed.hostname:
        raise EnvironmentSettingError(f"{name} must be a Redis URL such as redis://127.0.0.1:6379/0.")
    try:
        parsed.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise EnvironmentSettingError(f"{name} has a malformed port: {value!r}.") from None
    return value


def env_email(name: str, default: str) -> dict:
    value = _raw(name, default) or default
    try:
        return environ.Env.email_url_config(value)
    except Exception as error:
        raise EnvironmentSettingError(f"{name} is not a valid email URL: {error}") from None


def env_rate(name: str, default: str) -> str:
    """A DRF throttle rate such as ``600/minute``."""
    value = _raw(name, default) or default
    number, _, unit = value.partition("/")
    if not (number.isascii() and number.isdigit()) or unit not in {"second", "minute", "hour", "day"}:
        raise EnvironmentSettingError(f"{name} must look like 600/minute (per second, minute, hour or day).")
    return value


# The roles a council's identity provider may grant. The API client role is for tokens only and
# is never granted by a sign-in.
_SIGN_IN_ROLES = ("IRO", "IRO manager", "Business support", "Senior manager")


def env_group_roles(name: str) -> dict[str, list[str]]:
    """The identity provider's groups mapped to our roles: ``group=Role;group=Role``. A group
    may be listed more than once to give several roles."""
    value = _raw(name, None)
    if value is None:
        return {}
    mapping: dict[str, list[str]] = {}
    for item in value.split(";"):
        group, equals, role = (part.strip() for part in item.partition("="))
        if not item.strip():
            continue
        if not equals or not group or role not in _SIGN_IN_ROLES:
            raise EnvironmentSettingError(
                f"{name} must look like 'group-id=IRO;other-group=IRO manager', each role one of "
                f"{', '.join(_SIGN_IN_ROLES)}; {item.strip()!r} is not."
            )
        mapping.setdefault(group, []).append(role)
    return mapping
