"""Passkeys (django-otp-webauthn) beside the authenticator app: who may add one, naming and
removing one's own (and only one's own), the holder told, a manager's reset, and the sign-in
ceremony open before the second factor but never without the password. Through the real
pages and the library's real views; the passkeys here are rows as the library stores them (the
browser test, tests/browser/test_passkeys.py, makes real ones with a virtual authenticator)."""

import base64
import hashlib
import os

import pytest
from django.core import mail
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from iro_service.signin.models import SignInAction, SignInSecurityEvent
from tests.signin.test_local_accounts import _password_sign_in, _set_up_app

pytestmark = pytest.mark.django_db

SUBJECT = "Your IRO service sign-in was changed"
ROLES = ["iro_user", "manager_user", "support_user", "senior_user", "no_role_user"]


def _passkey(user, name="Work laptop") -> WebAuthnCredential:
    credential_id = os.urandom(32)
    return WebAuthnCredential.objects.create(
        user=user,
        name=name,
        credential_id=credential_id,
        credential_id_sha256=hashlib.sha256(credential_id).hexdigest(),
        public_key=b"not used here",
        aaguid="00000000-0000-0000-0000-000000000000",
    )


def _told(user) -> list[str]:
    return [m.body for m in mail.outbox if m.to == [user.email] and m.subject == SUBJECT]


@pytest.fixture
def holder(iro_user):
    iro_user.email = "iro-persona@example.invalid"
    iro_user.save(update_fields=["email"])
    return iro_user


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_its_own_sign_in_security_page(request, client, role):
    user = request.getfixturevalue(role)
    mine = _passkey(user, name=f"Passkey of {role}")
    _passkey(request.getfixturevalue("iro_user" if role != "iro_user" else "manager_user"), name="Not yours")
    client.force_login(user)
    response = client.get(reverse("signin:your-sign-in"))
    assert response.status_code == 200
    page = response.content.decode()
    assert mine.name in page and "Not yours" not in page
    # A GET-only page; the name and removal are POSTs of their own.
    assert client.post(reverse("signin:your-sign-in")).status_code == 405
    assert client.get(reverse("signin:passkey-name")).status_code == 405
    assert client.get(reverse("signin:passkey-remove")).status_code == 405


def test_signed_out_visitors_are_sent_to_sign_in_from_every_passkey_address(client):
    for name in (
        "signin:your-sign-in",
        "signin:passkey-name",
        "signin:passkey-remove",
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
    ):
        for method in (client.get, client.post):
            response = method(reverse(name))
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("login")), name


def test_the_holder_names_and_removes_a_passkey_and_is_told_of_the_removal(
    client, holder, django_capture_on_commit_callbacks
):
    """GIVEN an IRO with a passkey WHEN she names it and then removes it THEN the name is hers,
    the passkey is gone, and she is emailed that it was removed (its name, no link)."""
    passkey = _passkey(holder, name="Passkey added 3 December 2026")
    client.force_login(holder)
    form = client.get(reverse("signin:your-sign-in"), {"passkey": passkey.pk}).content.decode()
    assert 'value="Passkey added 3 December 2026"' in form
    assert (
        client.post(
            reverse("signin:passkey-name"), {"passkey": passkey.pk, "name": "Work laptop"}
        ).status_code
        == 302
    )
    passkey.refresh_from_db()
    assert passkey.name == "Work laptop"

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("signin:passkey-remove"), {"passkey": passkey.pk}).status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    [body] = _told(holder)
    assert body.startswith("The passkey \u201cWork laptop\u201d was removed from your account on ")
    assert "http" not in body


def test_a_name_left_empty_or_too_long_is_an_error_naming_the_field(client, iro_user):
    passkey = _passkey(iro_user)
    client.force_login(iro_user)
    empty = client.post(reverse("signin:passkey-name"), {"passkey": passkey.pk, "name": ""})
    assert empty.status_code == 200 and "Enter a name for the passkey" in empty.content.decode()
    long = client.post(reverse("signin:passkey-name"), {"passkey": passkey.pk, "name": "x" * 65})
    assert "Enter a name of 64 characters or fewer" in long.content.decode()
    passkey.refresh_from_db()
    assert passkey.name == "Work laptop"


