"""The HSB lead takes a referral through the pathway: the referral, the threshold decision, the
meeting and its record distributed. Every page passes axe-core."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hsb.models import HsbMeeting, HsbReferral
from iro_service.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import ChildFactory, StaffMemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def lead(db):
    user = UserFactory(username="karen", first_name="Karen", last_name="Lloyd", role=Role.IRO_MANAGER)
    StaffMemberFactory(first_name="Karen", last_name="Lloyd", job_role="iro_manager", user=user)
    return ChildFactory(
        local_child_id="K1234", first_name="Kai", last_name="Ford", sex="M", date_of_birth=date(2004, 2, 1)
    )


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_referral_threshold_decision_meeting_and_record_distributed(page, live_server, lead):
    """GIVEN Kai, a child already known, and Karen, the HSB lead
    WHEN Karen records a referral about him (told first what is missing), decides that his
    amber behaviour meets the threshold, records the HSB meeting held today and then the
    record produced and distributed today
    THEN the referral has its decision, the meeting its record distributed in time, the queue is
    empty, and every page on the way passes axe-core."""
    kai = lead
    today = timezone.localdate()
    typed = today.strftime("%d/%m/%Y")
    sign_in(page, live_server, "karen")
    page.get_by_role("link", name="HSB").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harmful sexual behaviour")
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Add a referral").click()
    page.get_by_label("Child ID of a child already known").fill("K1234")
    page.get_by_label("Date the referral was received").fill((today - timedelta(days=2)).strftime("%d/%m/%Y"))
    page.get_by_label("Referrer's name").fill("Jo Marsh")
    page.get_by_label("Referrer's team or agency").fill("Oakfield Academy")
    page.get_by_role("button", name="Save referral").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the description of the behaviour")
    assert_accessible(page, live_server)

    page.get_by_label("Description of the behaviour").fill("Sexualised behaviour towards a younger pupil.")
    page.get_by_role("button", name="Save referral").click()
    expect(page.get_by_text("Referral saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("HSB referral received")
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Record the threshold decision").click()
    assert_accessible(page, live_server)
    page.get_by_label("Amber").check()
    page.get_by_label("Brook traffic light tool (2012)").check()
    page.get_by_label("Date of the decision").fill(typed)
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Threshold decision saved.")).to_be_visible()
    expect(page.get_by_text("Meets the threshold", exact=True)).to_be_visible()
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Record an HSB meeting").click()
    assert_accessible(page, live_server)
    page.get_by_label("Date of the meeting").fill(typed)
    page.get_by_label("Chair").select_option(label="Karen Lloyd (IRO team manager)")
    page.get_by_label("Police (Child Abuse Investigation Unit)").check()
    page.get_by_label("School or college").check()
    page.get_by_label("Risk assessment summary").fill("Risk to younger pupils at school; none at home.")
    page.get_by_label("Recommendations").fill("Safety plan at school; AIM2 assessment.")
    page.get_by_label("Intervention assigned").select_option(label="In-house specialist therapeutic worker")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_text("HSB meeting saved.")).to_be_visible()
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Back to Kai Ford's HSB referrals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harmful sexual behaviour")
    assert_accessible(page, live_server)
    page.goto(f"{live_server.url}/hsb/")
    expect(page.get_by_role("table", name="Meeting records to distribute")).to_contain_text("Kai Ford")
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Record dates for Kai Ford").click()
    page.get_by_label("Date the record was produced").fill(typed)
    page.get_by_label("Date the record was distributed").fill(typed)
    page.get_by_role("button", name="Save record dates").click()
    expect(page.get_by_text("Record dates saved.")).to_be_visible()
    expect(page.get_by_text("In time", exact=True)).to_be_visible()
    assert_accessible(page, live_server)

    page.goto(f"{live_server.url}/hsb/")
    expect(page.get_by_text("Every meeting record has been distributed.")).to_be_visible()
    page.get_by_role("link", name="Training register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("HSB training register")
    assert_accessible(page, live_server)

    referral = HsbReferral.objects.get()
    assert (referral.child, referral.rating, referral.outcome) == (kai, "amber", "hsb_meeting")
    meeting = HsbMeeting.objects.get()
    assert meeting.record_distributed_on == today <= meeting.record_distributed_due
