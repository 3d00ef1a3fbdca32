"""An IRO raises a QA alert from a child's page, the practitioner answers through the link in the
email without an account, the IRO judges the answer not good enough and escalates; a manager
looks at the board, the overview and the challenge meetings. Every page passes axe-core."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from iro_service.core.roles import Role
from qa_alerts.models import AlertStage, QaAlert
from tests.browser.conftest import assert_accessible
from tests.factories import StaffMemberFactory, TeamFactory, UserFactory
from tests.factories.qa_alerts import child_in_care

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def county(db):
    helen = UserFactory(username="helen", first_name="Helen", last_name="Ashworth", role=Role.IRO)
    UserFactory(username="karen", first_name="Karen", last_name="Lloyd", role=Role.IRO_MANAGER)
    StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=helen)
    TeamFactory(name="Children in Care Team", kind="social_work")
    return {"child": child_in_care(first_name="Amelia", last_name="Hartley")}


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_raise_answer_through_the_link_and_escalate(page, live_server, county, console_errors):
    """GIVEN Amelia in care and her IRO Helen
    WHEN Helen raises a concern from Amelia's page, first without a category
    AND the practitioner answers through the link in the email, then tries the link again
    AND Helen says the answer does not resolve the concern and escalates to the team manager
    THEN the alert is at stage 1 with its own due date, and every page passed axe-core."""
    child = county["child"]
    sign_in(page, live_server, "helen")
    page.goto(f"{live_server.url}/children/{child.pk}/")
    assert_accessible(page, live_server)
    page.get_by_role("link", name="Raise a QA alert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a QA alert")
    assert_accessible(page, live_server)

    page.get_by_label("What the alert is about").fill("The care plan has not been reviewed since July.")
    page.get_by_label("Practitioner's name").fill("Pat Practitioner")
    page.get_by_label("Practitioner's email address").fill("pat@example.invalid")
    page.get_by_label("Practitioner's team").select_option(label="Children in Care Team")
    page.get_by_label("Team manager's name").fill("Tess Manager")
    page.get_by_label("Team manager's email address").fill("tess@example.invalid")
    page.get_by_role("button", name="Raise alert").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select at least one category of concern")
    assert_accessible(page, live_server)

    page.get_by_label("Drift and delay, actions not progressed").check()
    page.get_by_role("button", name="Raise alert").click()
    expect(page.get_by_text("The email to the practitioner is on its way")).to_be_visible()
    assert_accessible(page, live_server)
    alert = QaAlert.objects.get()

    to_pat = next(message for message in mail.outbox if message.to == ["pat@example.invalid"])
    link = re.search(r"https?://\S+/qa-alerts/respond/\S+/", to_pat.body).group(0)
    link = live_server.url + link[link.index("/qa-alerts/") :]
    page.get_by_role("button", name="Sign out").click()

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Respond to QA alert {alert.reference}")
    expect(page.get_by_text("The care plan has not been reviewed since July.")).to_be_visible()
    assert "Amelia" not in page.content()
    assert_accessible(page, live_server)
    page.get_by_label("Your name").fill("Pat Practitioner")
    page.get_by_label("Your response").fill("I will review the plan next month.")
    page.get_by_role("button", name="Send response").click()
    expect(page.get_by_role("heading", name="Response sent")).to_be_visible()
    assert_accessible(page, live_server)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has already been used")
    assert_accessible(page, live_server)
    # The browser reports the page's 410 (Gone) status as a console error: it is the point here.
    console_errors.clear()

    sign_in(page, live_server, "helen")
    page.goto(f"{live_server.url}/qa-alerts/mine/")
    expect(page.get_by_text("responded through the email link")).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_role("link", name=alert.reference).first.click()
    assert_accessible(page, live_server)
    page.get_by_role("link", name="Say whether it resolves the concern").click()
    assert_accessible(page, live_server)
    page.get_by_label("No").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Judgement saved.")).to_be_visible()

    page.get_by_role("link", name="Escalate").click()
    assert_accessible(page, live_server)
    page.get_by_label("Stage 1: Team manager").check()
    page.get_by_label("Name of the person it goes to").fill("Tess Manager")
    page.get_by_label("Their email address").fill("tess@example.invalid")
    page.get_by_role("button", name="Escalate alert").click()
    expect(page.get_by_text("Alert escalated to Team manager.")).to_be_visible()
    assert_accessible(page, live_server)

    alert.refresh_from_db()
    assert (alert.stage, alert.status) == (1, "open")
    stage = AlertStage.objects.get(alert=alert, number=1)
    assert stage.started_on == timezone.localdate() and stage.due_on > stage.started_on


def test_a_manager_s_pages_pass_axe(page, live_server, county):
    sign_in(page, live_server, "karen")
    for path, heading in [
        ("/qa-alerts/", "QA alerts"),
        ("/qa-alerts/board/", "Alert board"),
        ("/reports/qa-alerts/overview/", None),
        ("/qa-alerts/categories/", "Concern categories"),
        ("/qa-alerts/themes/", "Challenge meeting themes"),
        ("/qa-alerts/stages/", "Escalation stages"),
        ("/qa-alerts/challenge-meetings/", "Challenge meetings"),
        ("/qa-alerts/challenge-meetings/add/", "Record a challenge meeting"),
    ]:
        page.goto(f"{live_server.url}{path}")
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page, live_server)
