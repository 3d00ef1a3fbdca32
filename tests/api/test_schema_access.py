"""The OpenAPI schema and its docs page map every endpoint and field of children's records:
closed to anyone without a sign-in or token, unless API_DOCS_PUBLIC opens them."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

SCHEMA = "/api/schema/"
DOCS = "/api/docs/"


@pytest.mark.parametrize("url", [SCHEMA, DOCS])
def test_anonymous_gets_401(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


@pytest.mark.parametrize("url", [SCHEMA, DOCS])
def test_a_token_of_any_scope_opens_them(token_client, url):
    response = token_client("figures").get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "persona", ["iro_user", "manager_user", "support_user", "senior_user", "no_role_user"]
)
@pytest.mark.parametrize("url", [SCHEMA, DOCS])
def test_signed_in_staff_open_them(api_client, request, persona, url):
    api_client.force_login(request.getfixturevalue(persona))
    assert api_client.get(url).status_code == 200


def test_the_schema_served_names_the_write_endpoints(token_client):
    schema = token_client("read").get(SCHEMA, HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "patch" in schema["paths"]["/api/v1/reviews/{id}/"]
    assert "post" in schema["paths"]["/api/v1/conferences/{id}/record/"]


@override_settings(API_DOCS_PUBLIC=True)
@pytest.mark.parametrize("url", [SCHEMA, DOCS])
def test_the_setting_opens_them_to_anyone(api_client, url):
    assert api_client.get(url).status_code == 200


def test_a_malformed_setting_stops_start_up_naming_it():
    from tests.core.test_environment import run_check

    result = run_check(API_DOCS_PUBLIC="maybe")
    assert result.returncode == 2
    assert "Configuration error: API_DOCS_PUBLIC must be true or false, not 'maybe'." in result.stderr
