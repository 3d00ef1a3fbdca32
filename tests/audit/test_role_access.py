"""Each role's access to each page: allowed (200) or refused (403); anonymous visitors are
sent to sign in. The matrix is written out in full so that a change to a role shows up here."""

import pytest
from django.urls import reverse

from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

ROLES = ["iro_user", "manager_user", "support_user", "senior_user", "no_role_user"]

# page name -> roles allowed to GET it (others get 403)
GET_MATRIX = {
    "home": {"iro_user", "manager_user", "support_user", "senior_user", "no_role_user"},
    "people:child-list": {"iro_user", "manager_user", "support_user", "senior_user"},
    "people:child-detail": {"iro_user", "manager_user", "support_user", "senior_user"},
    "people:child-history": {"iro_user", "manager_user", "support_user", "senior_user"},
    "people:child-reallocate": {"manager_user"},
    "audit:access-log": {"manager_user", "senior_user"},
    "timescales:settings": {"iro_user", "manager_user", "support_user", "senior_user"},
    "timescales:non-working-days": {"iro_user", "manager_user", "support_user", "senior_user"},
}

# page name -> roles allowed to change something there with POST
POST_MATRIX = {
    "timescales:settings": {"manager_user"},
    "timescales:non-working-days": {"manager_user"},
    "people:child-reallocate": {"manager_user"},
}

CHILD_PAGES = {"people:child-detail", "people:child-history", "people:child-reallocate"}


def _url(name, child):
    return reverse(name, args=[child.pk]) if name in CHILD_PAGES else reverse(name)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(GET_MATRIX))
def test_get_access(request, client, role, page):
    child = ChildFactory()
    client.force_login(request.getfixturevalue(role))
    response = client.get(_url(page, child))
    expected = 200 if role in GET_MATRIX[page] else 403
    assert response.status_code == expected, f"{role} GET {page}"
    if expected == 403:
        assert b"You cannot see this page" in response.content


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(POST_MATRIX))
def test_post_access(request, client, role, page):
    """A refused POST is a 403; an allowed one gets past the permission check (it may still
    fail validation with the empty form sent here, which re-shows the page with a 200)."""
    child = ChildFactory()
    client.force_login(request.getfixturevalue(role))
    response = client.post(_url(page, child), {})
    if role in POST_MATRIX[page]:
        assert response.status_code == 200, f"{role} POST {page}"
        assert b"There is a problem" in response.content
    else:
        assert response.status_code == 403, f"{role} POST {page}"


@pytest.mark.parametrize("page", sorted(GET_MATRIX))
def test_anonymous_visitors_are_sent_to_sign_in(client, page):
    child = ChildFactory()
    url = _url(page, child)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_navigation_shows_only_what_the_role_may_open(client, iro_user, manager_user):
    client.force_login(iro_user)
    page = client.get(reverse("home")).content.decode()
    assert 'href="/children/"' in page
    assert 'href="/access-log/"' not in page
    client.force_login(manager_user)
    page = client.get(reverse("home")).content.decode()
    assert 'href="/access-log/"' in page


def test_role_groups_are_created_with_their_permissions():
    from django.contrib.auth.models import Group

    from iro_service.core.roles import ROLE_PERMISSIONS

    for role, names in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert held == set(names), role


def test_read_only_roles_hold_no_write_permissions():
    from iro_service.core.roles import ROLE_PERMISSIONS, Role

    for role in (Role.SENIOR_MANAGER, Role.API_CLIENT):
        writes = [name for name in ROLE_PERMISSIONS[role] if not name.split(".")[1].startswith("view_")]
        assert writes == [], role


def test_each_app_declares_permissions_only_on_its_own_models():
    """The role table is gathered from the apps: each names only its own permissions, so a new
    app adds its roles in its own roles module and needs no edit in the kernel."""
    from django.apps import apps

    declaring = [config for config in apps.get_app_configs() if getattr(config, "role_permissions", None)]
    assert {config.label for config in declaring} >= {
        "people",
        "timescales",
        "audit",
        "reviews",
        "conferences",
    }
    for config in declaring:
        for role, names in config.role_permissions.items():
            foreign = [name for name in names if name.split(".")[0] != config.label]
            assert foreign == [], (config.label, role)
