"""Business support keep a child's care history in the real browser (a period of care, a
change of placement, leaving care); an IRO manager records a Children's Guardian and their
handover. Every page, including a page showing errors, passes axe-core."""

from datetime import date

import pytest
from playwright.sync_api import expect

from iro_service.core.roles import Role
from reviews.models import CafcassInvolvement, PeriodOfCare
from tests.browser.conftest import assert_accessible
from tests.factories import ChildFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def county(db):
    UserFactory(username="beverley", first_name="Beverley", last_name="Hunt", role=Role.BUSINESS_SUPPORT)
    UserFactory(username="marcus", first_name="Marcus", last_name="Reid", role=Role.IRO_MANAGER)
    amy = ChildFactory(
        first_name="Amy", last_name="Smith", local_child_id="C100123", date_of_birth=date(2008, 1, 1)
    )
    return {"amy": amy}


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def expect_success(page, text):
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)
    expect(page.get_by_role("heading", level=1)).to_have_text("Amy Smith: care and reviews")


def test_support_keep_the_care_history_and_a_manager_records_a_guardian(page, live_server, county):
    """GIVEN Amy Smith, never in care
    WHEN Beverley (business support) starts a period of care on 4 April 2016 (C2, N1, U6),
    records a change of placement only on 1 June 2016 (to U4), and records that Amy left care
    on 1 September 2016 (E3)
    AND Marcus (IRO manager) records Ruth Okafor as Children's Guardian from 10 April 2016, then
    the end of her involvement on 1 October 2016 and her handover on 5 October
    THEN the period holds two episodes and has ended, the guardian's record holds both dates,
    each page came back to the care page with a success banner, and every page passes axe-core."""
    amy = county["amy"]
    care_url = f"{live_server.url}/reviews/child/{amy.pk}/"
    sign_in(page, live_server, "beverley")
    page.goto(care_url)
    expect(page.get_by_text("No period of care is recorded.")).to_be_visible()
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Start a period of care").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a period of care")
    assert_accessible(page, live_server)
    # Nothing filled in: the error summary names each field and links to it.
    page.get_by_role("button", name="Start period of care").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the date the child came into care")
    expect(summary).to_contain_text("Select the legal status")
    assert_accessible(page, live_server)
    page.get_by_label("Date the child came into care").fill("04/04/2016")
    page.get_by_label("Legal status").select_option("C2")
    page.get_by_label("Category of need").select_option("N1")
    page.get_by_label("Placement type").select_option("U6")
    page.get_by_label("Placement provider").select_option("PR1")
    page.get_by_label("Child's home postcode").fill("LS1 4AP")
    page.get_by_role("button", name="Start period of care").click()
    expect_success(page, "Amy Smith is recorded as in care from 4 April 2016")
    expect(page.get_by_role("link", name="Start a period of care")).to_have_count(0)
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Record a change of placement or legal status").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a change of placement or legal status")
    assert_accessible(page, live_server)
    page.get_by_label("Date of the change").fill("01/06/2016")
    page.get_by_label("Reason for the new episode").select_option("P")
    page.get_by_label("Placement type").select_option("U4")
    page.get_by_role("button", name="Save change").click()
    expect_success(
        page,
        "New episode for Amy Smith from 1 June 2016: legal status Full care order (C2), placement Foster "
        "placement with other foster carer, long-term fostering (U4).",
    )
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Record that the child left care").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record that the child left care")
    assert_accessible(page, live_server)
    page.get_by_label("Date the child left care").fill("01/09/2016")
    page.get_by_label("Reason the child left care").select_option("E3")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Amy Smith is recorded as leaving care on 1 September 2016.")
    # Left care: starting a new period is offered again; the ended one cannot be changed.
    expect(page.get_by_role("link", name="Start a period of care")).to_be_visible()
    expect(page.get_by_role("link", name="Record that the child left care")).to_have_count(0)
    assert_accessible(page, live_server)

    period = PeriodOfCare.objects.get(child=amy)
    assert period.end_date == date(2016, 9, 1)
    assert list(period.episodes.order_by("start_date").values_list("placement", "reason_ceased")) == [
        ("U6", "X1"),
        ("U4", "E3"),
    ]

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "marcus")
    page.goto(care_url)
    page.get_by_role("link", name="Record a Children's Guardian").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a Children's Guardian")
    assert_accessible(page, live_server)
    page.get_by_label("Guardian's name").fill("Ruth Okafor")
    page.get_by_label("Date the guardian was appointed").fill("10/04/2016")
    page.get_by_role("button", name="Save guardian").click()
    expect_success(page, "Children's Guardian Ruth Okafor recorded from 10 April 2016.")
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Change end and handover of Ruth Okafor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children's Guardian: end and handover")
    assert_accessible(page, live_server)
    # A handover before the appointment: named against the field, nothing saved.
    page.get_by_label("Date the guardian handed over to the IRO").fill("05/04/2016")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "must be on or after the guardian was appointed on 10 April 2016"
    )
    assert_accessible(page, live_server)
    page.get_by_label("Date the guardian's involvement ended").fill("01/10/2016")
    page.get_by_label("Date the guardian handed over to the IRO").fill("05/10/2016")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Children's Guardian Ruth Okafor: end and handover saved.")
    expect(page.get_by_role("cell", name="5 Oct 2016")).to_be_visible()
    assert_accessible(page, live_server)

    guardian = CafcassInvolvement.objects.get(child=amy)
    assert (guardian.end_date, guardian.handover_date) == (date(2016, 10, 1), date(2016, 10, 5))
