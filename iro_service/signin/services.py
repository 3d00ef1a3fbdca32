"""Writes about sign-in: setting up an authenticator app, recovery codes, passkeys added, named
and removed, changing one's own password, a manager's reset of an app or a password (and a
password the system administrator sets in the admin), lifting a lockout, and a used code from
the app entered again."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from iro_service.signin.models import LocalPassword, SignedInSession, SignInAction, SignInSecurityEvent
from iro_service.signin.passwords import one_time_password
from iro_service.signin.session import PASSWORD_CHANGE_DUE

logger = logging.getLogger(__name__)

APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def _tell_the_account_holder(
    user, what: str, *, subject: str = "Your IRO service sign-in was changed"
) -> None:
    """Email the account's holder that its sign-in changed (ASVS 2.2.3, 2.5.5), after the
    commit, so that someone who did not ask for it can say so at once. Never the password or a
    link: only what changed, when, and whom to tell. Nothing for an account with no address."""
    if not user.email:
        return
    when = timezone.localtime().strftime("%-d %B %Y at %H:%M")
    body = (
        f"{what} on {when}.\n\n"
        "If that was you, or you asked for it, there is nothing to do. If not, tell your IRO "
        f"service manager at once: someone else may be trying to use your {settings.COUNCIL_NAME} "
        "IRO service account.\n\nThis email holds no password and no link, and never will."
    )
    transaction.on_commit(
        lambda: send_mail(
            subject=subject,
            message=body,
            from_email=None,
            recipient_list=[user.email],
        )
    )


def second_factor_set_up_start(*, user) -> TOTPDevice:
    """The authenticator app being set up: an unconfirmed TOTP device, the same one each time
    the page is opened until it is confirmed (so a QR code already scanned stays right)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=APP_NAME).first()
    return device or TOTPDevice.objects.create(user=user, confirmed=False, name=APP_NAME)


