"""A child's summary page links to the child's other pages, each only for those who may open it;
the apps add their links through their AppConfig (``child_links``), so the people app names
none of them."""

from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iro_service.people.links import ChildLink
from tests.factories import ChildFactory, FamilyFactory, FamilyMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def amy():
    """Amy lives in the Adams household now; she lived with the Baker household before."""
    child = ChildFactory(first_name="Amy", last_name="Adams")
    FamilyMembershipFactory(
        child=child,
        family=FamilyFactory(name="Baker family", reference="F100"),
        start_date=date(2012, 1, 1),
        end_date=date(2015, 1, 1),
    )
    FamilyMembershipFactory(
        child=child, family=FamilyFactory(name="Adams family", reference="F200"), start_date=date(2015, 1, 1)
    )
    return child


def _links(client, child) -> dict[str, str]:
    """The summary page's Records links: {label: url}."""
    response = client.get(reverse("people:child-detail", args=[child.pk]))
    assert response.status_code == 200
    return {link.label: link.url for link in response.context["links"]}


@pytest.mark.parametrize("persona", ["iro_user", "manager_user", "support_user", "senior_user"])
def test_every_reader_gets_the_childs_pages_and_each_opens(request, client, amy, persona):
    client.force_login(request.getfixturevalue(persona))
    links = _links(client, amy)
    adams = amy.family_memberships.get(end_date__isnull=True).family
    expected = {
        "Care and reviews": reverse("reviews:care-record", args=[amy.pk]),
        "Conferences and plans": reverse("conferences:child-record", args=[amy.pk]),
        # The household she lives in now; the Baker household is on her conferences page.
        "Household: Adams family (F200)": reverse("conferences:family-detail", args=[adams.pk]),
    }
    if persona == "manager_user":
        # The HSB lead (an IRO manager) may start a referral for any child; no one else is told
        # that HSB records exist (tests/hsb/test_pages.py has the rest of that rule).
        expected["Harmful sexual behaviour"] = reverse("hsb:child-referrals", args=[amy.pk])
    expected["History of changes"] = reverse("people:child-history", args=[amy.pk])
    assert links == expected
    assert {label: client.get(url).status_code for label, url in links.items()} == dict.fromkeys(links, 200)
    page = client.get(reverse("people:child-detail", args=[amy.pk])).content.decode()
    assert f'href="{links["Conferences and plans"]}"' in page


def _user_with(*permissions):
    user = UserFactory(role=None, username="narrow-" + "-".join(p.split(".")[1] for p in permissions))
    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.mark.parametrize(
    ("permissions", "labels"),
    [
        # Someone who may see children but nothing else has only the history.
        (["people.view_child"], ["History of changes"]),
        (["people.view_child", "reviews.view_lacreview"], ["Care and reviews", "History of changes"]),
        (
            ["people.view_child", "conferences.view_conference"],
            ["Conferences and plans", "Household: Adams family (F200)", "History of changes"],
        ),
    ],
)
def test_a_link_is_shown_only_to_someone_who_may_open_its_page(client, amy, permissions, labels):
    client.force_login(_user_with(*permissions))
    links = _links(client, amy)
    assert list(links) == labels
    for url in links.values():
        assert client.get(url).status_code == 200
    # And the pages left out are refused to them.
    others = [
        reverse("reviews:care-record", args=[amy.pk]),
        reverse("conferences:child-record", args=[amy.pk]),
    ]
    assert {client.get(url).status_code for url in others if url not in links.values()} <= {403}


def hsb_links(request, child):
    """What an HSB app would name on its AppConfig: one link, for those allowed."""
    if not request.user.has_perm("people.view_child"):
        return []
    return [ChildLink("Harmful sexual behaviour", f"/hsb/child/{child.pk}/", "Referrals and meetings")]


def test_an_app_adds_its_link_by_naming_it_on_its_app_config(client, iro_user, amy, monkeypatch):
    """GIVEN the HSB app names a child_links function on its AppConfig, WHEN the summary page is
    opened, THEN its link is there, after the links of the apps before it, with no edit to the
    people app."""
    monkeypatch.setattr(
        apps.get_app_config("hsb"), "child_links", "tests.people.test_child_links.hsb_links", raising=False
    )
    client.force_login(iro_user)
    links = list(_links(client, amy))
    assert links == [
        "Care and reviews",
        "Conferences and plans",
        "Household: Adams family (F200)",
        "Harmful sexual behaviour",
        "History of changes",
    ]
    assert (
        "Referrals and meetings" in client.get(reverse("people:child-detail", args=[amy.pk])).content.decode()
    )


def test_the_links_add_no_query_however_many_households(client, iro_user, amy):
    """The households come with the child the page has loaded; more of them, same queries."""
    client.force_login(iro_user)
    url = reverse("people:child-detail", args=[amy.pk])
    with CaptureQueriesContext(connection) as one_household:
        client.get(url)
    other = ChildFactory()
    FamilyMembershipFactory(child=other, start_date=date(2015, 1, 1))
    for year in (2008, 2010):
        FamilyMembershipFactory(child=amy, start_date=date(year, 1, 1), end_date=date(year + 1, 1, 1))
    with CaptureQueriesContext(connection) as three_households:
        client.get(url)
    assert len(three_households) == len(one_household)
