"""The shell's own pages: errors, health and content security policy."""

import pytest
from django.test import Client, override_settings
from django.urls import path

from iro_service.core import views as core_views

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("deliberate failure")


urlpatterns = [path("boom/", _boom)]
handler500 = core_views.server_error


def test_unknown_page_shows_the_plain_english_404(client, iro_user):
    client.force_login(iro_user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_shows_the_500_page_without_details():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"deliberate failure" not in response.content


def test_health_check_reports_the_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_content_security_policy_allows_no_inline_script(client):
    policy = client.get("/sign-in/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
