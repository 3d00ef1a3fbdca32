"""A chair records an initial conference for two siblings; business support distributes the
record. Every page passes axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conferences.models import ChildProtectionPlan, Conference, ConferenceType
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
    UserFactory(username="beverley", first_name="Beverley", last_name="Hunt", role=Role.BUSINESS_SUPPORT)
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
    return {"conference": conference, "amy": amy, "ben": ben, "family": family}


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_chair_records_an_initial_conference_and_support_distributes_the_record(page, live_server, booked):
    """GIVEN an initial conference for Amy and Ben, held yesterday, chaired by Helen
    WHEN Helen records plans for both (neglect for Amy, emotional abuse for Ben) with the police
    attending, after first being told what is missing
    AND Beverley in business support records the record completed and distributed today
    THEN both plans start on the conference date, the record shows as distributed, and every
    page on the way passes axe-core."""
    amy, ben = booked["amy"], booked["ben"]
    sign_in(page, live_server, "helen")
    page.get_by_role("link", name="Conferences").first.click()
    page.get_by_role("link", name="My conferences").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My conferences")
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Record", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record the Initial conference")
    assert_accessible(page, live_server)

    page.locator(f"input[name='child-{amy.pk}-outcome'][value='plan_started']").check()
    page.get_by_role("button", name="Save conference").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(f"Select the outcome for {ben.full_name}")
    assert_accessible(page, live_server)

    page.locator(f"input[name='child-{amy.pk}-outcome'][value='plan_started']").check()
    page.locator(f"input[name='child-{amy.pk}-categories'][value='NEG']").check()
    page.locator(f"input[name='child-{ben.pk}-outcome'][value='plan_started']").check()
    page.locator(f"input[name='child-{ben.pk}-categories'][value='EMO']").check()
    page.locator("input[name='agency-police-attended']").check()
    page.get_by_role("button", name="Save conference").click()
    expect(page.get_by_text("Conference recorded.")).to_be_visible()
    assert_accessible(page, live_server)

    page.get_by_role("link", name=f"Back to {booked['family'].name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(booked["family"].name)
    assert_accessible(page, live_server)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "beverley")
    page.get_by_role("link", name="Conferences").first.click()
    page.get_by_role("link", name="Conference records to distribute").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conference records to distribute")
    assert_accessible(page, live_server)

    page.get_by_role("link", name="Record distribution").click()
    today = timezone.localdate().strftime("%d/%m/%Y")
    page.get_by_label("Date the record was completed").fill(today)
    page.get_by_label("Date the record and plan were distributed").fill(today)
    page.get_by_role("button", name="Save record dates").click()
    expect(page.get_by_text("Every conference record has been distributed.")).to_be_visible()
    assert_accessible(page, live_server)

    conference = Conference.objects.get(pk=booked["conference"].pk)
    assert conference.status == "held"
    assert conference.record_distributed_on == timezone.localdate()
    plans = {p.child_id: (p.start_date, p.categories) for p in ChildProtectionPlan.objects.all()}
    assert plans == {amy.pk: (conference.date, ["NEG"]), ben.pk: (conference.date, ["EMO"])}
