"""In the real browser: from a child's summary to each of their records, the Families list, and
the timescale settings with their errors. Every page passes axe-core."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conferences.models import ConferenceType
from conferences.services import ChildDecision, conference_book, conference_record, strategy_discussion_record
from iro_service.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in_and_find_a_child import sign_in
from tests.factories import StaffMemberFactory, UserFactory
from tests.factories.conferences import family_with_children
from tests.factories.reviews import period_of_care

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(db):
    """Amy and Ben Adams: Amy in care (full care order, foster placement) and on a plan from
    an initial conference chaired by Helen 40 days ago."""
    today = timezone.localdate()
    helen = UserFactory(username="helen", first_name="Helen", last_name="Ashworth", role=Role.IRO)
    UserFactory(username="karen", first_name="Karen", last_name="Lloyd", role=Role.IRO_MANAGER)
    chair = StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=helen)
    family, (amy, ben) = family_with_children("Amy", "Ben", date_of_birth=date(2012, 3, 1))
    family.name = "Adams family"
    family.save()
    period_of_care(child=amy, start_date=today - timedelta(days=100))
    held_on = today - timedelta(days=40)
    discussion = strategy_discussion_record(
        family=family, on=held_on - timedelta(days=7), children=[amy, ben]
    )
    conference_record(
        conference=conference_book(
            family=family,
            conference_type=ConferenceType.INITIAL,
            on=held_on,
            chair=chair,
            children=[(amy, "initial"), (ben, "initial")],
            strategy_discussion=discussion,
        ),
        decisions={amy.pk: ChildDecision("plan_started", ("EMO",)), ben.pk: ChildDecision("not_needed")},
    )
    return {"amy": amy, "family": family, "held_on": held_on}


def test_from_a_childs_summary_to_each_of_their_records(page, live_server, county):
    """GIVEN Amy in care and on a plan, WHEN her IRO opens her summary and follows each link
    under Records, THEN each page is Amy's, shows codes with their meaning, and passes axe."""
    amy = county["amy"]
    sign_in(page, live_server, "helen")
    page.goto(f"{live_server.url}/children/{amy.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(amy.full_name)
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Care and reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{amy.full_name}: care and reviews")
    expect(page.get_by_text("Full care order (C2)").first).to_be_visible()
    assert_accessible(page, live_server)
    page.go_back()

    page.get_by_role("link", name="Conferences and plans").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{amy.full_name}: conferences and plans")
    expect(page.get_by_role("cell", name="Emotional abuse")).to_be_visible()
    assert_accessible(page, live_server)
    page.go_back()

    page.get_by_role("link", name=f"Household: Adams family ({county['family'].reference})").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adams family")
    assert_accessible(page, live_server)
    page.go_back()

    page.get_by_role("link", name="History of changes").click()
    expect(page.get_by_role("heading", name="Changes to this record")).to_be_visible()
    assert_accessible(page, live_server)


def test_the_families_list_shows_who_lives_there_and_the_chair(page, live_server, county):
    amy = county["amy"]
    sign_in(page, live_server, "helen")
    page.goto(f"{live_server.url}/conferences/families/")
    row = page.get_by_role("row").filter(has_text="Adams family")
    expect(row).to_contain_text(f"{amy.full_name}: on a plan since {county['held_on']:%-d %b %Y}")
    expect(row).to_contain_text("no plan")
    expect(row).to_contain_text("Helen Ashworth")
    assert_accessible(page, live_server)


def test_timescale_settings_errors_say_what_to_enter(page, live_server, county):
    """A manager empties one setting and turns the caseload guidance round: each error is
    against its setting, in words, and the page with its errors passes axe."""
    sign_in(page, live_server, "karen")
    page.goto(f"{live_server.url}/timescales/")
    expect(page.get_by_text("Default: 20 (IRO Handbook 2010)")).to_be_visible()
    page.get_by_label("Review record distributed within").fill("")
    page.get_by_label("Caseload guidance: fewest children per full-time IRO").fill("80")
    page.get_by_role("button", name="Save settings").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        "Enter the number of working days after a review to distribute its record"
    )
    expect(summary).to_contain_text(
        "The fewest children per full-time IRO must be the same as or fewer than the most"
    )
    expect(summary).not_to_contain_text("Constraint")
    assert_accessible(page, live_server)
