"""Business support book a review meeting from "Reviews to book" in the real browser, and come
back to the list they started from. Every page passes axe-core."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from iro_service.core.roles import Role
from reviews.codes import MeetingStatus
from reviews.models import ReviewMeeting
from tests.browser.conftest import assert_accessible
from tests.factories import ChildFactory, UserFactory
from tests.factories.reviews import period_of_care

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def test_support_books_a_review_meeting_from_reviews_to_book(page, live_server):
    """GIVEN Amy Smith, in care since 5 days ago, whose first review is due within 20
    working days and has no meeting booked
    WHEN Beverley in business support opens "Reviews to book", follows "Book" for Amy and
    books the meeting for a week today
    THEN she is back on "Reviews to book", told the date, Amy is no longer on it, and the
    meeting is booked; every page passes axe-core."""
    UserFactory(username="beverley", first_name="Beverley", last_name="Hunt", role=Role.BUSINESS_SUPPORT)
    amy = ChildFactory(
        first_name="Amy", last_name="Smith", local_child_id="C100123", date_of_birth=date(2008, 1, 1)
    )
    period = period_of_care(child=amy, start_date=timezone.localdate() - timedelta(days=5))
    on = timezone.localdate() + timedelta(days=7)

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("beverley")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Reviews to book").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews to book")
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Book a review for Amy Smith").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book the next review")
    assert_accessible(page, live_server)
    page.get_by_label("Date of the meeting").fill(on.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Book meeting").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews to book")
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(
        f"Review meeting for Amy Smith booked for {on:%d %B %Y}."
    )
    expect(page.get_by_role("link", name="Book a review for Amy Smith")).to_have_count(0)
    assert_accessible(page, live_server)
    meeting = ReviewMeeting.objects.get(period=period)
    assert (meeting.status, meeting.date) == (MeetingStatus.BOOKED, on)
