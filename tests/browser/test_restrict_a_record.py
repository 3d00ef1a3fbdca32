"""In the real browser: an IRO manager restricts a child's record to one IRO, with the form's
errors first, sees it in the list of restricted records, and lifts it. Every page passes
axe-core, in its empty, error and filled states."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from iro_service.core.roles import Role
from iro_service.people.models import ChildRestriction
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in_and_find_a_child import sign_in
from tests.factories import ChildFactory, StaffMemberFactory, UserFactory

User = get_user_model()
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(db):
    karen = UserFactory(username="karen", first_name="Karen", last_name="Lloyd", role=Role.IRO_MANAGER)
    StaffMemberFactory(first_name="Karen", last_name="Lloyd", job_role="iro_manager", user=karen)
    helen = UserFactory(username="helen", first_name="Helen", last_name="Ashworth", role=Role.IRO)
    StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=helen)
    return {"child": ChildFactory(first_name="Rhea", last_name="Moss", date_of_birth=date(2011, 5, 1))}


def test_a_manager_restricts_a_record_to_one_iro_and_lifts_it(page, live_server, county):
    child = county["child"]
    sign_in(page, live_server, "karen")
    page.goto(f"{live_server.url}/children/restricted/")
    expect(page.get_by_text("No record is restricted.")).to_be_visible()
    assert_accessible(page, live_server)

    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name="Restrict access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Restrict access to this record")
    assert_accessible(page, live_server)

    page.get_by_role("button", name="Save the restriction").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Select at least one member of staff who may see the record"
    )
    expect(page.get_by_role("alert")).to_contain_text("Enter why the record is restricted")
    assert_accessible(page, live_server)

    page.get_by_label("Helen Ashworth", exact=False).check()
    page.get_by_label("Why the record is restricted").fill("Her aunt works in the IRO service")
    page.get_by_role("button", name="Save the restriction").click()
    expect(page.get_by_text("This record is restricted to Helen Ashworth")).to_be_visible()
    expect(page.get_by_role("heading", name="History of the restriction")).to_be_visible()
    assert_accessible(page, live_server)
    assert ChildRestriction.objects.filter(child=child).exists()

    page.goto(f"{live_server.url}/children/restricted/")
    expect(page.get_by_role("cell", name="Her aunt works in the IRO service")).to_be_visible()
    assert_accessible(page, live_server)

    # Karen is not named: the child's own page is now "not found" to her (asked outside the
    # browser, whose console would report the 404 as an error of the page).
    client = Client()
    client.force_login(User.objects.get(username="karen"))
    assert client.get(f"/children/{child.pk}/").status_code == 404

    page.goto(f"{live_server.url}/children/{child.pk}/restriction/")
    page.get_by_role("button", name="Lift the restriction").click()
    expect(page.get_by_text("This record is open to everyone")).to_be_visible()
    assert not ChildRestriction.objects.filter(child=child).exists()
