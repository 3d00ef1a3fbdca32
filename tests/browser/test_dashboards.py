"""A manager opens the performance dashboard in the real browser, filters it to one team, drills
into the late reviews and downloads them as Excel; the other dashboards open for their roles.
Every page passes axe-core."""

from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from iro_service.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory, TeamFactory, UserFactory
from tests.factories.reviews import period_of_care, review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def county(db):
    """Two teams. North: Helen chairs Amy's reviews, on time on 3 May 2016 (due 20 working days
    after 4 April, 3 May as 2 May is a bank holiday) and late on 10 August 2016 (due 3 August).
    South: Sam chairs Cal's first review on 20 July 2016, due 29 June: late."""
    north, south = TeamFactory(name="North IROs"), TeamFactory(name="South IROs")
    helen_user = UserFactory(username="helen", first_name="Helen", last_name="Ashworth", role=Role.IRO)
    helen = StaffMemberFactory(user=helen_user, first_name="Helen", last_name="Ashworth", team=north)
    sam = StaffMemberFactory(first_name="Sam", last_name="Okoro", team=south)
    UserFactory(username="maria", first_name="Maria", last_name="Khan", role=Role.IRO_MANAGER)
    UserFactory(username="beverley", first_name="Beverley", last_name="Hunt", role=Role.BUSINESS_SUPPORT)
    amy = ChildFactory(first_name="Amy", last_name="Smith", local_child_id="C100123")
    cal = ChildFactory(first_name="Cal", last_name="Jones", local_child_id="C100456")
    IroAllocationFactory(child=amy, iro=helen, start_date=date(2016, 4, 4))
    IroAllocationFactory(child=cal, iro=sam, start_date=date(2016, 6, 1))
    period_of_care(child=amy, start_date=date(2016, 4, 4))
    period_of_care(child=cal, start_date=date(2016, 6, 1))
    review(child=amy, parts=date(2016, 5, 3), chair=helen, participation_code="PN1")
    review(child=amy, parts=date(2016, 8, 10), chair=helen, participation_code="PN1", late_reason="Carer ill")
    review(child=cal, parts=date(2016, 7, 20), chair=sam, participation_code="PN1")
    return {"amy": amy, "north": north}


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_manager_filters_to_a_team_drills_into_late_reviews_and_downloads_excel(page, live_server, county):
    """GIVEN the two teams' reviews of 2016-17
    WHEN Maria opens the performance dashboard, chooses 2016-17 and the North team, opens the
    records behind 'LAC reviews held late' and downloads them as Excel
    THEN the tile shows 1 late review (Amy's, not Cal's), the drill-down lists Amy's review of
    10 August 2016 due 3 August, 7 days late, with its reason, and the Excel file holds that row
    with the figure, period and team named at the top."""
    sign_in(page, live_server, "maria")
    page.locator("#navigation").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("-")
    assert_accessible(page, live_server)

    page.get_by_label("Reporting year", exact=True).select_option("2017")
    page.get_by_label("Team", exact=True).select_option(label="North IROs")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2016-17")
    assert "team=" in page.url and "year=2017" in page.url
    expect(page.locator("#tile-lac_reviews_late")).to_contain_text("1")
    expect(page.locator("#tile-lac_reviews_on_time")).to_contain_text("50% (1 of 2)")
    assert_accessible(page, live_server)

    page.locator("#tile-lac_reviews_late").get_by_role("link", name="Records behind this figure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("LAC reviews held late")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("10 Aug 2016")
    expect(rows.first).to_contain_text("Carer ill")
    assert f"team={county['north'].pk}" in page.url
    assert_accessible(page, live_server)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel").click()
    # openpyxl reads the format from a file name's extension, which a download's temporary file
    # has not: it is given the file itself.
    with open(download_info.value.path(), "rb") as workbook:
        sheet = load_workbook(workbook).active
    lines = [line for line in sheet.iter_rows(values_only=True)]
    assert lines[0][0] == "LAC reviews held late: Records behind LAC reviews held late"
    assert lines[1][0] == "Period: 2016-17 (1 April 2016 to 31 March 2017)"
    assert lines[2][0] == "Team: North IROs"
    header = lines.index(next(line for line in lines if line and line[0] == "Review id"))
    body = [line for line in lines[header + 1 :] if any(line)]
    assert len(body) == 1
    row = dict(zip(lines[header], body[0], strict=True))
    assert row["Review date"].date() == date(2016, 8, 10)
    assert row["Due date"].date() == date(2016, 8, 3)
    assert row["Days late"] == 7
    assert row["Late reason"] == "Carer ill"

    page.get_by_role("link", name="Back to the dashboard").click()
    page.locator("#tile-lac_reviews_on_time h3 a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("LAC reviews held on time")
    expect(page.locator("figure img")).to_have_attribute(
        "alt", "Line chart of LAC reviews held on time for each month from Apr 2016 to Mar 2017."
    )
    assert_accessible(page, live_server)

    # The records behind a breakdown (its parts in a table above the rows) and behind a rate
    # whose rows are its denominator, with the filters kept from the tile.
    for key, label in (
        ("cp_conferences_by_type", "Conferences held by type"),
        ("consultations_views_before_review", "Review meetings with the child's views received beforehand"),
    ):
        page.goto(f"{live_server.url}{reverse('reports:dashboard-records', args=[key])}?year=2017")
        expect(page.get_by_role("heading", level=1)).to_have_text(label)
        assert_accessible(page, live_server)

    # The other managers' pages, from the dashboards' own navigation.
    for name, heading in (("Caseloads", "On "), ("Targets", "20"), ("Comparators", "20")):
        page.get_by_role("link", name=name, exact=True).first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page, live_server)


def test_business_support_and_an_iro_open_their_dashboards(page, live_server, county):
    sign_in(page, live_server, "beverley")
    page.get_by_role("link", name="Business support").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Business support dashboard")
    assert_accessible(page, live_server)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "helen")
    page.get_by_role("link", name="My page").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My page: Helen Ashworth")
    assert_accessible(page, live_server)
