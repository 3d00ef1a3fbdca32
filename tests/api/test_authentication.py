"""Token authentication with scopes: 401 and 403 are distinct and say why."""

import pytest

from iro_service.audit.models import ApiToken
from iro_service.audit.services import api_token_issue, api_token_revoke

pytestmark = pytest.mark.django_db

FIGURES = "/api/v1/figures/?start=2016-04-01&end=2017-03-31&keys=iro_fte_at_end"
CHILDREN = "/api/v1/children/"


def test_no_credentials_is_401_with_a_challenge(api_client):
    response = api_client.get(FIGURES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_a_wrong_token_is_401(api_client, api_user):
    api_token_issue(user=api_user, name="BI", scopes=["figures"])
    api_client.credentials(HTTP_AUTHORIZATION="Token abcdef123456.not-the-secret")
    assert api_client.get(FIGURES).status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION="Token malformed")
    assert api_client.get(FIGURES).status_code == 401


def test_a_revoked_token_is_401(api_user):
    from rest_framework.test import APIClient

    token, plain = api_token_issue(user=api_user, name="BI", scopes=["figures"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {plain}")
    assert client.get(FIGURES).status_code == 200
    api_token_revoke(token=token)
    response = client.get(FIGURES)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_a_token_without_the_scope_is_403_naming_it(token_client):
    figures_only = token_client("figures")
    assert figures_only.get(FIGURES).status_code == 200
    response = figures_only.get(CHILDREN)
    assert response.status_code == 403
    assert response.json()["detail"] == "This token does not have the 'read' scope."
    records_only = token_client("read")
    assert records_only.get(CHILDREN).status_code == 200
    assert records_only.get(FIGURES).status_code == 403


def test_the_scope_does_not_widen_the_users_role(token_client, no_role_user):
    """A token for a user with no role can read nothing, whatever its scopes."""
    client = token_client("read", user=no_role_user)
    assert client.get(CHILDREN).status_code == 403


def test_only_a_hash_of_the_secret_is_stored(api_user):
    token, plain = api_token_issue(user=api_user, name="BI", scopes=["read"])
    secret = plain.split(".", 1)[1]
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.secret_hash, stored.prefix)
    assert len(stored.secret_hash) == 64


def test_browser_sessions_use_the_roles_permissions(api_client, manager_user, no_role_user):
    api_client.force_login(manager_user)
    assert api_client.get(CHILDREN).status_code == 200
    api_client.force_login(no_role_user)
    assert api_client.get(CHILDREN).status_code == 403


def test_issue_api_token_command(api_user, capsys):
    from django.core.management import CommandError, call_command

    call_command("issue_api_token", "--user", api_user.username, "--name", "BI", "--scopes", "figures,read")
    out = capsys.readouterr().out
    assert "shown only once" in out
    with pytest.raises(CommandError, match="Scopes must be some of"):
        call_command("issue_api_token", "--user", api_user.username, "--name", "BI", "--scopes", "admin")
