"""The live strength meter on "Change your password" (ASVS 2.1.8) in the real browser: the
verdict follows what is typed, in words in a live region the field names, the page passes
axe-core in each state, and the browser's zxcvbn scores passwords as the server's does."""

import pytest
from playwright.sync_api import expect
from zxcvbn import zxcvbn

from iro_service.core.roles import Role
from iro_service.signin.passwords import guessing_inputs
from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
STRONG = "violet kettle orbit lantern"


def _open_the_change_page(page, live_server):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("helen")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/home/")
    page.goto(f"{live_server.url}/sign-in/password/")


def test_the_meter_says_weak_then_strong_as_the_new_password_is_typed(page, live_server):
    """GIVEN an IRO on "Change your password"
    WHEN she types aaaaaaaaaaaa as her new password, then a passphrase of four unrelated words
    THEN the meter (named by the field's aria-describedby, and polite to a screen reader) says
    first "Weak: easy to guess" with zxcvbn's advice, then "Strong: very hard to guess"; the page
    passes axe-core each time; and zxcvbn, 800 KB, was not fetched until she typed."""
    UserFactory(username="helen", first_name="Helen", last_name="Ashworth", role=Role.IRO)
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    _open_the_change_page(page, live_server)
    field = page.get_by_label("New password", exact=True)
    meter = page.locator("#id_new_password-strength")
    expect(meter).to_have_attribute("aria-live", "polite")
    assert "id_new_password-strength" in field.get_attribute("aria-describedby").split()
    assert not any(url.endswith("/zxcvbn.js") for url in fetched)

    field.fill("aaaaaaaaaaaa")
    expect(meter).to_contain_text("Weak: easy to guess.")
    expect(meter).to_contain_text('Repeats like "aaa" are easy to guess.')
    expect(meter.locator(".govuk-tag")).to_have_text("Weak")
    assert any(url.endswith("/zxcvbn.js") for url in fetched)
    assert_accessible(page, live_server)

    field.fill(STRONG)
    expect(meter).to_contain_text("Strong: very hard to guess.")
    expect(meter.locator("li")).to_have_count(0)
    assert_accessible(page, live_server)

    # Advice only: the server's check is the rule, and this one passes it.
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password again").fill(STRONG)
    page.get_by_role("button", name="Change your password").click()
    page.wait_for_url(f"{live_server.url}/home/")


def test_the_browsers_zxcvbn_scores_passwords_as_the_servers_does(page, live_server):
    """The meter's verdict agrees with the server's check: the same score, from the same
    algorithm given the same words of the user's own (the name repeated, a name with digits)."""
    user = UserFactory(username="helen", first_name="Helen", last_name="Ashworth", role=Role.IRO)
    _open_the_change_page(page, live_server)
    page.get_by_label("New password", exact=True).fill("x")  # loads zxcvbn
    page.wait_for_function("() => typeof window.zxcvbn === 'function'")
    inputs = guessing_inputs(user)
    passwords = [
        "aaaaaaaaaaaa",
        "helen-helen-helen",
        "ashworth1985!",
        "Password123!",
        "qwertyuiop12",
        "summer2024summer",
        "p@ssw0rd-p@ssw0rd",
        "Tr0ub4dor&3xyz",
        "k7mq-3xtd-hp9w-r4ne",
        STRONG,
    ]
    browser = page.evaluate(
        "([passwords, inputs]) => passwords.map((p) => window.zxcvbn(p, inputs).score)", [passwords, inputs]
    )
    server = [zxcvbn(password, user_inputs=inputs)["score"] for password in passwords]
    assert browser == server
    # Both sides of the pass mark (3) are among them, so agreement is not agreement on one score.
    assert min(server) < 3 <= max(server)
