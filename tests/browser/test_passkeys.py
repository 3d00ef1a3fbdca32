"""Passkeys in the real browser: Chromium's virtual authenticator (Chrome DevTools Protocol,
WebAuthn domain) stands for the laptop's fingerprint reader. A member of staff adds a passkey
on her sign-in security page, names it, signs out, and signs in with her password and the
passkey in place of the app's code; each page passes axe-core. Without JavaScript the pages
say passkeys need it, and the app's code still signs her in."""

import re

import pytest
from django.core import mail
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from iro_service.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory
from tests.signin.test_local_accounts import app_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _set_up_app(page, live_server) -> str:
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    key = page.locator("#set-up-key").inner_text()
    page.get_by_label("Code from the app").fill(app_code(key))
    page.get_by_role("button", name="Set up the app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    page.get_by_role("link", name="Continue").click()
    return key


@pytest.fixture
def passkey_settings(settings, live_server):
    settings.SECOND_FACTOR_REQUIRED = True
    # The live server's own origin (its port is chosen afresh); the relying party is localhost.
    assert live_server.url.startswith("http://localhost:")
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    return settings


def test_a_passkey_is_added_named_and_used_as_the_second_factor(page, live_server, passkey_settings):
    """GIVEN an IRO with a password, the second factor required, and a browser whose device
    can make passkeys (a virtual authenticator with user verification)
    WHEN she sets up her app, adds a passkey on her sign-in security page and names it, signs
    out, and signs in with her password and the passkey
    THEN she reaches the home page without the app's code, her passkey was used, she was
    emailed that it was added, and every page on the way passes axe-core."""
    user = UserFactory(
        username="helen",
        first_name="Helen",
        last_name="Ashworth",
        email="helen@example.invalid",
        role=Role.IRO,
    )
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]

    _sign_in(page, live_server, "helen")
    _set_up_app(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Welcome"))

    page.get_by_role("link", name="Your sign-in security").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sign-in security")
    expect(page.get_by_text("You have no passkeys.")).to_be_visible()
    expect(page.get_by_text("Adding a passkey needs JavaScript")).to_be_hidden()
    assert_accessible(page, live_server)

    page.get_by_role("button", name="Add a passkey").click()
    page.wait_for_url(re.compile(r"/sign-in/yours/\?passkey=\d+"))
    expect(page.get_by_label("Name of the passkey")).to_have_value(re.compile(r"^Passkey added "))
    assert_accessible(page, live_server)
    page.get_by_label("Name of the passkey").fill("")
    page.get_by_role("button", name="Save the name").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the passkey")
    assert_accessible(page, live_server)
    page.get_by_label("Name of the passkey").fill("Work laptop")
    page.get_by_role("button", name="Save the name").click()
    expect(page.get_by_role("cell", name="Work laptop", exact=True)).to_be_visible()
    assert_accessible(page, live_server)
    [passkey] = WebAuthnCredential.objects.filter(user=user)
    assert passkey.name == "Work laptop" and passkey.last_used_at is None
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(credentials) == 1
    assert [m.body.split(" on ")[0] for m in mail.outbox if m.to == [user.email]][-1] == (
        "A passkey was added to your account"
    )

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server, "helen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    expect(page.get_by_role("heading", name="Or use a passkey")).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(f"{live_server.url}/home/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Welcome"))
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None


def test_without_javascript_the_pages_say_so_and_the_apps_code_signs_in(
    browser, live_server, passkey_settings
):
    """GIVEN an IRO with her app and a passkey, and a browser with JavaScript turned off
    WHEN she signs in THEN the code page says passkeys need JavaScript, and the app's code
    signs her in; her sign-in security page lists the passkey and says adding one needs it."""
    user = UserFactory(username="ben", first_name="Ben", last_name="Hale", role=Role.IRO)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page, live_server, "ben")
        key = _set_up_app(page, live_server)
        WebAuthnCredential.objects.create(
            user=user,
            name="Phone",
            credential_id=b"\x01" * 32,
            credential_id_sha256="01" * 32,
            public_key=b"-",
            aaguid="00000000-0000-0000-0000-000000000000",
        )
        page.goto(f"{live_server.url}/sign-in/yours/")
        expect(page.get_by_text("Adding a passkey needs JavaScript")).to_be_visible()
        expect(page.get_by_role("cell", name="Phone", exact=True)).to_be_visible()
        page.get_by_role("button", name="Sign out").click()

        _sign_in(page, live_server, "ben")
        expect(
            page.get_by_text("Passkeys need JavaScript, which is turned off in this browser")
        ).to_be_visible()
        expect(page.get_by_role("button", name="Use a passkey")).to_have_count(0)
        page.get_by_label("Code").fill(app_code(key, 1))
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Welcome"))
    finally:
        context.close()
