"""An IRO records a two-part review in the real browser; business support distributes its
record. Every page passes axe-core."""

from datetime import date

import pytest
from playwright.sync_api import expect

from iro_service.core.roles import Role
from reviews.models import LacReview, PeriodOfCare
from tests.browser.conftest import assert_accessible
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory, UserFactory
from tests.factories.reviews import period_of_care

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def county(db):
    helen_user = UserFactory(username="helen", first_name="Helen", last_name="Ashworth", role=Role.IRO)
    helen = StaffMemberFactory(user=helen_user, first_name="Helen", last_name="Ashworth")
    UserFactory(username="beverley", first_name="Beverley", last_name="Hunt", role=Role.BUSINESS_SUPPORT)
    amy = ChildFactory(
        first_name="Amy", last_name="Smith", local_child_id="C100123", date_of_birth=date(2008, 1, 1)
    )
    IroAllocationFactory(child=amy, iro=helen, start_date=date(2016, 4, 4))
    period_of_care(child=amy, start_date=date(2016, 4, 4))
    return {"amy": amy, "helen": helen}


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_iro_records_a_two_part_review_and_support_distributes_the_record(page, live_server, county):
    """GIVEN Amy Smith, in care since 4 April 2016, whose IRO is Helen
    WHEN Helen records her first review in two parts (28 April and 3 May 2016), adding part 2
    on the same page, with the record completed on 10 May
    AND Beverley in business support marks the record distributed on 12 May 2016
    THEN the review's date is part 1's, the second review is due 28 July 2016 (3 months
    from part 1), the record is distributed, and every page passes axe-core."""
    sign_in(page, live_server, "helen")
    page.get_by_role("link", name="Children in care").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My children in care")
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Smith, Amy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amy Smith: care and reviews")
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Record a review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a review")
    assert_accessible(page, live_server)
    page.locator("#id_part-0-date").fill("28/04/2016")
    page.get_by_role("button", name="Add another part").click()
    expect(page.get_by_role("heading", name="Part 2")).to_be_visible()
    page.locator("#id_part-1-date").fill("03/05/2016")
    page.locator("#id_part-1-notes").fill("Reconvened once the health assessment was in.")
    page.get_by_label("How the child took part").select_option("PN1")
    page.get_by_label("Date you completed the record").fill("10/05/2016")
    assert_accessible(page, live_server)
    page.get_by_role("button", name="Save review").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(
        "Review 1 for Amy Smith recorded"
    )
    assert_accessible(page, live_server)

    review = LacReview.objects.get()
    assert review.review_date == date(2016, 4, 28)
    assert review.parts.count() == 2
    assert PeriodOfCare.objects.get().next_review_due == date(2016, 7, 28)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "beverley")
    page.get_by_role("link", name="Records to distribute").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Records to distribute")
    assert_accessible(page, live_server)
    page.get_by_label("Select the record of Amy Smith's review on 28 April 2016").check()
    page.get_by_label("Date the records were distributed").fill("12/05/2016")
    page.get_by_role("button", name="Mark distributed").click()
    expect(page.get_by_text("1 record marked distributed on 12 May 2016")).to_be_visible()
    expect(page.get_by_role("heading", name="No records to distribute")).to_be_visible()
    assert_accessible(page, live_server)
    review.refresh_from_db()
    assert review.record_distributed == date(2016, 5, 12)