@pytest.mark.parametrize("role", ["manager_user", "support_user", "senior_user", "no_role_user"])
def test_nobody_names_or_removes_someone_elses_passkey(request, client, iro_user, role):
    passkey = _passkey(iro_user)
    client.force_login(request.getfixturevalue(role))
    named = client.post(reverse("signin:passkey-name"), {"passkey": passkey.pk, "name": "Mine now"})
    assert named.status_code == 200
    assert "Choose one of your own passkeys to name" in named.content.decode()
    removed = client.post(reverse("signin:passkey-remove"), {"passkey": passkey.pk}, follow=True)
    assert "Choose one of your own passkeys to remove." in removed.content.decode()
    passkey.refresh_from_db()
    assert passkey.name == "Work laptop"


def test_only_a_session_that_gave_the_apps_code_may_add_a_passkey(client, iro_user, settings):
    """GIVEN the second factor required WHEN an IRO with only her password asks to add a
    passkey THEN she is sent to set up her app (a second factor of her own making is not let
    in); once she has the app and gave its code she is given the options, for this service
    (the relying party) and her account."""
    settings.SECOND_FACTOR_REQUIRED = True
    begin = reverse("otp_webauthn:credential-registration-begin")
    _password_sign_in(client, iro_user.username)
    refused = client.post(begin)
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("signin:second-factor-set-up"))

    _set_up_app(client)
    options = client.post(begin).json()
    assert options["rp"] == {"id": "localhost", "name": f"{settings.COUNCIL_NAME} IRO service"}
    assert options["user"]["name"] == iro_user.username


def test_without_the_app_no_passkey_is_added_even_when_the_code_is_not_required(client, iro_user):
    # The demo's setting: nobody is asked for a code, so nobody has given one.
    client.force_login(iro_user)
    response = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert response.status_code == 403
    assert "Set up your authenticator app" in response.json()["detail"]
    assert (
        "Set up your authenticator app before you add a passkey."
        in client.get(reverse("signin:your-sign-in")).content.decode()
    )


def test_a_passkey_is_offered_at_sign_in_after_the_password_and_never_without_it(
    client, iro_user, support_user, settings
):
    """GIVEN an IRO with her app and a passkey, the second factor required
    WHEN she has given only her password THEN the code page offers the passkey, and the
    options to sign in with it name her passkey alone; signed out, no options are given."""
    settings.SECOND_FACTOR_REQUIRED = True
    _password_sign_in(client, iro_user.username)
    _set_up_app(client)
    passkey = _passkey(iro_user)
    _passkey(support_user, name="Someone else's")
    client.post(reverse("logout"))

    _password_sign_in(client, iro_user.username)
    page = client.get(reverse("signin:second-factor")).content.decode()
    assert 'id="passkey-verification-button"' in page
    options = client.post(reverse("otp_webauthn:credential-authentication-begin")).json()
    assert [c["id"] for c in options["allowCredentials"]] == [
        base64.urlsafe_b64encode(bytes(passkey.credential_id)).decode().rstrip("=")
    ]
    # Completing a sign-in never begun (its challenge was used up by a first try) is bad input.
    client.post(
        reverse("otp_webauthn:credential-authentication-complete"), {}, content_type="application/json"
    )
    again = client.post(
        reverse("otp_webauthn:credential-authentication-complete"), {}, content_type="application/json"
    )
    assert again.status_code == 400 and again.json()["code"] == "invalid_state"
    # Adding a passkey is not among what a password alone opens.
    assert client.post(reverse("otp_webauthn:credential-registration-begin")).status_code == 302

    client.post(reverse("logout"))
    assert client.post(reverse("otp_webauthn:credential-authentication-begin")).status_code == 302


def test_the_code_page_offers_no_passkey_to_an_account_without_one(client, iro_user, settings):
    settings.SECOND_FACTOR_REQUIRED = True
    _password_sign_in(client, iro_user.username)
    _set_up_app(client)
    client.post(reverse("logout"))
    _password_sign_in(client, iro_user.username)
    assert "passkey" not in client.get(reverse("signin:second-factor")).content.decode().lower()


def test_a_managers_reset_removes_the_passkeys_too_and_says_so(
    client, holder, manager_user, django_capture_on_commit_callbacks
):
    _passkey(holder)
    client.force_login(manager_user)
    # A passkey alone puts the account among those a manager may reset.
    assert holder.username in client.get(reverse("signin:security")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("signin:security"), {"user": holder.pk}).status_code == 302
    assert not WebAuthnCredential.objects.filter(user=holder).exists()
    event = SignInSecurityEvent.objects.get(action=SignInAction.SECOND_FACTOR_RESET)
    assert (event.subject, event.done_by) == (holder.username, manager_user)
    assert _told(holder)[-1].startswith(
        f"Your authenticator app and passkeys were removed by {manager_user.get_full_name()} on "
    )
