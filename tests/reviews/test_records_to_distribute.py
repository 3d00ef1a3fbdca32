"""'Records to distribute' for reviews, worked in bulk: the filters (date completed, chair, the
chair's team) kept in the URL, 'Select all' without JavaScript, the error when nothing is
ticked (linked to the first checkbox), and a fixed number of queries with the filters on."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html

from reviews.models import LacReview
from tests.factories import ChildFactory, StaffMemberFactory, TeamFactory
from tests.factories.reviews import period_of_care, review

pytestmark = pytest.mark.django_db

URL = "/reviews/records/"


def _completed(*, chair, days_ago: int) -> LacReview:
    """A review held 40 days ago whose record ``chair`` completed ``days_ago`` days ago."""
    today = timezone.localdate()
    child = ChildFactory()
    period_of_care(child=child, start_date=today - timedelta(days=60))
    return review(
        child=child,
        parts=today - timedelta(days=40),
        chair=chair,
        record_completed=today - timedelta(days=days_ago),
    )


@pytest.fixture
def records():
    """Helen and Omar in the North team, Priya in the South. Four completed records waiting
    (Helen's 30 and 5 days ago, Omar's 20, Priya's 10), one not completed and one already sent:
    neither of those two is ever on the list."""
    north, south = TeamFactory(name="IRO Team North"), TeamFactory(name="IRO Team South")
    helen = StaffMemberFactory(first_name="Helen", last_name="Ashworth", team=north)
    omar = StaffMemberFactory(first_name="Omar", last_name="Baig", team=north)
    priya = StaffMemberFactory(first_name="Priya", last_name="Raman", team=south)
    rows = {
        "helen_30": _completed(chair=helen, days_ago=30),
        "omar_20": _completed(chair=omar, days_ago=20),
        "priya_10": _completed(chair=priya, days_ago=10),
        "helen_5": _completed(chair=helen, days_ago=5),
    }
    today = timezone.localdate()
    not_completed = ChildFactory()
    period_of_care(child=not_completed, start_date=today - timedelta(days=60))
    review(child=not_completed, parts=today - timedelta(days=40), chair=helen)
    sent = _completed(chair=helen, days_ago=25)
    LacReview.objects.filter(pk=sent.pk).update(record_distributed=today - timedelta(days=1))
    return {"north": north, "south": south, "helen": helen, "omar": omar, "priya": priya, **rows}


def _shown(response) -> set[int]:
    return {review.pk for review in response.context["page"].object_list}


def _day(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).strftime("%d/%m/%Y")


def test_filters_by_date_completed_both_ends_included(client, support_user, records):
    client.force_login(support_user)
    # From 20 days ago to 10 days ago: Omar's (20) and Priya's (10), the ends themselves.
    response = client.get(URL, {"completed_from": _day(20), "completed_to": _day(10)})
    assert _shown(response) == {records["omar_20"].pk, records["priya_10"].pk}
    # From 20 days ago on: Omar's, Priya's and Helen's of 5 days ago.
    response = client.get(URL, {"completed_from": _day(20)})
    assert _shown(response) == {records["omar_20"].pk, records["priya_10"].pk, records["helen_5"].pk}


def test_filters_by_chair_and_by_the_chairs_team(client, support_user, records):
    client.force_login(support_user)
    assert _shown(client.get(URL, {"iro": records["helen"].pk})) == {
        records["helen_30"].pk,
        records["helen_5"].pk,
    }
    # The North team is Helen and Omar: three of the four.
    assert _shown(client.get(URL, {"team": records["north"].pk})) == {
        records["helen_30"].pk,
        records["omar_20"].pk,
        records["helen_5"].pk,
    }
    # North, completed from 20 days ago: Omar's (20) and Helen's (5).
    assert _shown(client.get(URL, {"team": records["north"].pk, "completed_from": _day(20)})) == {
        records["omar_20"].pk,
        records["helen_5"].pk,
    }


def test_the_team_filter_offers_the_teams_iros_belong_to(client, support_user, records):
    TeamFactory(name="Business Support")  # nobody chairs from it
    client.force_login(support_user)
    choices = [label for _, label in client.get(URL).context["filter_form"].fields["team"].choices]
    assert choices == ["Any", "IRO Team North", "IRO Team South"]


def test_filters_stay_in_the_sort_links_and_a_clear_link_is_offered(client, support_user, records):
    client.force_login(support_user)
    team = records["north"].pk
    response = client.get(URL, {"team": team, "completed_from": _day(20)})
    for header in response.context["headers"]:
        assert f"team={team}" in header["url"] and "completed_from=" in header["url"], header
    page = html.fromstring(response.content)
    assert page.xpath("//a[text()='Clear filters']/@href") == [URL]


def test_a_date_that_cannot_be_read_is_named_and_the_other_filters_still_apply(client, support_user, records):
    client.force_login(support_user)
    response = client.get(URL, {"completed_from": "31/02/2017", "iro": records["helen"].pk})
    assert "Enter the date as day, month and year" in response.content.decode()
    assert _shown(response) == {records["helen_30"].pk, records["helen_5"].pk}


def test_a_date_range_that_ends_before_it_starts_is_named(client, support_user, records):
    client.force_login(support_user)
    response = client.get(URL, {"completed_from": _day(10), "completed_to": _day(20)})
    start = timezone.localdate() - timedelta(days=10)
    assert (
        f"Record completed to must be the same as or after {start.day} {start:%B %Y}"
        in response.content.decode()
    )
    # The 'to' date is left out; 'from 10 days ago' still applies: Priya's and Helen's of 5.
    assert _shown(response) == {records["priya_10"].pk, records["helen_5"].pk}


def _ticked(response) -> set[int]:
    page = html.fromstring(response.content)
    return {int(value) for value in page.xpath("//input[@name='reviews'][@checked]/@value")}


def test_select_all_without_javascript_ticks_every_row_of_the_page_keeping_the_filters(
    client, support_user, records
):
    client.force_login(support_user)
    team = records["north"].pk
    plain = client.get(URL, {"team": team})
    assert _ticked(plain) == set()
    link = html.fromstring(plain.content).xpath("//a[text()='Select all records on this page']/@href")
    assert link == [f"{URL}?select=all&team={team}"]
    selected = client.get(link[0])
    assert _ticked(selected) == {records["helen_30"].pk, records["omar_20"].pk, records["helen_5"].pk}
    clear = html.fromstring(selected.content).xpath("//a[text()='Clear the selection']/@href")
    assert clear == [f"{URL}?team={team}"]


def test_the_table_offers_moj_multi_select_with_javascript(client, support_user, records):
    client.force_login(support_user)
    page = html.fromstring(client.get(URL).content)
    (table,) = page.xpath("//table[@data-module='moj-multi-select']")
    assert table.xpath(".//thead//th[@id='select-all']")
    assert len(table.xpath(".//tbody//input[@name='reviews']")) == 4


def test_nothing_ticked_is_an_error_linked_to_the_first_checkbox(client, support_user, records):
    client.force_login(support_user)
    response = client.post(URL, {"distributed_on": _day(0)})
    assert response.status_code == 200
    page = html.fromstring(response.content)
    summary = page.xpath("//div[contains(@class, 'govuk-error-summary')]//a")
    assert [(a.text, a.get("href")) for a in summary] == [
        ("Select at least one record to mark as distributed", "#id_reviews")
    ]
    (target,) = page.xpath("//*[@id='id_reviews']")
    first_checkbox = page.xpath("//tbody//input[@name='reviews']")[0]
    assert target is first_checkbox
    assert target.get("aria-describedby") == "id_reviews-error"
    assert LacReview.objects.filter(record_distributed__isnull=False).count() == 1  # only the one sent


def test_nothing_ticked_and_no_date_names_both(client, support_user, records):
    client.force_login(support_user)
    page = html.fromstring(client.post(URL, {"distributed_on": ""}).content)
    links = page.xpath("//div[contains(@class, 'govuk-error-summary')]//a/@href")
    assert links == ["#id_reviews", "#id_distributed_on"]


def test_after_marking_distributed_the_page_keeps_its_filters_but_not_the_selection(
    client, support_user, records
):
    client.force_login(support_user)
    team = records["north"].pk
    response = client.post(
        f"{URL}?select=all&team={team}",
        {"reviews": [records["helen_30"].pk, records["omar_20"].pk], "distributed_on": _day(0)},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?team={team}"
    sent = LacReview.objects.filter(record_distributed=timezone.localdate())
    assert set(sent.values_list("pk", flat=True)) == {
        records["helen_30"].pk,
        records["omar_20"].pk,
    }


def _count(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


def test_filtered_list_query_count_does_not_grow_with_rows(client, support_user):
    """GIVEN a chair in a team with 2 records waiting, WHEN the list is filtered by team, chair
    and dates and then 10 more records are added, THEN the page takes as many queries.

    Queries, named: session, user, permissions (2), the user's groups (header), the IROs and the
    teams for the filter's choices, the chosen chair and the chosen team (the filter form reads
    them back), the count, the page, the access log of the children shown (one INSERT), the
    session save (savepoint, update, release): 15."""
    team = TeamFactory(name="IRO Team North")
    chair = StaffMemberFactory(team=team)
    client.force_login(support_user)
    params = {"team": team.pk, "iro": chair.pk, "completed_from": _day(60), "completed_to": _day(0)}
    for days_ago in (3, 4):
        _completed(chair=chair, days_ago=days_ago)
    small = _count(client, params)
    for days_ago in range(5, 15):
        _completed(chair=chair, days_ago=days_ago)
    large = _count(client, params)
    assert small == large == 15
