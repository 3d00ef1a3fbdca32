"""Conference 'Records to distribute', worked in bulk: the filters (date completed, chair, the
chair's team) kept in the URL, 'Select all' without JavaScript, bulk 'mark distributed' for
the completed records (all or nothing, with history), the error when nothing is ticked (linked
to the first checkbox), and a fixed number of queries with the filters on."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html

from conferences.models import Conference, ConferenceType
from conferences.services import (
    ChildDecision,
    conference_book,
    conference_record,
    conference_record_distribute,
    conference_records_distribute,
    strategy_discussion_record,
)
from tests.factories import StaffMemberFactory, TeamFactory
from tests.factories.conferences import family_with_children

pytestmark = pytest.mark.django_db

URL = "/conferences/records-to-distribute/"


def _held(*, chair, completed_days_ago: int | None, held_days_ago: int = 40) -> Conference:
    """An initial conference for one child, held ``held_days_ago`` days ago and chaired by
    ``chair``, its record completed ``completed_days_ago`` days ago (None: not yet)."""
    today = timezone.localdate()
    held_on = today - timedelta(days=held_days_ago)
    family, (amy,) = family_with_children("Amy")
    discussion = strategy_discussion_record(family=family, on=held_on - timedelta(days=10), children=[amy])
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=held_on,
        chair=chair,
        children=[(amy, "initial")],
        strategy_discussion=discussion,
    )
    conference_record(conference=conference, decisions={amy.pk: ChildDecision("not_needed")})
    if completed_days_ago is not None:
        conference_record_distribute(
            conference=conference,
            completed_on=today - timedelta(days=completed_days_ago),
            distributed_on=None,
        )
    return Conference.objects.get(pk=conference.pk)


@pytest.fixture
def records():
    """Helen and Omar in the North team, Priya in the South. Records completed and waiting:
    Helen's 30 and 5 days ago, Omar's 20, Priya's 10; Omar also has one not yet completed."""
    north, south = TeamFactory(name="IRO Team North"), TeamFactory(name="IRO Team South")
    helen = StaffMemberFactory(first_name="Helen", last_name="Ashworth", team=north)
    omar = StaffMemberFactory(first_name="Omar", last_name="Baig", team=north)
    priya = StaffMemberFactory(first_name="Priya", last_name="Raman", team=south)
    return {
        "north": north,
        "helen": helen,
        "omar": omar,
        "helen_30": _held(chair=helen, completed_days_ago=30),
        "omar_20": _held(chair=omar, completed_days_ago=20),
        "priya_10": _held(chair=priya, completed_days_ago=10),
        "helen_5": _held(chair=helen, completed_days_ago=5),
        "omar_open": _held(chair=omar, completed_days_ago=None),
    }


def _shown(response) -> set[int]:
    return {conference.pk for conference in response.context["page"].object_list}


def _day(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).strftime("%d/%m/%Y")


def test_every_record_waiting_is_listed_and_only_completed_ones_can_be_ticked(client, support_user, records):
    client.force_login(support_user)
    response = client.get(URL)
    assert _shown(response) == {
        records[key].pk for key in ("helen_30", "omar_20", "priya_10", "helen_5", "omar_open")
    }
    page = html.fromstring(response.content)
    boxes = {int(value) for value in page.xpath("//tbody//input[@name='conferences']/@value")}
    assert boxes == {records[key].pk for key in ("helen_30", "omar_20", "priya_10", "helen_5")}


def test_filters_by_date_completed_chair_and_team(client, support_user, records):
    client.force_login(support_user)
    # From 20 to 10 days ago, both ends: Omar's and Priya's. A record not completed has no date
    # to fall in the range, so a date filter leaves it out.
    assert _shown(client.get(URL, {"completed_from": _day(20), "completed_to": _day(10)})) == {
        records["omar_20"].pk,
        records["priya_10"].pk,
    }
    # Omar: his completed record and the one he has not completed.
    assert _shown(client.get(URL, {"chair": records["omar"].pk})) == {
        records["omar_20"].pk,
        records["omar_open"].pk,
    }
    # North (Helen and Omar), completed up to 10 days ago: Helen's of 30 days, Omar's of 20.
    assert _shown(client.get(URL, {"team": records["north"].pk, "completed_to": _day(10)})) == {
        records["helen_30"].pk,
        records["omar_20"].pk,
    }


def test_filters_stay_in_the_pagination_links(client, support_user, records):
    """Helen's 2 records and 24 more waiting: 26, two pages of 25; the link to page 2 keeps the
    filter."""
    for _ in range(24):
        _held(chair=records["helen"], completed_days_ago=3)
    client.force_login(support_user)
    response = client.get(URL, {"chair": records["helen"].pk})
    assert response.context["pagination"]["next"] == f"?chair={records['helen'].pk}&page=2"


