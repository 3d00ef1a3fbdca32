"""What a session knows about its sign-in: how (password or the council's identity provider),
when it began (for the 12-hour limit) and when credentials were last given (for the actions
that ask for them again)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

METHOD = "signin_method"
SIGNED_IN_AT = "signin_started_at"
AUTHENTICATED_AT = "signin_authenticated_at"
# Set at sign-in when a manager reset the password: read from the session on every request
# rather than the database, so that it costs no query.
PASSWORD_CHANGE_DUE = "signin_password_change_due"  # nosec B105: a session key's name

# Signed in with a local account's password (the stored value is the method's name, not a secret).
LOCAL_ACCOUNT = "password"
COUNCIL = "council"


def _read(request, key: str) -> datetime | None:
    value = request.session.get(key)
    return datetime.fromisoformat(value) if value else None


def session_start(request, *, method: str) -> None:
    now = timezone.now().isoformat()
    request.session[METHOD] = method
    request.session[SIGNED_IN_AT] = now
    request.session[AUTHENTICATED_AT] = now


def password_change_due(request) -> bool:
    return bool(request.session.get(PASSWORD_CHANGE_DUE))


def session_reauthenticated(request) -> None:
    request.session[AUTHENTICATED_AT] = timezone.now().isoformat()


def signed_in_with_council(request) -> bool:
    return request.session.get(METHOD) == COUNCIL


def session_too_old(request) -> bool:
    started = _read(request, SIGNED_IN_AT)
    if started is None:
        # A session from before this was recorded: it starts counting now.
        request.session[SIGNED_IN_AT] = timezone.now().isoformat()
        return False
    return timezone.now() - started > timedelta(hours=settings.SESSION_ABSOLUTE_HOURS)


def signed_in_recently(request) -> bool:
    given = _read(request, AUTHENTICATED_AT)
    return given is not None and timezone.now() - given <= timedelta(minutes=settings.RECENT_SIGN_IN_MINUTES)
