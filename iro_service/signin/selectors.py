"""Reads about sign-in: second factors (the app, recovery codes, passkeys), current lockouts,
what managers did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from iro_service.signin.models import LocalPassword, SignedInSession, SignInSecurityEvent


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def passkeys_of(user) -> list[WebAuthnCredential]:
    """The account's passkeys, oldest first (the order they were added in)."""
    return list(WebAuthnCredential.objects.filter(user=user).order_by("created_at", "pk"))


def has_passkey(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def passkey_of(user, passkey_id) -> WebAuthnCredential | None:
    """One of the account's own passkeys, or None (someone else's, or none by that number)."""
    try:
        return WebAuthnCredential.objects.filter(user=user, pk=int(passkey_id)).first()
    except (TypeError, ValueError):
        return None


def recovery_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, name="Recovery codes").first()
    return device.token_set.count() if device else 0


@dataclass(frozen=True)
class Lockout:
    """A username or an address refused sign-in until ``until``."""

    subject: str
    failures: int
    last_attempt: datetime
    until: datetime


def _lockouts(field: str, limit: int) -> list[Lockout]:
    threshold = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(attempt_time__gte=threshold).exclude(**{f"{field}__isnull": True})
    if field == "username":
        # Not for the address: Django turns an empty address into NULL, and "= NULL" excludes all.
        attempts = attempts.exclude(username="")
    rows = (
        attempts.values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=limit)
        .order_by("-last")
    )
    return [
        Lockout(
            subject=row[field],
            failures=row["failures"],
            last_attempt=row["last"],
            until=row["last"] + settings.AXES_COOLOFF_TIME,
        )
        for row in rows
    ]


def lockouts_of_usernames() -> list[Lockout]:
    return _lockouts("username", settings.AXES_FAILURE_LIMIT)


def lockouts_of_addresses() -> list[Lockout]:
    return _lockouts("ip_address", settings.AXES_ADDRESS_FAILURE_LIMIT)


def staff_with_second_factor():
    """Accounts with an authenticator app or a passkey set up, for a manager's reset."""
    return (
        get_user_model()
        .objects.filter(Q(totpdevice__confirmed=True) | Q(webauthncredential__isnull=False), is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def must_change_password(user) -> bool:
    """Whether someone else set this account's password and its holder has not yet changed it."""
    return LocalPassword.objects.filter(user=user, must_change_password=True).exists()


def given_password_expiry(issued_at: datetime) -> datetime:
    """When a password someone else gave an account at ``issued_at`` stops working."""
    return issued_at + timedelta(hours=settings.SIGN_IN_RESET_PASSWORD_HOURS)


def account_with_expired_given_password(*, username: str):
    """The active account named ``username`` if the password someone else gave it is still
    unchanged and has expired; otherwise None (no such account, or nothing expired)."""
    issued_before = timezone.now() - timedelta(hours=settings.SIGN_IN_RESET_PASSWORD_HOURS)
    given = (
        LocalPassword.objects.filter(
            **{f"user__{get_user_model().USERNAME_FIELD}": username},
            user__is_active=True,
            must_change_password=True,
            password_issued_at__lte=issued_before,
        )
        .select_related("user")
        .first()
    )
    return given.user if given else None


def staff_with_local_password():
    """Active accounts that sign in with a password here, for a manager's reset (an account
    made by the council's sign-in has no password here to reset)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(password__startswith="!")  # nosec B106: Django's mark of an unusable password, not a password
        .order_by("last_name", "first_name", "username")
    )


def sign_in_security_events(limit: int = 50):
    return SignInSecurityEvent.objects.select_related("done_by")[:limit]


@dataclass(frozen=True)
class PlaceSignedIn:
    id: int
    signed_in_at: datetime
    address: str | None
    browser: str
    this_one: bool


def places_signed_in(request) -> list[PlaceSignedIn]:
    """Where the account is signed in now, newest first, this session among them: sessions that
    have expired or were ended are left out (one query)."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    current = request.session.session_key
    return [
        PlaceSignedIn(row.pk, row.signed_in_at, row.address, row.browser, row.session_key == current)
        for row in SignedInSession.objects.filter(user=request.user, session_key__in=live)
    ]
