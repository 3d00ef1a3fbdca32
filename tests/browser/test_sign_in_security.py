"""The sign-in pages in the real browser, each checked with axe-core: setting up the
authenticator app, recovery codes, the code at sign-in, signing in again, and the managers'
sign-in security page with a lockout and its error state."""

import re

import pytest
from axes.models import AccessAttempt
from django.utils import timezone
from playwright.sync_api import expect

from iro_service.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory
from tests.signin.test_local_accounts import app_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_local_account_sets_up_its_app_and_signs_in_again(page, live_server, settings):
    """GIVEN a manager with a password and no authenticator app, second factor required
    WHEN she signs in, sets up the app, reads her recovery codes, signs out and back in with a
    code, and opens the sign-in security page, its error state and "Sign in again"
    THEN every page passes axe-core with no WCAG 2.2 A/AA violation."""
    settings.SECOND_FACTOR_REQUIRED = True
    UserFactory(username="karen", first_name="Karen", last_name="Lloyd", role=Role.IRO_MANAGER)
    AccessAttempt.objects.create(
        username="someone-else",
        ip_address="192.0.2.44",
        user_agent="test",
        failures_since_start=5,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/sign-in/",
    )
    sign_in(page, live_server, "karen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    assert_accessible(page, live_server)

    page.get_by_role("button", name="Set up the app").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, live_server)

    key = page.locator("#set-up-key").inner_text()
    page.get_by_label("Code from the app").fill(app_code(key))
    page.get_by_role("button", name="Set up the app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    expect(page.locator(".app-recovery-codes li")).to_have_count(10)
    assert_accessible(page, live_server)

    page.context.clear_cookies()
    sign_in(page, live_server, "karen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    assert_accessible(page, live_server)
    page.get_by_label("Code").fill(app_code(key, 1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Welcome"))

    page.goto(f"{live_server.url}/sign-in/security/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in security")
    expect(page.get_by_role("cell", name="someone-else", exact=True)).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_role("button", name="Reset their authenticator app").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_role("button", name="Lift the lockout of someone-else").click()
    expect(page.get_by_text("No username is locked.")).to_be_visible()

    page.goto(f"{live_server.url}/sign-in/again/?next=/home/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in again to continue")
    assert_accessible(page, live_server)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, live_server)

    page.goto(f"{live_server.url}/sign-in/recovery-codes/")
    expect(page.get_by_text("You have 10 unused recovery codes")).to_be_visible()
    assert_accessible(page, live_server)
