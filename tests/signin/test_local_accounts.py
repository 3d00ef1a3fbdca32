"""Local accounts (councils without an identity provider, and the demo): the authenticator app
(TOTP), recovery codes, a manager's reset, strong passwords, and the demo's exemption. All
through the real pages and django-otp; the codes are worked out here as an authenticator app
works them out (RFC 6238), not read from the service."""

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from iro_service.signin.models import SignInAction, SignInSecurityEvent

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def app_code(key_text: str, step_offset: int = 0) -> str:
    """The 6-digit code an authenticator app shows for the key typed from the set-up page."""
    key = base64.b32decode(key_text.replace(" ", "") + "=" * (-len(key_text.replace(" ", "")) % 8))
    counter = int(time.time()) // 30 + step_offset
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


@pytest.fixture
def second_factor_on(settings):
    settings.SECOND_FACTOR_REQUIRED = True


def _password_sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def _set_up_app(client) -> tuple[str, list[str]]:
    page = client.get(reverse("signin:second-factor-set-up")).content.decode()
    key = re.search(r'id="set-up-key">([A-Z2-7 ]+)<', page).group(1)
    response = client.post(reverse("signin:second-factor-set-up"), {"code": app_code(key)})
    assert response.status_code == 302
    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", codes_page)
    return key, codes