def test_select_all_without_javascript_ticks_the_completed_records_of_the_page(client, support_user, records):
    client.force_login(support_user)
    omar = records["omar"].pk
    link = html.fromstring(client.get(URL, {"chair": omar}).content).xpath(
        "//a[text()='Select all completed records on this page']/@href"
    )
    assert link == [f"{URL}?chair={omar}&select=all"]
    page = html.fromstring(client.get(link[0]).content)
    ticked = {int(value) for value in page.xpath("//input[@name='conferences'][@checked]/@value")}
    assert ticked == {records["omar_20"].pk}  # his other record is not completed: no box


def test_nothing_ticked_is_an_error_linked_to_the_first_checkbox(client, support_user, records):
    client.force_login(support_user)
    response = client.post(URL, {"distributed_on": _day(0)})
    page = html.fromstring(response.content)
    summary = page.xpath("//div[contains(@class, 'govuk-error-summary')]//a")
    assert [(a.text, a.get("href")) for a in summary] == [
        ("Select at least one record to mark as distributed", "#id_conferences")
    ]
    (target,) = page.xpath("//*[@id='id_conferences']")
    assert target is page.xpath("//tbody//input[@name='conferences']")[0]


def test_bulk_mark_distributed_changes_the_ticked_records_with_their_history(client, support_user, records):
    client.force_login(support_user)
    chosen = [records["helen_30"].pk, records["omar_20"].pk]
    response = client.post(f"{URL}?select=all", {"conferences": chosen, "distributed_on": _day(1)})
    assert response.status_code == 302
    assert response["Location"] == URL
    sent_on = timezone.localdate() - timedelta(days=1)
    sent = Conference.objects.filter(record_distributed_on__isnull=False)
    assert dict(sent.values_list("pk", "record_distributed_on")) == {
        records["helen_30"].pk: sent_on,
        records["omar_20"].pk: sent_on,
    }
    latest = Conference.history.filter(id=records["helen_30"].pk).order_by("-history_id").first()
    assert (latest.record_distributed_on, latest.history_user) == (sent_on, support_user)


def test_bulk_distribution_is_all_or_nothing_and_names_what_cannot_be_sent(records):
    today = timezone.localdate()
    # Helen's record of 5 days ago cannot have been sent 7 days ago; Omar's other one is not
    # completed. Nothing changes, and the message names both.
    with pytest.raises(ValidationError) as caught:
        conference_records_distribute(
            conference_ids=[records["helen_30"].pk, records["helen_5"].pk, records["omar_open"].pk],
            distributed_on=today - timedelta(days=7),
        )
    message = caught.value.message_dict["distributed_on"][0]
    assert message.startswith("Nothing was changed: The record of the ")
    assert f"was completed on {(today - timedelta(days=5)).day} " in message
    assert "has not been completed" in message
    assert not Conference.objects.filter(record_distributed_on__isnull=False).exists()


def test_bulk_distribution_refuses_a_future_date_and_an_empty_choice(records):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as future:
        conference_records_distribute(
            conference_ids=[records["helen_30"].pk], distributed_on=today + timedelta(days=1)
        )
    assert "today or earlier" in future.value.message_dict["distributed_on"][0]
    with pytest.raises(ValidationError) as empty:
        conference_records_distribute(conference_ids=[], distributed_on=today)
    assert "Select at least one record" in empty.value.message_dict["conferences"][0]


def test_bulk_distribution_refuses_a_record_already_sent(records):
    today = timezone.localdate()
    conference_records_distribute(conference_ids=[records["priya_10"].pk], distributed_on=today)
    with pytest.raises(ValidationError) as caught:
        conference_records_distribute(conference_ids=[records["priya_10"].pk], distributed_on=today)
    assert "was already distributed on" in caught.value.message_dict["distributed_on"][0]


def _count(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


def test_filtered_list_query_count_does_not_grow_with_rows(client, support_user):
    """GIVEN a chair in a team with 2 records waiting, WHEN the list is filtered by team, chair
    and dates and then 6 more are added, THEN the page takes as many queries.

    Queries, named: session, user, permissions (2), the user's groups (header), the IROs and the
    teams for the filter's choices, the chosen chair and the chosen team (read back by the filter
    form), the count, the page, its conferences' children (prefetch), the access log of the
    children shown (one INSERT), the session save (savepoint, update, release): 16."""
    team = TeamFactory(name="IRO Team North")
    chair = StaffMemberFactory(team=team)
    client.force_login(support_user)
    params = {"team": team.pk, "chair": chair.pk, "completed_from": _day(60), "completed_to": _day(0)}
    for _ in range(2):
        _held(chair=chair, completed_days_ago=3)
    small = _count(client, params)
    for _ in range(6):
        _held(chair=chair, completed_days_ago=4)
    large = _count(client, params)
    assert small == large == 16
