"""The Families list says who lives in each household, each child's plan and the chair; a child's
conferences-and-plans page gathers their conferences from every household they have lived in."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conferences.models import ConferenceType
from conferences.services import ChildDecision, conference_book, conference_record, strategy_discussion_record
from iro_service.audit.models import AccessLog
from tests.factories import ChildFactory, FamilyFactory, FamilyMembershipFactory, StaffMemberFactory
from tests.factories.conferences import family_with_children

pytestmark = pytest.mark.django_db

FAMILIES = reverse("conferences:family-list")


def adams_family(*, chair, today, plan: bool = True):
    """An "Adams family" household of Amy and Ben (each "Adams family" is a different household,
    as the demo's twelve are): an initial conference held 60 days ago, chaired by ``chair``, that
    started Amy's plan (``plan``) or found none needed, and found none needed for Ben."""
    family, (amy, ben) = family_with_children("Amy", "Ben", date_of_birth=date(2012, 3, 1))
    family.name = "Adams family"
    family.save()
    held_on = today - timedelta(days=60)
    discussion = strategy_discussion_record(
        family=family, on=held_on - timedelta(days=10), children=[amy, ben]
    )
    initial = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=held_on,
        chair=chair,
        children=[(amy, "initial"), (ben, "initial")],
        strategy_discussion=discussion,
    )
    conference_record(
        conference=initial,
        decisions={
            amy.pk: ChildDecision("plan_started", ("NEG",)) if plan else ChildDecision("not_needed"),
            ben.pk: ChildDecision("not_needed"),
        },
    )
    return family, amy, ben, held_on


def test_each_family_shows_its_children_their_plans_and_the_chair(client, manager_user):
    today = timezone.localdate()
    helen = StaffMemberFactory(first_name="Helen", last_name="Ashworth")
    family, amy, ben, held_on = adams_family(chair=helen, today=today)
    # A review booked with another chair: she chairs the family's latest conference.
    omar = StaffMemberFactory(first_name="Omar", last_name="Aziz")
    review_on = today + timedelta(days=10)
    conference_book(
        family=family,
        conference_type=ConferenceType.FIRST_REVIEW,
        on=review_on,
        chair=omar,
        children=[(amy, "first_review")],
    )
    client.force_login(manager_user)
    response = client.get(FAMILIES)
    page = response.content.decode()
    assert f"{amy.full_name}: on a plan since {held_on:%-d %b %Y}" in page
    assert f"{ben.full_name}: no plan" in page
    assert f'Omar Aziz<br><span class="govuk-body-s">Latest conference {review_on:%-d %b %Y}</span>' in page
    assert family.reference in page
    # The children shown are in the access log.
    logged = set(AccessLog.objects.filter(what="Conferences: families").values_list("child_id", flat=True))
    assert logged == {amy.pk, ben.pk}


def test_twelve_adams_families_can_be_told_apart(client, manager_user):
    """Twelve households of the same name: each row has its reference and its own children."""
    today = timezone.localdate()
    chair = StaffMemberFactory()
    made = [adams_family(chair=chair, today=today, plan=number % 2 == 0) for number in range(12)]
    client.force_login(manager_user)
    page = client.get(FAMILIES).content.decode()
    assert page.count(">Adams family</a>") == 12
    for family, amy, ben, _held_on in made:
        assert family.reference in page
        assert amy.full_name in page and ben.full_name in page
    # Six of the twelve Amys are on a plan (the even ones); every Ben has none.
    assert page.count(f": on a plan since {made[0][3]:%-d %b %Y}") == 6
    assert page.count(": no plan") == 12 + 6


def test_a_child_whose_plan_ended_and_a_family_with_no_one_living_there(client, manager_user):
    today = timezone.localdate()
    family, amy, _ben, _held_on = adams_family(chair=StaffMemberFactory(), today=today)
    ended_on = today - timedelta(days=5)
    review = conference_book(
        family=family,
        conference_type=ConferenceType.FIRST_REVIEW,
        on=ended_on,
        chair=StaffMemberFactory(),
        children=[(amy, "first_review")],
    )
    conference_record(
        conference=review,
        decisions={amy.pk: ChildDecision("plan_ended", end_reason="no_longer_at_risk")},
    )
    empty, (cara,) = family_with_children("Cara")
    discussion = strategy_discussion_record(family=empty, on=today - timedelta(days=3), children=[cara])
    conference_book(
        family=empty,
        conference_type=ConferenceType.INITIAL,
        on=today + timedelta(days=5),
        chair=StaffMemberFactory(),
        children=[(cara, "initial")],
        strategy_discussion=discussion,
    )
    cara.family_memberships.update(end_date=today)
    client.force_login(manager_user)
    page = client.get(FAMILIES).content.decode()
    assert f"{amy.full_name}: plan ended {ended_on:%-d %b %Y}" in page
    assert "No children living there now" in page


