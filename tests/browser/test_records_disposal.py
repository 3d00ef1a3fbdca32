"""A manager disposes of a child's record in the browser, with axe-core on every step."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from iro_service.core.roles import Role
from iro_service.people.models import Child
from retention.models import DisposalRecord
from tests.browser.conftest import assert_accessible
from tests.factories import ChildFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_disposes_of_a_due_childs_record(page, live_server):
    """GIVEN Fay, born 1 March 1980 and never in care (26th birthday 1 March 2006: due), and
    a manager who has just signed in
    WHEN they open "Records due for disposal", open Fay, send the form without the child ID,
    then with it
    THEN each page passes axe-core; the empty form is refused by name; the register shows the
    entry, without Fay's name, and her record is gone."""
    UserFactory(username="manager-persona", first_name="Mary", last_name="Khan", role=Role.IRO_MANAGER)
    fay = ChildFactory(first_name="Fay", last_name="Lowe", date_of_birth=date(1980, 3, 1))
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("manager-persona")
    page.get_by_label("Password", exact=True).fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/home/")

    page.goto(f"{live_server.url}/retention/due/")
    assert_accessible(page, live_server)
    page.get_by_role("link", name="Fay Lowe").click()
    expect(page.get_by_role("heading", name="Dispose of the child's record")).to_be_visible()
    assert_accessible(page, live_server)

    page.get_by_role("button", name="Erase this child's record").click()
    expect(page.get_by_role("link", name="Enter the child ID to confirm the disposal")).to_be_visible()
    assert_accessible(page, live_server)

    page.get_by_label("Type the child ID to confirm").fill(fay.local_child_id)
    page.get_by_role("button", name="Erase this child's record").click()
    expect(page.get_by_role("heading", name="Disposal register")).to_be_visible()
    assert_accessible(page, live_server)
    entry = DisposalRecord.objects.get()
    expect(page.get_by_role("cell", name=entry.reference)).to_be_visible()
    assert "Fay" not in page.content()
    assert not Child.objects.filter(pk=fay.pk).exists()
