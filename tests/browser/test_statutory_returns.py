"""A manager uploads an SSDA903 return in the real browser: the first attempt has a bad row and
is rejected with every problem listed; the corrected return imports, and the history shows both.
Every page passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

from iro_service.core.roles import Role
from iro_service.people.models import Child
from reviews.ssda903.tables import EPISODES_COLUMNS, HEADER_COLUMNS, REVIEWS_COLUMNS
from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory
from tests.reviews.test_ssda903 import EPISODE_ROWS, HEADER_ROWS, REVIEW_ROWS, _csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def wait_for_the_import(page):
    """The import runs once the upload's response has been sent, so its page may first say it
    has not finished: refresh it, as the page asks, until it has."""
    page.wait_for_url(re.compile(r"/reports/returns/\d+/$"))
    for _ in range(100):
        if not page.get_by_text("The import has not finished yet").is_visible():
            return
        page.wait_for_timeout(100)
        page.get_by_role("link", name="Refresh this page").click()
        page.wait_for_load_state()
    raise AssertionError("the import did not finish")


def test_manager_imports_a_return_after_mending_a_bad_row(page, live_server, tmp_path):
    """GIVEN the three-child return of tests/reviews/test_ssda903.py, with A3's placement type
    mistyped as QQ
    WHEN Mina, an IRO manager, uploads it
    THEN nothing is imported and the problem is listed with its file, row and field
    WHEN she uploads the corrected tables
    THEN the three children are imported and the history lists the rejected and the imported
    attempts, each with its counts."""
    UserFactory(username="mina", first_name="Mina", last_name="Patel", role=Role.IRO_MANAGER)
    bad_episodes = [list(row) for row in EPISODE_ROWS]
    bad_episodes[3][5] = "QQ"
    (tmp_path / "header.csv").write_text(_csv(HEADER_COLUMNS, HEADER_ROWS))
    (tmp_path / "bad-episodes.csv").write_text(_csv(EPISODES_COLUMNS, bad_episodes))
    (tmp_path / "episodes.csv").write_text(_csv(EPISODES_COLUMNS, EPISODE_ROWS))
    (tmp_path / "reviews.csv").write_text(_csv(REVIEWS_COLUMNS, REVIEW_ROWS))

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("mina")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Statutory returns").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statutory returns")
    assert_accessible(page, live_server)

    page.get_by_label("Header table (header.csv)").set_input_files(tmp_path / "header.csv")
    page.get_by_label("Episodes table (episodes.csv)").set_input_files(tmp_path / "bad-episodes.csv")
    page.get_by_label("Reviews table (reviews.csv)").set_input_files(tmp_path / "reviews.csv")
    page.get_by_role("button", name="Import SSDA903 return").click()
    wait_for_the_import(page)
    expect(page.locator(".govuk-error-summary__title")).to_have_text(
        "The file was not imported: 1 problem found"
    )
    problem_row = page.locator("#problems tbody tr")
    expect(problem_row).to_have_count(1)
    expect(problem_row).to_contain_text("row 5")
    expect(problem_row).to_contain_text("'QQ' is not a PLACE code")
    assert_accessible(page, live_server)
    assert Child.objects.count() == 0

    page.get_by_role("link", name="Back to statutory returns").click()
    page.get_by_label("Header table (header.csv)").set_input_files(tmp_path / "header.csv")
    page.get_by_label("Episodes table (episodes.csv)").set_input_files(tmp_path / "episodes.csv")
    page.get_by_label("Reviews table (reviews.csv)").set_input_files(tmp_path / "reviews.csv")
    page.get_by_role("button", name="Import SSDA903 return").click()
    wait_for_the_import(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The return was imported.")
    expect(page.get_by_role("row", name="Reviews")).to_contain_text("5 created")
    assert_accessible(page, live_server)
    assert Child.objects.count() == 3

    page.get_by_role("link", name="Back to statutory returns").click()
    history = page.locator("table", has_text="Outcome").locator("tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Imported")
    expect(history.nth(1)).to_contain_text("Rejected: nothing written (1 problem)")
    assert_accessible(page, live_server)
