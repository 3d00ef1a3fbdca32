"""A manager's password reset and the forced change that follows, in the real browser, each
page checked with axe-core: the reset form's error state, the page showing the one-time password
once, and the member of staff's "Change your password" page (with its error state) that every
page sends them to until they have chosen their own."""

import re

import pytest
from playwright.sync_api import expect

from iro_service.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
OWN = "meadow quartz bicycle"


def sign_in(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_manager_resets_a_password_and_the_member_of_staff_chooses_their_own(page, live_server):
    """GIVEN an IRO manager and an IRO who has forgotten her password
    WHEN the manager resets it (first without choosing anyone), reads the one-time password,
    and the IRO signs in with it, is sent to change it, submits the change empty, then chooses
    her own
    THEN every page passes axe-core with no WCAG 2.2 A/AA violation, and she reaches home."""
    UserFactory(username="karen", first_name="Karen", last_name="Lloyd", role=Role.IRO_MANAGER)
    UserFactory(username="sam", first_name="Sam", last_name="Okafor", role=Role.IRO)
    sign_in(page, live_server, "karen")
    page.goto(f"{live_server.url}/sign-in/security/")
    reset = page.locator("form", has=page.get_by_role("button", name="Reset their password"))
    reset.get_by_role("button", name="Reset their password").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, live_server)

    reset = page.locator("form", has=page.get_by_role("button", name="Reset their password"))
    reset.get_by_label("Member of staff").select_option(label="Sam Okafor (sam)")
    reset.get_by_role("button", name="Reset their password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("One-time password for Sam Okafor")
    expect(page.get_by_text("This password is shown only now.")).to_be_visible()
    assert_accessible(page, live_server)
    given = page.locator("#one-time-password").inner_text()
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", given), given

    page.context.clear_cookies()
    sign_in(page, live_server, "sam", given)
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    expect(page.get_by_text("Your password was set by a manager")).to_be_visible()
    assert_accessible(page, live_server)
    page.goto(f"{live_server.url}/children/")  # any other page sends her back
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")

    page.get_by_role("button", name="Change your password").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_label("Current password").fill(given)
    page.get_by_label("New password", exact=True).fill(OWN)
    page.get_by_label("New password again").fill(OWN)
    page.get_by_role("button", name="Change your password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Welcome"))
