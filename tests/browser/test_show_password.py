"""GOV.UK's password input in the real browser (ASVS 2.1.12): "Show" shows what was typed and
says so to a screen reader, "Hide" masks it again, submitting the form masks it first, and the
page passes axe-core in both states."""

import pytest
from playwright.sync_api import expect

from iro_service.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def test_the_password_is_shown_and_hidden_by_its_button(page, live_server):
    """GIVEN an IRO on the sign-in page
    WHEN she types her password, presses Show, then Hide, then Show again and signs in
    THEN the field shows the text and is masked again, the screen reader is told each time,
    the page passes axe-core shown and hidden, and she is signed in."""
    UserFactory(username="helen", role=Role.IRO)
    page.goto(f"{live_server.url}/sign-in/")
    field = page.get_by_label("Password", exact=True)
    page.get_by_label("Username").fill("helen")
    field.fill(PASSWORD)
    expect(field).to_have_attribute("type", "password")

    page.get_by_role("button", name="Show password").click()
    expect(field).to_have_attribute("type", "text")
    expect(page.locator(".govuk-password-input__sr-status")).to_have_text("Your password is visible")
    assert_accessible(page, live_server)

    page.get_by_role("button", name="Hide password").click()
    expect(field).to_have_attribute("type", "password")
    expect(page.locator(".govuk-password-input__sr-status")).to_have_text("Your password is hidden")
    assert_accessible(page, live_server)

    page.get_by_role("button", name="Show password").click()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/home/")