def test_a_local_account_must_set_up_an_app_before_any_page(client, iro_user, second_factor_on):
    """GIVEN an IRO with a password and no authenticator app
    WHEN she signs in with the password and opens the children list
    THEN she is sent to set up the app; once she gives a code from it she gets 10 recovery
    codes, shown once, and the children list opens."""
    assert _password_sign_in(client, iro_user.username).status_code == 302
    response = client.get(reverse("people:child-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("signin:second-factor-set-up"))
    # Nor the API through the session.
    assert client.get("/api/v1/children/").status_code == 403

    _, codes = _set_up_app(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=iro_user).confirmed
    # Shown once only: the page opened again shows how many are left, not the codes.
    again = client.get(reverse("signin:recovery-codes")).content.decode()
    assert codes[0] not in again
    assert "You have 10 unused recovery codes" in again
    assert client.get(reverse("people:child-list")).status_code == 200


def test_the_next_sign_in_asks_for_the_code_and_refuses_a_wrong_one(client, iro_user, second_factor_on):
    _password_sign_in(client, iro_user.username)
    key, _ = _set_up_app(client)
    client.post(reverse("logout"))

    _password_sign_in(client, iro_user.username)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("signin:second-factor"))
    wrong = client.post(
        reverse("signin:second-factor"), {"code": "000000" if app_code(key, 1) != "000000" else "111111"}
    )
    assert "Enter the code your app shows now, or an unused recovery code" in wrong.content.decode()
    assert client.get(reverse("home")).status_code == 302
    # The next step's code (the one used to set up the app cannot be used twice).
    TOTPDevice.objects.filter(user=iro_user).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    assert client.post(reverse("signin:second-factor"), {"code": app_code(key, 1)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_someone_with_only_the_password_cannot_put_their_own_app_in_place(client, iro_user, second_factor_on):
    _password_sign_in(client, iro_user.username)
    _set_up_app(client)
    client.post(reverse("logout"))
    _password_sign_in(client, iro_user.username)
    response = client.get(reverse("signin:second-factor-set-up"))
    assert response["Location"] == reverse("signin:second-factor")


def test_a_recovery_code_works_once(client, iro_user, second_factor_on):
    _password_sign_in(client, iro_user.username)
    _, codes = _set_up_app(client)
    client.post(reverse("logout"))
    _password_sign_in(client, iro_user.username)
    assert client.post(reverse("signin:second-factor"), {"code": codes[3]}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert StaticToken.objects.filter(device__user=iro_user).count() == 9
    client.post(reverse("logout"))
    _password_sign_in(client, iro_user.username)
    response = client.post(reverse("signin:second-factor"), {"code": codes[3]})
    assert response.status_code == 200
    assert client.get(reverse("home")).status_code == 302


def test_new_recovery_codes_replace_the_old(client, iro_user, second_factor_on):
    _password_sign_in(client, iro_user.username)
    _, old = _set_up_app(client)
    client.post(reverse("signin:recovery-codes"))
    new = re.findall(
        r"<li><code>([a-z0-9]+)</code></li>", client.get(reverse("signin:recovery-codes")).content.decode()
    )
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=iro_user).values_list("token", flat=True)) == set(new)


def test_a_manager_resets_a_lost_app_and_it_is_recorded(client, iro_user, manager_user, second_factor_on):
    """GIVEN an IRO who set up her app and then lost her phone
    WHEN a manager resets her app on the sign-in security page
    THEN her app and codes are gone, the reset is recorded with the manager's name, and at her
    next sign-in she sets up a new app."""
    _password_sign_in(client, iro_user.username)
    _set_up_app(client)
    client.post(reverse("logout"))

    client.force_login(manager_user)
    # The manager too must give a code first: she sets up her own app.
    assert client.get(reverse("signin:security"))["Location"].startswith(
        reverse("signin:second-factor-set-up")
    )
    _set_up_app(client)
    page = client.get(reverse("signin:security")).content.decode()
    assert iro_user.username in page
    response = client.post(reverse("signin:security"), {"user": iro_user.pk})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=iro_user).exists()
    assert not StaticToken.objects.filter(device__user=iro_user).exists()
    event = SignInSecurityEvent.objects.get(action=SignInAction.SECOND_FACTOR_RESET)
    assert (event.subject, event.done_by) == (iro_user.username, manager_user)
    client.post(reverse("logout"))

    _password_sign_in(client, iro_user.username)
    assert client.get(reverse("home"))["Location"].startswith(reverse("signin:second-factor-set-up"))


def test_only_managers_may_reset_or_lift(client, iro_user, support_user):
    client.force_login(support_user)
    assert client.get(reverse("signin:security")).status_code == 403
    assert client.post(reverse("signin:security"), {"user": iro_user.pk}).status_code == 403
    assert client.post(reverse("signin:lockout-lift"), {"username": "x"}).status_code == 403


def test_the_demo_setting_exempts_local_accounts(client, iro_user, settings):
    settings.SECOND_FACTOR_REQUIRED = False
    _password_sign_in(client, iro_user.username)
    assert client.get(reverse("people:child-list")).status_code == 200


def test_the_demo_runs_with_the_exemption_and_production_without():
    from iro_service.settings import base

    assert base.SECOND_FACTOR_REQUIRED is True
    import importlib

    local = importlib.import_module("iro_service.settings.local")
    assert local.SECOND_FACTOR_REQUIRED is False


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",  # twelve of one letter
        "iro-personairo-persona",  # the username repeated
        "iro-persona-2017",  # the username and a year
        "password1234",  # a common password
        "qwertyuiopas",  # a keyboard run
    ],
)
def test_guessable_passwords_are_refused_however_long(password, iro_user):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=iro_user)
    assert any(
        "harder to guess" in message or "too common" in message or "too similar" in message
        for message in refused.value.messages
    )


def test_the_zxcvbn_check_itself_refuses_the_repeat_and_the_username(iro_user):
    from iro_service.signin.passwords import GuessablePasswordValidator

    check = GuessablePasswordValidator(min_score=3)
    for password in ("aaaaaaaaaaaa", "iro-persona" * 2):
        with pytest.raises(ValidationError, match="harder to guess"):
            check.validate(password, user=iro_user)


def test_a_long_unrelated_passphrase_is_accepted(iro_user):
    validate_password("violet kettle orbit lantern", user=iro_user)


def test_passwords_need_twelve_characters(iro_user):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Xq7#vR2!pL", user=iro_user)
