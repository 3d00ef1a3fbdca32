"""The Children list and the child page: search, filters, sorting, paging, query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iro_service.people.models import IroAllocation
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

LIST = reverse("people:child-list")


def names(response):
    return [f"{c.first_name} {c.last_name}" for c in response.context["page"].object_list]


@pytest.fixture
def children():
    ruth = StaffMemberFactory(first_name="Ruth", last_name="Lane")
    omar = StaffMemberFactory(first_name="Omar", last_name="Aziz")
    amy = ChildFactory(
        first_name="Amy", last_name="Smith", local_child_id="C100123", sex="F", date_of_birth=date(2010, 1, 1)
    )
    jack = ChildFactory(
        first_name="Jack",
        last_name="Smithson",
        local_child_id="C100200",
        sex="M",
        date_of_birth=date(2005, 6, 1),
        ethnicity="MWBC",
    )
    zoe = ChildFactory(
        first_name="Zoe", last_name="Adams", local_child_id="C100300", sex="F", date_of_birth=date(2015, 3, 1)
    )
    IroAllocationFactory(child=amy, iro=ruth)
    IroAllocationFactory(child=jack, iro=omar)
    return {"amy": amy, "jack": jack, "zoe": zoe, "ruth": ruth, "omar": omar}


def test_search_by_name_finds_partial_surnames(client, iro_user, children):
    client.force_login(iro_user)
    assert names(client.get(LIST, {"q": "smith"})) == ["Amy Smith", "Jack Smithson"]


def test_search_by_full_name_narrows_to_that_child(client, iro_user, children):
    client.force_login(iro_user)
    assert names(client.get(LIST, {"q": "amy smith"})) == ["Amy Smith"]


def test_search_by_child_id_is_exact(client, iro_user, children):
    client.force_login(iro_user)
    assert names(client.get(LIST, {"q": "c100200"})) == ["Jack Smithson"]


def test_filters_combine(client, iro_user, children):
    client.force_login(iro_user)
    assert names(client.get(LIST, {"sex": "F"})) == ["Zoe Adams", "Amy Smith"]
    assert names(client.get(LIST, {"ethnicity": "MWBC"})) == ["Jack Smithson"]
    assert names(client.get(LIST, {"iro": children["ruth"].pk})) == ["Amy Smith"]
    assert names(client.get(LIST, {"q": "smith", "sex": "M"})) == ["Jack Smithson"]


def test_an_invalid_filter_value_is_shown_not_a_crash(client, iro_user, children):
    client.force_login(iro_user)
    response = client.get(LIST, {"sex": "X", "iro": "999999"})
    assert response.status_code == 200
    assert len(names(response)) == 3


def test_no_match_says_what_to_do(client, iro_user, children):
    client.force_login(iro_user)
    page = client.get(LIST, {"q": "nobody"}).content.decode()
    assert "No children found" in page
    assert "clear the filters" in page


def test_sorting_by_date_of_birth_and_iro_both_ways(client, iro_user, children):
    client.force_login(iro_user)
    assert names(client.get(LIST, {"sort": "dob"})) == ["Jack Smithson", "Amy Smith", "Zoe Adams"]
    assert names(client.get(LIST, {"sort": "-dob"})) == ["Zoe Adams", "Amy Smith", "Jack Smithson"]
    # By IRO surname: Aziz (Jack), Lane (Amy), then no IRO (Zoe) last.
    assert names(client.get(LIST, {"sort": "iro"})) == ["Jack Smithson", "Amy Smith", "Zoe Adams"]
    page = client.get(LIST, {"sort": "-dob"}).content.decode()
    assert 'aria-sort="descending"' in page


def test_an_unknown_sort_falls_back_to_name(client, iro_user, children):
    client.force_login(iro_user)
    assert names(client.get(LIST, {"sort": "password"})) == ["Zoe Adams", "Amy Smith", "Jack Smithson"]


def test_pages_of_25_keep_the_filters_in_their_links(client, iro_user):
    ChildFactory.create_batch(30, last_name="Taylor")
    client.force_login(iro_user)
    response = client.get(LIST, {"q": "taylor"})
    assert len(response.context["page"].object_list) == 25
    page = response.content.decode()
    assert "Showing <strong>1</strong> to <strong>25</strong> of <strong>30</strong>" in page
    assert 'href="?page=2&amp;q=taylor"' in page
    second = client.get(LIST, {"q": "taylor", "page": 2})
    assert len(second.context["page"].object_list) == 5


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(queries)


def test_children_list_query_count_does_not_grow_with_rows(client, iro_user):
    """Queries, named: session, user, permissions (2), count, the page, the current-IRO
    prefetch, the user's groups (header), IROs for the filter, the access log of the children
    shown (one INSERT) and the session save (savepoint, update, release): 13 at 3 children and
    at 40."""
    client.force_login(iro_user)
    for child in ChildFactory.create_batch(3):
        IroAllocationFactory(child=child)
    small = _list_queries(client)
    for child in ChildFactory.create_batch(37):
        IroAllocationFactory(child=child)
    large = _list_queries(client)
    assert small == large
    assert large == 13


def test_child_page_query_count_does_not_grow_with_history(client, iro_user):
    child = ChildFactory()
    client.force_login(iro_user)
    IroAllocationFactory(child=child, start_date=date(2015, 1, 1), end_date=date(2015, 6, 1))
    url = reverse("people:child-detail", args=[child.pk])
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for year in range(2016, 2021):
        IroAllocationFactory(child=child, start_date=date(year, 1, 1), end_date=date(year, 6, 1))
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(first) == len(second)


def test_history_tab_query_count_does_not_grow_with_changes(client, manager_user):
    child = ChildFactory()
    client.force_login(manager_user)
    url = reverse("people:child-history", args=[child.pk])
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for number in range(6):
        child.first_name = f"Name{number}"
        child.save()
        IroAllocationFactory(
            child=child, start_date=date(2010 + number, 1, 1), end_date=date(2010 + number, 6, 1)
        )
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(first) == len(second)


def test_manager_changes_a_childs_iro_through_the_form(client, manager_user, children):
    client.force_login(manager_user)
    amy = children["amy"]
    url = reverse("people:child-reallocate", args=[amy.pk])
    response = client.post(
        url, {"iro": children["omar"].pk, "start_date": "01/10/2016", "reason": "Ruth's caseload is over 70"}
    )
    assert response.status_code == 302
    current = IroAllocation.objects.get(child=amy, end_date__isnull=True)
    assert current.iro == children["omar"]
    assert current.reason == "Ruth's caseload is over 70"


def test_reallocation_errors_name_the_field_and_change_nothing(client, manager_user, children):
    client.force_login(manager_user)
    amy = children["amy"]
    url = reverse("people:child-reallocate", args=[amy.pk])
    page = client.post(
        url, {"iro": children["ruth"].pk, "start_date": "31/02/2017", "reason": ""}
    ).content.decode()
    assert "Enter the date as day, month and year" in page
    assert "Enter the reason for the change" in page
    page = client.post(
        url, {"iro": children["ruth"].pk, "start_date": "01/10/2016", "reason": "x"}
    ).content.decode()
    assert "Ruth Lane is already this child&#x27;s IRO." in page
    assert IroAllocation.objects.filter(child=amy).count() == 1


def test_a_child_imported_without_names_is_listed_by_id(client, iro_user):
    """A statutory return carries no names: the list links such a child by a readable label,
    never an empty link."""
    ChildFactory(first_name="", last_name="", local_child_id="R903")
    client.force_login(iro_user)
    page = client.get(reverse("people:child-list"), {"q": "R903"}).content.decode()
    assert ">Child R903 (name not recorded)</a>" in page
