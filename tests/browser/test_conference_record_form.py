"""The conference record form in Chromium: the agencies invited come first in a table, the
others are grouped behind "Show the ... agencies not invited", the error summary takes the chair
to the first outcome, and the page passes axe-core closed and open."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conferences.models import ConferenceType
from conferences.services import conference_book, strategy_discussion_record
from iro_service.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import StaffMemberFactory, UserFactory
from tests.factories.conferences import family_with_children

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def booked(db):
    helen = UserFactory(username="helen", first_name="Helen", last_name="Ashworth", role=Role.IRO)
    chair = StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=helen)
    family, (amy, ben) = family_with_children("Amy", "Ben")
    today = timezone.localdate()
    discussion = strategy_discussion_record(family=family, on=today - timedelta(days=14), children=[amy, ben])
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=today - timedelta(days=1),
        chair=chair,
        children=[(amy, "initial"), (ben, "initial")],
        strategy_discussion=discussion,
        agencies=["police", "school"],
    )
    return {"conference": conference, "amy": amy, "ben": ben}


def test_the_record_form_shows_the_invited_agencies_and_groups_the_rest(page, live_server, booked):
    """GIVEN an initial conference for Amy and Ben that invited the police and the school
    WHEN Helen opens its record page
    THEN the invited agencies are a table of two rows, the eight others are hidden under their
    groups until she opens them, the page is half its old 4,282 px, and axe-core finds
    nothing, closed or open; the error summary's link takes her to Amy's first outcome."""
    amy = booked["amy"]
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("helen")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/conferences/{booked['conference'].pk}/record/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record the Initial conference")

    invited = page.get_by_role("table", name="Agencies invited")
    expect(invited.get_by_role("rowheader")).to_have_text(["School", "Police"])
    expect(invited.get_by_role("checkbox", name="Police: invited")).to_be_checked()
    health = page.get_by_role("table", name="Health")
    expect(health).to_be_hidden()
    height = page.evaluate("document.documentElement.scrollHeight")
    # Two children's decisions and two agencies invited: 2,048 px at 1280 px wide. With the
    # ten agencies' 30 checkboxes in one column it was 4,282 px.
    assert height < 2500, height
    assert_accessible(page, live_server)

    page.get_by_text("Show the 8 agencies not invited").click()
    expect(health).to_be_visible()
    expect(health.get_by_role("rowheader")).to_have_text(
        ["GP", "Health visitor", "School nurse", "Adult mental health", "Substance misuse service"]
    )
    for group in ("Police and probation", "Housing and other agencies"):
        expect(page.get_by_role("table", name=group)).to_be_visible()
    assert_accessible(page, live_server)

    health.get_by_role("checkbox", name="GP: attended").check()
    page.get_by_role("button", name="Save conference").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(f"Select the outcome for {amy.full_name}")
    # What was ticked comes back in view, not hidden under the details.
    expect(page.get_by_role("checkbox", name="GP: attended")).to_be_checked()
    expect(page.get_by_role("checkbox", name="GP: attended")).to_be_visible()
    assert_accessible(page, live_server)
    summary.get_by_role("link", name=f"Select the outcome for {amy.full_name}").click()
    expect(page.locator(f"#id_child-{amy.pk}-outcome_1")).to_be_focused()
