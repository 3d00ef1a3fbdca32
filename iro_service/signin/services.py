"""Writes about sign-in: setting up an authenticator app, recovery codes, changing one's own
password, a manager's reset of an app or a password (and a password the system administrator
sets in the admin), and lifting a lockout."""

from __future__ import annotations

import logging

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from iro_service.signin.models import LocalPassword, SignInAction, SignInSecurityEvent
from iro_service.signin.passwords import one_time_password
from iro_service.signin.session import PASSWORD_CHANGE_DUE

logger = logging.getLogger(__name__)

APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def _tell_the_account_holder(user, what: str) -> None:
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
            subject="Your IRO service sign-in was changed",
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
    repeated wrong codes on each device (a growing delay between tries)."""
    device = match_token(request.user, code.replace(" ", "").lower())
    if device is None:
        return False
    otp_login(request, device)
    return True


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
    update_session_auth_hash(request, user)  # cycles the session key and keeps this session
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
    """A manager removes someone's authenticator app and recovery codes (a lost phone): they set
    up a new app the next time they sign in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    SignInSecurityEvent.objects.create(
        action=SignInAction.SECOND_FACTOR_RESET, subject=user.get_username(), done_by=done_by
    )
    _tell_the_account_holder(
        user, f"Your authenticator app was removed by {done_by.get_full_name() or done_by.get_username()}"
    )
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
