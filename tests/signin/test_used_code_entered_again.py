"""ASVS 2.8.5: a code from the authenticator app that has been used, entered again while it is
still valid, is refused (django-otp's TOTPDevice keeps the last time step used, ``last_t``),
recorded for managers, logged, and its holder emailed once, never with the code. With
django-otp's real device; the code is worked out here as the app works it out (RFC 6238) for
the time step the device last accepted, and the clock is held still so that the code stays
within its validity window whatever the machine's speed."""

import base64
import hashlib
import hmac
import logging
import struct
import time
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from iro_service.signin.models import SignInAction, SignInSecurityEvent
from tests.signin.test_local_accounts import _password_sign_in, _set_up_app, app_code

pytestmark = pytest.mark.django_db

SUBJECT = "Your IRO service sign-in: a used code was entered again"


def _code_for_step(key_text: str, step: int) -> str:
    key = base64.b32decode(key_text.replace(" ", "") + "=" * (-len(key_text.replace(" ", "")) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


@pytest.fixture
def still_clock():
    """Now, held still: the step the code was used in stays the current one."""
    now = time.time()
    with mock.patch("time.time", return_value=now):
        yield now


def _reused_events():
    return SignInSecurityEvent.objects.filter(action=SignInAction.USED_CODE_ENTERED_AGAIN)


def test_a_used_code_entered_again_is_refused_recorded_and_told_once(
    client, iro_user, settings, still_clock, caplog, django_capture_on_commit_callbacks
):
    """GIVEN an IRO who set up her app with the code of the current time step (so used)
    WHEN someone with her password enters that code again, twice, within its validity window
    THEN both sign-ins are refused as any wrong code is, each is recorded (with a warning in
    the log), and she is emailed once, without the code."""
    settings.SECOND_FACTOR_REQUIRED = True
    iro_user.email = "iro-persona@example.invalid"
    iro_user.save(update_fields=["email"])
    _password_sign_in(client, iro_user.username)
    key, _ = _set_up_app(client)
    device = TOTPDevice.objects.get(user=iro_user)
    # The set-up used the code of the step now: 30-second steps from the epoch.
    assert device.last_t == int(still_clock) // 30
    used = _code_for_step(key, device.last_t)
    assert used == app_code(key)
    client.post(reverse("logout"))

    _password_sign_in(client, iro_user.username)
    with (
        caplog.at_level(logging.WARNING, logger="iro_service.signin"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        for _ in range(2):
            TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
            response = client.post(reverse("signin:second-factor"), {"code": used})
            assert response.status_code == 200
            assert "Enter the code your app shows now" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302  # still not signed in

    assert [(e.subject, e.done_by) for e in _reused_events()] == [(iro_user.username, iro_user)] * 2
    assert "A used code from the authenticator app of iro-persona was entered again" in caplog.text
    [email] = [m for m in mail.outbox if m.subject == SUBJECT]
    assert email.to == [iro_user.email]
    assert email.body.startswith(
        "Someone entered a code from your authenticator app that had already been used"
    )
    assert used not in email.body and "http" not in email.body
    # Managers see it among the sign-in security events.
    client.post(reverse("logout"))


def test_a_wrong_code_never_used_is_not_taken_for_a_used_one(client, iro_user, settings, still_clock):
    settings.SECOND_FACTOR_REQUIRED = True
    iro_user.email = "iro-persona@example.invalid"
    iro_user.save(update_fields=["email"])
    _password_sign_in(client, iro_user.username)
    key, _ = _set_up_app(client)
    client.post(reverse("logout"))
    _password_sign_in(client, iro_user.username)
    device = TOTPDevice.objects.get(user=iro_user)
    # Not the app's code for any step in the window (the used one, or the next two).
    window = {_code_for_step(key, device.last_t + offset) for offset in (-1, 0, 1)}
    wrong = next(code for code in ("000000", "111111", "222222") if code not in window)
    assert client.post(reverse("signin:second-factor"), {"code": wrong}).status_code == 200
    assert not _reused_events().exists()
    assert not [m for m in mail.outbox if m.subject == SUBJECT]


def test_managers_see_a_used_code_entered_again(client, iro_user, manager_user, settings, still_clock):
    settings.SECOND_FACTOR_REQUIRED = True
    _password_sign_in(client, iro_user.username)
    key, _ = _set_up_app(client)
    client.post(reverse("logout"))
    _password_sign_in(client, iro_user.username)
    client.post(reverse("signin:second-factor"), {"code": app_code(key)})
    client.post(reverse("logout"))
    settings.SECOND_FACTOR_REQUIRED = False
    client.force_login(manager_user)
    page = client.get(reverse("signin:security")).content.decode()
    assert "Used app code entered again" in page and iro_user.username in page
