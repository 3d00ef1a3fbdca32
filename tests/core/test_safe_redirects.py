"""Every page that goes on to a ``next`` address goes only to a page of this site. The
booking page has its own tests (tests/reviews/test_meeting_book.py); these are the shell's."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from iro_service.core.redirects import safe_next

pytestmark = pytest.mark.django_db

OUTSIDE = ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "///evil.example/", ""]


@pytest.mark.parametrize("next_url", OUTSIDE)
def test_safe_next_falls_back_for_anything_outside_the_site(next_url):
    request = RequestFactory().post(f"/reviews/?next={next_url}", {"next": next_url})
    assert safe_next(request, "/home/") == "/home/"


@pytest.mark.parametrize("next_url", ["/reviews/to-book/?weeks=8", "http://testserver/children/"])
def test_safe_next_keeps_an_address_on_this_site(next_url):
    assert safe_next(RequestFactory().get("/", {"next": next_url}), "/home/") == next_url


@pytest.mark.parametrize("next_url", OUTSIDE[:4])
def test_signing_in_with_a_next_to_another_site_goes_home(client, iro_user, next_url):
    response = client.post(
        f"{reverse('login')}?next={next_url}",
        {"username": iro_user.username, "password": "a-long-test-password", "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("next_url", OUTSIDE[:4])
def test_signing_out_with_a_next_to_another_site_stays_here(client, iro_user, next_url):
    client.force_login(iro_user)
    response = client.post(f"{reverse('logout')}?next={next_url}", {"next": next_url})
    assert "evil.example" not in response.get("Location", "")
    assert "javascript" not in response.get("Location", "")
