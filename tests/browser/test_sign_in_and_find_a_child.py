"""A person's journey in the real browser: sign in, find a child, open their record."""

from datetime import date

import pytest
from playwright.sync_api import expect

from iro_service.audit.models import AccessLog
from iro_service.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def county(db):
    iro = UserFactory(username="helen", first_name="Helen", last_name="Ashworth", role=Role.IRO)
    manager = UserFactory(username="karen", first_name="Karen", last_name="Lloyd", role=Role.IRO_MANAGER)
    ruth = StaffMemberFactory(first_name="Ruth", last_name="Lane")
    amy = ChildFactory(
        first_name="Amy", last_name="Smith", local_child_id="C100123", date_of_birth=date(2010, 1, 1)
    )
    ChildFactory(first_name="Jack", last_name="Smithson", local_child_id="C100200")
    ChildFactory(first_name="Zoe", last_name="Adams", local_child_id="C100300")
    IroAllocationFactory(child=amy, iro=ruth, start_date=date(2016, 4, 1))
    return {"iro": iro, "manager": manager, "amy": amy, "ruth": ruth}


def sign_in(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_iro_signs_in_searches_and_opens_a_childs_record(page, live_server, county):
    """GIVEN an IRO with an account and three children on the system
    WHEN she signs in, searches for "smith" and opens Amy Smith's record and its history
    THEN each page passes axe-core with no WCAG 2.2 A/AA violation, the search shows the two
    Smiths only, and both views of Amy's record are in the access log."""
    page.goto(f"{live_server.url}/sign-in/")
    assert_accessible(page, live_server)
    sign_in(page, live_server, "helen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Helen")
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Children").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children")
    assert_accessible(page, live_server)

    page.get_by_label("Name or child ID").fill("smith")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_text("Showing 1 to 2 of 2 children").first).to_be_visible()
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Smith, Amy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amy Smith")
    expect(page.get_by_text("Ruth Lane")).to_be_visible()
    assert_accessible(page, live_server)

    page.get_by_role("link", name="History", exact=True).click()
    expect(page.get_by_role("heading", name="Changes to this record")).to_be_visible()
    assert_accessible(page, live_server)

    whats = list(AccessLog.objects.filter(child=county["amy"]).order_by("pk").values_list("what", flat=True))
    # Amy was listed (the children list, then the search) before her record was opened: the
    # lists are logged too (issue 10), as the list, then each page of her record.
    assert [what for what in whats if what != "Children list"] == [
        "Child record: summary",
        "Child record: history",
    ]
    assert whats[0] == "Children list"


def test_wrong_password_shows_an_accessible_error_summary(page, live_server, county):
    sign_in(page, live_server, "helen", "not-her-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter a correct username and password")
    # GOV.UK Frontend's JavaScript moves focus to the summary so screen readers announce it.
    expect(summary).to_be_focused()
    assert_accessible(page, live_server)


def test_manager_pages_are_accessible(page, live_server, county, console_errors):
    """Every other page of the shell, as the role that sees the most of them."""
    sign_in(page, live_server, "karen")
    amy = county["amy"]
    for path in (
        "/access-log/",
        "/timescales/",
        "/timescales/non-working-days/",
        f"/children/{amy.pk}/change-iro/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page, live_server)

    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    assert_accessible(page, live_server)
    # The browser reports the 404 itself as a console error: expected here.
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    ]
    console_errors.clear()

    # A form with errors is a page too.
    page.goto(f"{live_server.url}/children/{amy.pk}/change-iro/")
    page.get_by_role("button", name="Change IRO").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the new IRO")
    assert_accessible(page, live_server)


def test_sign_out_returns_to_sign_in(page, live_server, county):
    sign_in(page, live_server, "helen")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.goto(f"{live_server.url}/children/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
