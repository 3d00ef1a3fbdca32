"""The service navigation: one link per area in the header (so that it fits on one row for every
role; tests/browser/test_layout.py measures it), the area's pages as a sub-navigation, and every
page of the navigation listed on the home page."""

import pytest
from django.urls import reverse
from lxml import html

from iro_service.core.navigation import NAVIGATION

pytestmark = pytest.mark.django_db

# What each role's header shows. An area whose pages this role may open only one of is named by
# that page (an IRO's "Administration" is just the timescales).
HEADER = {
    "iro_user": ["Home", "Children", "Children in care", "Conferences", "QA alerts", "My page", "Timescales"],
    # HSB only for those who see every HSB record (tests/hsb/test_pages.py has the rest).
    "manager_user": [
        "Home",
        "Children",
        "Children in care",
        "Conferences",
        "HSB",
        "QA alerts",
        "Reports",
        "Administration",
    ],
    "support_user": [
        "Home",
        "Children",
        "Children in care",
        "Conferences",
        "QA alerts",
        "Business support",
        "Timescales",
    ],
    "senior_user": [
        "Home",
        "Children",
        "Children in care",
        "Conferences",
        "HSB",
        "QA alerts",
        "Reports",
        "Administration",
    ],
    "no_role_user": ["Home"],
}


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return html.fromstring(response.content)


def _header(page) -> list[str]:
    return [" ".join(a.text_content().split()) for a in page.xpath("//ul[@id='navigation']//a")]


def _sub_navigation(page) -> list[tuple[str, str | None]]:
    return [
        (a.text_content().strip(), a.get("aria-current"))
        for a in page.xpath("//nav[contains(@class, 'app-area-navigation')]//a")
    ]


@pytest.mark.parametrize("role", sorted(HEADER))
def test_the_header_has_one_link_per_area_the_role_may_open(request, client, role):
    client.force_login(request.getfixturevalue(role))
    assert _header(_page(client, reverse("home"))) == HEADER[role]


def test_an_area_links_to_its_first_page_the_user_may_open(client, manager_user, iro_user):
    client.force_login(manager_user)
    links = _page(client, reverse("home")).xpath("//ul[@id='navigation']//a/@href")
    assert links[-1] == reverse("reports:returns")
    client.force_login(iro_user)
    links = _page(client, reverse("home")).xpath("//ul[@id='navigation']//a/@href")
    assert links[-1] == reverse("timescales:settings")


def test_business_support_see_the_children_in_care_pages_as_a_sub_navigation(client, support_user):
    client.force_login(support_user)
    page = _page(client, reverse("reviews:records-to-distribute"))
    assert _sub_navigation(page) == [
        ("Children in care", None),
        ("Reviews to book", None),
        ("Records to distribute", "page"),
    ]
    # The header marks the area.
    assert page.xpath("//ul[@id='navigation']//a[@aria-current='true']")[0].text_content().strip() == (
        "Children in care"
    )


def test_a_page_inside_an_area_marks_its_section_of_the_sub_navigation(client, support_user):
    """A child's care page is under 'Children in care' without being that list."""
    from tests.factories.county import small_county

    county = small_county()
    client.force_login(support_user)
    page = _page(client, reverse("reviews:care-record", args=[county.child.pk]))
    assert _sub_navigation(page)[0] == ("Children in care", "true")


def test_an_area_with_one_page_for_the_user_has_no_sub_navigation(client, iro_user, manager_user):
    client.force_login(iro_user)
    assert _sub_navigation(_page(client, reverse("reviews:children-in-care"))) == []
    client.force_login(manager_user)
    assert _sub_navigation(_page(client, reverse("audit:access-log"))) == [
        ("Statutory returns", None),
        ("Access log", "page"),
        ("Restricted records", None),
        ("Disposal", None),
        ("Timescales", None),
        ("Sign-in security", None),
    ]


@pytest.mark.parametrize("role", ["iro_user", "manager_user", "support_user", "senior_user"])
def test_the_home_page_lists_every_page_of_the_navigation_the_role_may_open(request, client, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    page = _page(client, reverse("home"))
    listed = page.xpath("//ul[contains(@class, 'app-link-list')]//a/@href")
    expected = [
        reverse(item.url_name)
        for area in NAVIGATION
        for item in area.items
        if item.url_name != "home" and (item.permission is None or user.has_perm(item.permission))
    ]
    assert listed[: len(expected)] == expected


def test_every_page_of_the_navigation_exists():
    for area in NAVIGATION:
        for item in area.items:
            assert reverse(item.url_name).startswith(item.section), item