def _families_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(FAMILIES).status_code == 200
    return len(queries)


def test_the_families_list_uses_the_same_queries_for_two_families_or_twenty(client, manager_user):
    """Queries, named: session, user, permissions (2), the count, the page of families with the
    chair of each, the children living there, their plans, the user's groups (header), the
    access log of the children shown (one INSERT) and the session save (savepoint, update,
    release): 13 at 2 families (4 children) and at 20 (40 children)."""
    today = timezone.localdate()
    chair = StaffMemberFactory()
    client.force_login(manager_user)
    for _ in range(2):
        adams_family(chair=chair, today=today)
    small = _families_queries(client)
    for _ in range(18):
        adams_family(chair=chair, today=today)
    large = _families_queries(client)
    assert small == large == 13


def test_a_search_finds_a_family_by_reference(client, manager_user):
    today = timezone.localdate()
    family, *_ = adams_family(chair=StaffMemberFactory(), today=today)
    adams_family(chair=StaffMemberFactory(), today=today)
    client.force_login(manager_user)
    response = client.get(FAMILIES, {"q": family.reference.lower()})
    assert [row.pk for row in response.context["page"].object_list] == [family.pk]


# --- a child's conferences and plans ---------------------------------------------------------


def test_a_childs_conferences_come_from_every_household_they_lived_in(client, iro_user):
    """GIVEN Amy had a conference in the Adams household and moved to her aunt's, where she had
    another, WHEN her conferences page is opened, THEN both are there, oldest first, with her
    plan, and the view is in the access log."""
    today = timezone.localdate()
    _family, amy, ben, _held_on = adams_family(chair=StaffMemberFactory(first_name="Helen"), today=today)
    moved_on = today - timedelta(days=20)
    amy.family_memberships.update(end_date=moved_on)
    aunt = FamilyFactory(name="Clarke family")
    FamilyMembershipFactory(family=aunt, child=amy, start_date=moved_on)
    conference_book(
        family=aunt,
        conference_type=ConferenceType.FIRST_REVIEW,
        on=today + timedelta(days=14),
        chair=StaffMemberFactory(first_name="Omar", last_name="Aziz"),
        children=[(amy, "first_review")],
    )
    client.force_login(iro_user)
    url = reverse("conferences:child-record", args=[amy.pk])
    response = client.get(url)
    assert response.status_code == 200
    links = response.context["conferences"]
    assert [(link.conference.family.name, link.get_stage_display()) for link in links] == [
        ("Adams family", "Initial"),
        ("Clarke family", "1st review"),
    ]
    page = response.content.decode()
    assert "Neglect" in page and "Open" in page and "Omar Aziz" in page
    assert AccessLog.objects.filter(child=amy, what="Child record: conferences and plans").count() == 1
    # Ben was at the first conference only.
    ben_page = client.get(reverse("conferences:child-record", args=[ben.pk]))
    assert [link.conference.family.name for link in ben_page.context["conferences"]] == ["Adams family"]
    assert "has not had a child protection plan" in ben_page.content.decode()


def test_a_child_with_no_conference_is_told_so(client, iro_user):
    child = ChildFactory(first_name="Dan")
    client.force_login(iro_user)
    page = client.get(reverse("conferences:child-record", args=[child.pk])).content.decode()
    assert "No conference has considered Dan." in page


def test_a_childs_conferences_page_uses_the_same_queries_for_more_conferences(client, iro_user):
    today = timezone.localdate()
    family, amy, _ben, _held_on = adams_family(chair=StaffMemberFactory(), today=today)
    client.force_login(iro_user)
    url = reverse("conferences:child-record", args=[amy.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for days in (30, 60):
        conference_book(
            family=family,
            conference_type=ConferenceType.FIRST_REVIEW,
            on=today + timedelta(days=days),
            chair=StaffMemberFactory(),
            children=[(amy, "first_review")],
        )
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)


def test_an_unknown_child_is_a_404(client, iro_user):
    client.force_login(iro_user)
    assert client.get(reverse("conferences:child-record", args=[999999])).status_code == 404