@transaction.atomic
def second_factor_set_up_confirm(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app with a code from it. On success the session counts as having given its
    second factor, any older app is removed, and a new set of recovery codes is returned (to be
    shown once); on a wrong code, None."""
    if not device.verify_token(code):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    _tell_the_account_holder(device.user, "An authenticator app was set up for your account")
    return recovery_codes_issue(user=device.user)


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """A new set of single-use recovery codes, replacing the old ones."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def second_factor_check(*, request, code: str) -> bool:
    """A code from the app or an unused recovery code (used up by this). django-otp slows
    repeated wrong codes on each device (a growing delay between tries), and refuses a code
    from the app that has been used already (each time step's code works once); such a code
    entered again is recorded and its holder told (``_used_code_entered_again``)."""
    code = code.replace(" ", "").lower()
    device = match_token(request.user, code)
    if device is None:
        _used_code_entered_again(user=request.user, code=code)
        return False
    otp_login(request, device)
    return True


def _was_used(device: TOTPDevice, code: str) -> bool:
    """Whether ``code`` is the app's code for a time step within the device's tolerance of now
    that has been used already (at or before ``last_t``): django-otp refuses it, as it must."""
    try:
        token = int(code)
    except ValueError:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    for offset in range(-device.tolerance, device.tolerance + 1):
        totp.drift = device.drift + offset
        if totp.t() <= device.last_t and totp.token() == token:
            return True
    return False


@transaction.atomic
def _used_code_entered_again(*, user, code: str) -> None:
    """ASVS 2.8.5: a code from the app that was already used, entered again while it is still
    valid, is someone who saw it (over a shoulder, or in a phishing page that passed it on) and
    has the password. The sign-in is refused as for any wrong code; here it is recorded, logged
    and its holder told, once for the code's validity window however often it is tried (the
    window is twice the tolerance plus one, in steps). Never the code itself."""
    device = next(
        (d for d in TOTPDevice.objects.filter(user=user, confirmed=True) if _was_used(d, code)), None
    )
    if device is None:
        return
    logger.warning("A used code from the authenticator app of %s was entered again", user.get_username())
    window = timedelta(seconds=device.step * (2 * device.tolerance + 1))
    already = SignInSecurityEvent.objects.filter(
        action=SignInAction.USED_CODE_ENTERED_AGAIN,
        subject=user.get_username(),
        done_at__gte=timezone.now() - window,
    ).exists()
    SignInSecurityEvent.objects.create(
        action=SignInAction.USED_CODE_ENTERED_AGAIN, subject=user.get_username(), done_by=user
    )
    if not already:
        _tell_the_account_holder(
            user,
            "Someone entered a code from your authenticator app that had already been used, "
            "together with your password. The sign-in was refused",
            subject="Your IRO service sign-in: a used code was entered again",
        )


def passkey_added(*, passkey: WebAuthnCredential) -> None:
    """A passkey the account's holder has just added (django-otp-webauthn has saved it)."""
    user = passkey.user
    logger.info("Passkey %s added by %s", passkey.pk, user.get_username())
    _tell_the_account_holder(user, "A passkey was added to your account")


def passkey_rename(*, passkey: WebAuthnCredential, name: str) -> None:
    """The holder's own name for a passkey (the device or password manager it is in)."""
    passkey.name = name
    passkey.full_clean(validate_unique=False)
    passkey.save(update_fields=["name"])
    logger.info("Passkey %s renamed by %s", passkey.pk, passkey.user.get_username())


@transaction.atomic
def passkey_remove(*, passkey: WebAuthnCredential) -> None:
    """The holder removes one of their passkeys (a lost device, or one they no longer use). A
    session that gave this passkey as its second factor asks for a code at its next page."""
    user, name = passkey.user, passkey.name
    logger.info("Passkey %s removed by %s", passkey.pk, user.get_username())
    passkey.delete()
    _tell_the_account_holder(user, f"The passkey “{name}” was removed from your account")


@transaction.atomic
def password_change(*, request, password: str) -> None:
    """Set the signed-in user's new password (already checked by the form). The session is
    given a new key, so that a session identifier learnt before the change is worth nothing,
    and it stays signed in (second factor and all); every other session of the account ends at
    its next request, because Django checks each session against the password's hash."""
    user = request.user
    user.set_password(password)
    user.save(update_fields=["password"])
    # The password is now one only its holder knows: nothing is due any more, nor expires.
    LocalPassword.objects.filter(user=user, must_change_password=True).update(
        must_change_password=False, password_issued_at=None
    )
    request.session.pop(PASSWORD_CHANGE_DUE, None)
    before = request.session.session_key
    update_session_auth_hash(request, user)  # cycles the session key and keeps this session
    # The list of where the account is signed in follows this session to its new key; the
    # others have ended.
    SignedInSession.objects.filter(user=user).exclude(session_key=before).delete()
    SignedInSession.objects.filter(session_key=before).update(session_key=request.session.session_key)
    _tell_the_account_holder(user, "The password of your account was changed")
    logger.info("Password changed by %s", user.get_username())


def _password_given(*, user) -> None:
    """Someone else knows this account's password: it must be changed at the next sign-in, and
    stops working SIGN_IN_RESET_PASSWORD_HOURS from now."""
    LocalPassword.objects.update_or_create(
        user=user,
        defaults={"must_change_password": True, "password_issued_at": timezone.now()},  # nosec B105: a flag, not a password
    )


@transaction.atomic
def password_reset(*, user, done_by) -> str:
    """A manager gives a member of staff a one-time password (theirs forgotten, or thought known
    to someone else), made here at random, and returns it to be shown once to the manager, who
    passes it on in person or by telephone. The account must change it at its next sign-in,
    before any other page opens, and it stops working SIGN_IN_RESET_PASSWORD_HOURS from now.
    Every session of the account ends at its next request, because Django checks each session
    against the password's hash. The password itself goes nowhere else: not the log, the event,
    the session or the history."""
    password = one_time_password(user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    _password_given(user=user)
    SignInSecurityEvent.objects.create(
        action=SignInAction.PASSWORD_RESET, subject=user.get_username(), done_by=done_by
    )
    _tell_the_account_holder(
        user, f"Your password was reset by {done_by.get_full_name() or done_by.get_username()}"
    )
    logger.warning("Password of %s reset by %s", user.get_username(), done_by.get_username())
    return password


@transaction.atomic
def password_set_in_admin(*, user, done_by) -> None:
    """The system administrator made an account with a password, or gave one a password, in
    Django's admin (which has already saved it): as with a manager's reset, it must be changed
    at the next sign-in and expires. A password they set for themselves is their own, and a
    password turned off is none to change: then nothing is due (any earlier mark is cleared)."""
    if user.pk == done_by.pk or not user.has_usable_password():
        LocalPassword.objects.filter(user=user).update(must_change_password=False, password_issued_at=None)
        return
    _password_given(user=user)
    SignInSecurityEvent.objects.create(
        action=SignInAction.PASSWORD_SET_IN_ADMIN, subject=user.get_username(), done_by=done_by
    )
    _tell_the_account_holder(user, "Your account was given a password by the system administrator")
    logger.warning("Password of %s set in the admin by %s", user.get_username(), done_by.get_username())


@transaction.atomic
def second_factor_reset(*, user, done_by) -> None:
    """A manager removes someone's authenticator app, recovery codes and passkeys (a lost phone
    or laptop): they set up a new app the next time they sign in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    passkeys, _ = WebAuthnCredential.objects.filter(user=user).delete()
    SignInSecurityEvent.objects.create(
        action=SignInAction.SECOND_FACTOR_RESET, subject=user.get_username(), done_by=done_by
    )
    what = "Your authenticator app and passkeys were" if passkeys else "Your authenticator app was"
    _tell_the_account_holder(user, f"{what} removed by {done_by.get_full_name() or done_by.get_username()}")
    logger.warning("Authenticator app of %s reset by %s", user.get_username(), done_by.get_username())


@transaction.atomic
def lockout_lift(*, done_by, username: str = "", address: str = "") -> int:
    """Lift the lockout of a username or of an address before it runs out; returns the number of
    failed attempts forgotten."""
    if bool(username) == bool(address):
        raise ValueError("Lift the lockout of one username or one address.")
    removed = axes_reset(username=username) if username else axes_reset(ip=address)
    SignInSecurityEvent.objects.create(
        action=SignInAction.LOCKOUT_LIFTED, subject=username or address, done_by=done_by
    )
    logger.warning("Sign-in lockout of %s lifted by %s", username or address, done_by.get_username())
    return removed


# --- where an account is signed in (ASVS 3.3.4) ------------------------------------------------

# (what the browser string holds, the name shown), the first match wins: Edge and Opera say
# "Chrome" too, and Chrome says "Safari".
_BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def browser_of(user_agent: str) -> str:
    """The kind of browser and system, enough for its holder to tell two sessions apart
    ("Firefox on Windows"); the rest of the string is not kept."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "A browser")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    return f"{browser} on {system}" if system else browser


def signed_in_session_record(*, request, user) -> None:
    """Note where ``user``'s sign-in is, just after it (the session's key has been made anew).
    The user is the signal's, not ``request.user``: a sign-in made outside a request's
    middleware (the test client's force_login) has a request with no user yet."""
    if not request.session.session_key:
        request.session.save()
    # The account's sessions that expired since are not kept: nothing about them is shown.
    SignedInSession.objects.filter(user=user).exclude(
        session_key__in=Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    ).delete()
    SignedInSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "signed_in_at": timezone.now(),
            # REMOTE_ADDR only, as the access log: X-Forwarded-For is the client's to forge.
            "address": request.META.get("REMOTE_ADDR") or None,
            "browser": browser_of(request.META.get("HTTP_USER_AGENT", ""))[:80],
        },
    )


