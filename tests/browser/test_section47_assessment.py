"""Business support record the assessment of a child's section 47 enquiry from the child's
conferences and plans page, are told first what is wrong, and see it listed. Every page passes
axe-core."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conferences.services import strategy_discussion_record
from iro_service.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory
from tests.factories.conferences import family_with_children

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def test_support_record_an_assessment_from_the_childs_page(page, live_server):
    """GIVEN a strategy discussion a fortnight ago that started a section 47 enquiry about Amy
    WHEN Beverley in business support opens Amy's conferences and plans, follows "Record the
    assessment", authorises it before it started with 21 and another factor ticked, then puts
    the dates right and leaves 21 alone
    THEN the errors are named first, the assessment is listed on Amy's page with its factor,
    and every page on the way passes axe-core."""
    UserFactory(username="beverley", first_name="Beverley", last_name="Hunt", role=Role.BUSINESS_SUPPORT)
    family, (amy,) = family_with_children("Amy")
    today = timezone.localdate()
    strategy_discussion_record(family=family, on=today - timedelta(days=14), children=[amy])
    started, authorised = today - timedelta(days=13), today - timedelta(days=2)

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("beverley")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/home/")
    page.goto(f"{live_server.url}{reverse('conferences:child-record', args=[amy.pk])}")
    expect(page.get_by_text("No assessment recorded")).to_be_visible()
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Record the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the assessment")
    assert_accessible(page, live_server)
    page.get_by_label("Date the assessment started").fill(f"{authorised:%d/%m/%Y}")
    page.get_by_label("Date the assessment was authorised").fill(f"{started:%d/%m/%Y}")
    page.get_by_label("3A Domestic violence").check()
    page.get_by_label("21 No factors identified").check()
    page.get_by_role("button", name="Save assessment").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("cannot be authorised before it started")
    expect(summary).to_contain_text("cannot be selected with other factors")
    assert_accessible(page, live_server)

    page.get_by_label("Date the assessment started").fill(f"{started:%d/%m/%Y}")
    page.get_by_label("Date the assessment was authorised").fill(f"{authorised:%d/%m/%Y}")
    page.get_by_label("21 No factors identified").uncheck()
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Assessment saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("conferences and plans")
    expect(page.get_by_text("3A: Domestic violence: concerns about the child being")).to_be_visible()
    expect(page.get_by_role("link", name="Change the assessment")).to_be_visible()
    assert_accessible(page, live_server)
