"""The return quality page: every episode and review of the collection year to date that breaks
one of the DfE rules checked on save, filtered by team, IRO and rule, children logged and
restricted children left out as on every list, and a CSV of exactly the page's rows.

The county here (dates counted from 1 April, the start of the current collection year, so
that the records are always in the year; the latest is 22 days in, so the tests need the
year to be 23 days old, which it is from 24 April):
- Amy (Ann Adams, North): police protection (L1) 1 to 10 April, 9 days: rule 361, 1 row.
- Ben (Bob Brown, South): EPO (L2) 1 to 23 April, 22 days: rule 362, 1 row.
- Cat (Ann Adams): a care order, nothing wrong: no row.
- Dan (Bob Brown): L1 for 9 days, but restricted to Ann Adams: hidden from business support.
- Eve (Ann Adams): L1 for 9 days in the previous year, left care then: not this year's.
So business support see 2 rows (Amy 361, Ben 362); North's filter leaves Amy; Bob's leaves Ben;
rule 362 leaves Ben."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conferences.models import ConferenceType
from conferences.services import ChildDecision, conference_book, conference_record, strategy_discussion_record
from iro_service.audit.models import AccessLog
from iro_service.people.models import ChildRestriction, ChildRestrictionMember
from iro_service.timescales.dates import collection_year, collection_year_bounds
from reviews import services
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory, TeamFactory
from tests.factories.conferences import family_with_children
from tests.factories.reviews import period_of_care

pytestmark = pytest.mark.django_db

URL = "/reports/return-quality/"
CSV_URL = "/reports/return-quality/download.csv"
YEAR_START = collection_year_bounds(collection_year(timezone.localdate()))[0]


def _day(n: int):
    return YEAR_START + timedelta(days=n)


def _protection(child, legal_status: str, days: int, start=None, leave_on=None):
    start = start or YEAR_START
    period = period_of_care(child=child, start_date=start, legal_status=legal_status)
    services.episode_change(
        period=period,
        start_date=start + timedelta(days=days),
        reason_for_new_episode="L",
        legal_status="C2",
        category_of_need="N1",
        placement="U6",
        placement_provider="PR1",
    )
    if leave_on:
        services.period_of_care_end(period=period, end_date=leave_on, reason_ceased="E13")
    return period


@pytest.fixture
def county():
    if timezone.localdate() < _day(23):
        pytest.skip("the county's records need the collection year to be 23 days old")
    ann = StaffMemberFactory(first_name="Ann", last_name="Adams", team=TeamFactory(name="North"))
    bob = StaffMemberFactory(first_name="Bob", last_name="Brown", team=TeamFactory(name="South"))
    children = {}
    for name, iro in [("Amy", ann), ("Ben", bob), ("Cat", ann), ("Dan", bob), ("Eve", ann)]:
        children[name] = ChildFactory(first_name=name, last_name="Test")
        IroAllocationFactory(child=children[name], iro=iro, start_date=YEAR_START - timedelta(days=400))
    _protection(children["Amy"], "L1", 9)
    _protection(children["Ben"], "L2", 22)
    period_of_care(child=children["Cat"], start_date=YEAR_START)
    _protection(children["Dan"], "L1", 9)
    restriction = ChildRestriction.objects.create(child=children["Dan"], reason="A relative works here")
    ChildRestrictionMember.objects.create(restriction=restriction, staff_member=ann)
    last_year = YEAR_START - timedelta(days=100)
    _protection(children["Eve"], "L1", 9, start=last_year, leave_on=last_year + timedelta(days=30))
    return {"ann": ann, "bob": bob, **children}


def _page_rows(html: str) -> list[tuple[str, str]]:
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html)
    return [
        (row.xpath("string(td[1]/a)").strip(), row.xpath("string(td[3]/strong)").strip())
        for row in tree.xpath("//table[@data-return-quality]/tbody/tr")
    ]


def _csv_rows(response) -> list[tuple[str, str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Child", "Child ID", "IRO", "DfE rule"]
    return [(row[0], row[3]) for row in rows[1:]]


def test_business_support_see_the_years_records_that_break_a_rule(client, support_user, county):
    client.force_login(support_user)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert _page_rows(page) == [("Amy Test", "361"), ("Ben Test", "362")]
    assert "Police protection legal status lasted longer than maximum 72 hours" in page
    assert reverse("reviews:care-record", args=[county["Amy"].pk]) in page
    assert "Dan Test" not in page and "Eve Test" not in page
    logged = set(AccessLog.objects.filter(what="Return quality").values_list("child_id", flat=True))
    assert logged == {county["Amy"].pk, county["Ben"].pk}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"team": "north"}, [("Amy Test", "361")]),
        ({"iro": "bob"}, [("Ben Test", "362")]),
        ({"rule": "362"}, [("Ben Test", "362")]),
        ({"rule": "365"}, []),
    ],
)
def test_the_filters(client, support_user, county, params, expected):
    client.force_login(support_user)
    if "team" in params:
        params = {"team": county["ann"].team_id}
    if "iro" in params:
        params = {"iro": county["bob"].pk}
    assert _page_rows(client.get(URL, params).content.decode()) == expected
    # The download has the page's rows, filters and all.
    assert _csv_rows(client.get(CSV_URL, params)) == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"team": "north"}, "Choose a team from the list"),
        ({"iro": "99999999"}, "Choose an IRO from the list"),
        ({"rule": "<script>"}, "Choose a DfE rule from the list"),
    ],
)
def test_bad_filters_are_named_in_the_error_summary_and_the_rest_apply(
    client, support_user, county, params, message
):
    client.force_login(support_user)
    response = client.get(URL, params)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert _page_rows(page) == [("Amy Test", "361"), ("Ben Test", "362")]


def test_the_csv_has_the_pages_rows_and_neutralises_formulas(client, support_user, county):
    child = county["Amy"]
    child.first_name = "=HYPERLINK(1)"
    child.save()
    client.force_login(support_user)
    page_rows = _page_rows(client.get(URL).content.decode())
    response = client.get(CSV_URL)
    assert response["Content-Type"].startswith("text/csv")
    csv_rows = _csv_rows(response)
    assert csv_rows == [("'=HYPERLINK(1) Test", "361"), ("Ben Test", "362")]
    assert [rule for _, rule in csv_rows] == [rule for _, rule in page_rows]
    assert set(
        AccessLog.objects.filter(what="Return quality download").values_list("child_id", flat=True)
    ) == {
        county["Amy"].pk,
        county["Ben"].pk,
    }


def test_the_named_member_of_staff_sees_the_restricted_child(client, make_user, county):
    from iro_service.core.roles import Role

    user = make_user(Role.BUSINESS_SUPPORT, username="named")
    county["ann"].user = user
    county["ann"].save()
    client.force_login(user)
    rows = _page_rows(client.get(URL).content.decode())
    assert ("Dan Test", "361") in rows


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("support_user", 200),
        ("manager_user", 200),
        ("senior_user", 200),
        ("iro_user", 403),
        ("no_role_user", 403),
    ],
)
def test_who_may_open_it(request, client, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == status
    assert client.get(CSV_URL).status_code == status


def _count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_query_count_is_the_same_at_two_sizes(client, support_user, county):
    client.force_login(support_user)
    small = _count(client)
    for n in range(8):
        child = ChildFactory(first_name=f"More{n}", last_name="Test")
        IroAllocationFactory(child=child, iro=county["bob"], start_date=YEAR_START - timedelta(days=400))
        _protection(child, "L1", 5 + n)
    large = _count(client)
    assert small == large


# --- the CIN census rules: the second table ------------------------------------------------------
#
# The county's child protection records (each child's section 47 enquiry starts on the day of
# the strategy discussion, 2 days into the year):
# - Fay (Ann Adams, North): born 1 January 2015 with no UPN, so of school age with no UPN: 8770Q.
# - Gus (Bob Brown, South): a UPN; his initial conference was held on the first Saturday at least
#   3 days into the year: 8875.
# - Hal (Bob Brown): as Fay, but restricted to Ann Adams: hidden from business support.
# - Ida (Ann Adams): as Fay, but her enquiry was last year (its episode closed then): not this year's.
# So business support see 2 rows (Fay 8770Q, Gus 8875); North's filter leaves Fay; Bob's leaves Gus;
# rule 8875 leaves Gus; an SSDA903 rule (361) leaves none.


def _cp_child(name, iro, *, on, upn="", held_on=None):
    family, (child,) = family_with_children(name, date_of_birth=date(2015, 1, 1), upn=upn)
    child.last_name = "Test"
    child.save()
    IroAllocationFactory(child=child, iro=iro, start_date=YEAR_START - timedelta(days=400))
    discussion = strategy_discussion_record(family=family, on=on, children=[child])
    if held_on is not None:
        booked = conference_book(
            family=family,
            conference_type=ConferenceType.INITIAL,
            on=held_on,
            chair=iro,
            children=[(child, "initial")],
            strategy_discussion=discussion,
        )
        conference_record(conference=booked, decisions={child.pk: ChildDecision(outcome="not_needed")})
    return child


def _first_saturday_from(day):
    return day + timedelta(days=(5 - day.weekday()) % 7)


@pytest.fixture
def cin_county(county):
    ann, bob = county["ann"], county["bob"]
    children = {
        "Fay": _cp_child("Fay", ann, on=_day(2)),
        "Gus": _cp_child("Gus", bob, on=_day(2), upn="A123456789012", held_on=_first_saturday_from(_day(3))),
        "Hal": _cp_child("Hal", bob, on=_day(2)),
        "Ida": _cp_child("Ida", ann, on=YEAR_START - timedelta(days=60)),
    }
    restriction = ChildRestriction.objects.create(child=children["Hal"], reason="A relative works here")
    ChildRestrictionMember.objects.create(restriction=restriction, staff_member=ann)
    return {**county, **children}


def _cin_rows(html: str) -> list[tuple[str, str]]:
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html)
    return [
        (row.xpath("string(td[1]/a)").strip(), row.xpath("string(td[3]/strong)").strip())
        for row in tree.xpath("//table[@data-cin-return-quality]/tbody/tr")
    ]


@pytest.mark.parametrize("role", ["support_user", "manager_user", "senior_user"])
def test_every_role_that_may_open_it_sees_the_cin_census_rows(request, client, cin_county, role):
    client.force_login(request.getfixturevalue(role))
    page = client.get(URL).content.decode()
    assert _cin_rows(page) == [("Fay Test", "8770Q"), ("Gus Test", "8875")]
    # The count above the tables counts both returns' records: Fay's and Gus's are the CIN ones.
    assert "and 2 child protection records (CIN census) to put right." in " ".join(page.split())
    assert "The Date of Initial Child Protection Conference cannot be a weekend" in page
    assert reverse("conferences:child-record", args=[cin_county["Gus"].pk]) in page
    assert "Hal Test" not in page and "Ida Test" not in page
    logged = set(AccessLog.objects.filter(what="Return quality").values_list("child_id", flat=True))
    assert {cin_county["Fay"].pk, cin_county["Gus"].pk} <= logged


@pytest.mark.parametrize("role", ["iro_user", "no_role_user"])
def test_the_roles_that_may_not_open_it_see_no_cin_census_rows(request, client, cin_county, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"team": "north"}, [("Fay Test", "8770Q")]),
        ({"iro": "bob"}, [("Gus Test", "8875")]),
        ({"rule": "8875"}, [("Gus Test", "8875")]),
        ({"rule": "361"}, []),
    ],
)
def test_the_filters_apply_to_the_cin_census_rows(client, support_user, cin_county, params, expected):
    client.force_login(support_user)
    if "team" in params:
        params = {"team": cin_county["ann"].team_id}
    if "iro" in params:
        params = {"iro": cin_county["bob"].pk}
    page = client.get(URL, params).content.decode()
    assert _cin_rows(page) == expected
    if params.get("rule") == "8875":
        assert _page_rows(page) == []  # a CIN census rule: no SSDA903 row


def test_the_named_member_of_staff_sees_the_restricted_child_s_cin_census_row(client, make_user, cin_county):
    from iro_service.core.roles import Role

    user = make_user(Role.BUSINESS_SUPPORT, username="named-cin")
    cin_county["ann"].user = user
    cin_county["ann"].save()
    client.force_login(user)
    assert ("Hal Test", "8770Q") in _cin_rows(client.get(URL).content.decode())


def test_cin_census_rows_take_the_same_queries_at_two_sizes(client, support_user, cin_county):
    client.force_login(support_user)
    small = _count(client)
    for n in range(6):
        _cp_child(f"More{n}", cin_county["bob"], on=_day(2))
    large = _count(client)
    assert small == large
    assert len(_cin_rows(client.get(URL).content.decode())) == 2 + 6


def test_the_csv_has_the_cin_census_rows_after_the_ssda903_ones(client, support_user, cin_county):
    client.force_login(support_user)
    response = client.get(CSV_URL)
    assert _csv_rows(response) == [
        ("Amy Test", "361"),
        ("Ben Test", "362"),
        ("Fay Test", "8770Q"),
        ("Gus Test", "8875"),
    ]
    text = response.content.decode("utf-8-sig")
    assert "Initial conference" in text and "Child's details" in text
    logged = set(AccessLog.objects.filter(what="Return quality download").values_list("child_id", flat=True))
    assert {cin_county["Fay"].pk, cin_county["Gus"].pk} <= logged


def test_the_cin_census_rows_are_paged_on_their_own_and_only_the_page_shown_is_logged(
    client, support_user, cin_county, monkeypatch
):
    """GIVEN Fay's and Gus's CIN census rows and a page of one row WHEN business support open
    the page THEN Fay's row is shown with a link to the next page of child protection records,
    which keeps the SSDA903 list's page; on it, Gus's row alone; each time, the child shown is
    in the access log and the other is not."""
    from reports import views

    monkeypatch.setattr(views, "RETURN_QUALITY_PAGE_SIZE", 1)
    client.force_login(support_user)
    page = client.get(URL, {"page": 1}).content.decode()
    assert _cin_rows(page) == [("Fay Test", "8770Q")]
    assert "and 2 child protection records (CIN census) to put right." in " ".join(page.split())
    assert 'aria-label="Pages of child protection records"' in page
    assert "?cin_page=2&amp;page=1" in page
    logged = set(AccessLog.objects.filter(what="Return quality").values_list("child_id", flat=True))
    assert cin_county["Fay"].pk in logged and cin_county["Gus"].pk not in logged
    before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first()
    page = client.get(URL, {"page": 1, "cin_page": 2}).content.decode()
    assert _cin_rows(page) == [("Gus Test", "8875")]
    logged = set(
        AccessLog.objects.filter(what="Return quality", pk__gt=before).values_list("child_id", flat=True)
    )
    assert cin_county["Gus"].pk in logged and cin_county["Fay"].pk not in logged