def signed_in_session_forget(*, session_key: str | None) -> None:
    """A session signed out: it is no longer anywhere the account is signed in."""
    if session_key:
        SignedInSession.objects.filter(session_key=session_key).delete()


def _end(sessions) -> int:
    keys = list(sessions.values_list("session_key", flat=True))
    # Django's session row goes, so the next request with that cookie is signed out.
    Session.objects.filter(session_key__in=keys).delete()
    sessions.delete()
    return len(keys)


@transaction.atomic
def signed_in_session_end(*, request, session_id: int) -> bool:
    """End one of the account's other sessions; False if it is not one of them (someone else's,
    this one, which is ended by signing out, or one that has ended already)."""
    sessions = SignedInSession.objects.filter(pk=session_id, user=request.user).exclude(
        session_key=request.session.session_key
    )
    ended = _end(sessions) == 1
    if ended:
        logger.info("A session of %s ended by its holder", request.user.get_username())
    return ended


@transaction.atomic
def other_signed_in_sessions_end(*, request) -> int:
    """End every session of the account but this one; how many there were."""
    ended = _end(
        SignedInSession.objects.filter(user=request.user).exclude(session_key=request.session.session_key)
    )
    logger.info("%d other sessions of %s ended by their holder", ended, request.user.get_username())
    return ended


def sign_in_records_prune(*, attempts_before, sessions_before) -> dict[str, int]:
    """Delete django-axes' records of sign-in attempts (failures, lockout counters, successful
    sign-ins) made before ``attempts_before``, and the records of where an account was signed in
    (``SignedInSession``) begun before ``sessions_before`` whose session has ended. What was
    removed, by kind. Running it again removes nothing more."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    counts = {
        "sign-in attempts": _deleted(AccessAttempt.objects.filter(attempt_time__lt=attempts_before)),
        "failed sign-ins": _deleted(AccessFailureLog.objects.filter(attempt_time__lt=attempts_before)),
        "sign-ins": _deleted(AxesAccessLog.objects.filter(attempt_time__lt=attempts_before)),
        "ended sessions": _deleted(
            SignedInSession.objects.filter(signed_in_at__lt=sessions_before).exclude(session_key__in=live)
        ),
    }
    return counts


def _deleted(queryset) -> int:
    """Delete ``queryset``; how many of its own rows went (not the rows cascaded with them)."""
    _, by_model = queryset.delete()
    return by_model.get(queryset.model._meta.label, 0)
