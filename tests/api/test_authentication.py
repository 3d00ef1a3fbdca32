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


def _issue(*args):
    from django.core.management import call_command

    call_command("issue_api_token", "--name", "BI", *args)


def test_issue_api_token_command(api_user, capsys):
    from django.core.management import CommandError

    _issue("--user", api_user.username, "--scopes", "figures,read")
    out = capsys.readouterr().out
    assert "shown only once" in out
    with pytest.raises(CommandError, match="Scopes must be some of") as caught:
        _issue("--user", api_user.username, "--scopes", "admin")
    assert caught.value.returncode == 2


@pytest.mark.parametrize(
    ("persona", "scopes", "message"),
    [
        (
            "api_user",
            "read,write",
            "api-persona's role cannot record or change anything"
            ", so their token cannot have the 'write' scope.",
        ),
        (
            "senior_user",
            "write",
            "senior-persona's role cannot record or change anything"
            ", so their token cannot have the 'write' scope.",
        ),
        (
            "no_role_user",
            "read",
            "no-role-persona's role cannot read children's records"
            ", so their token cannot have the 'read' scope.",
        ),
    ],
)
def test_a_scope_the_users_role_cannot_use_is_refused_with_exit_2(request, persona, scopes, message):
    from django.core.management import CommandError

    user = request.getfixturevalue(persona)
    with pytest.raises(CommandError) as caught:
        _issue("--user", user.username, "--scopes", scopes)
    assert (str(caught.value), caught.value.returncode) == (message, 2)
    assert not ApiToken.objects.filter(user=user).exists()


@pytest.mark.parametrize("persona", ["iro_user", "support_user", "manager_user"])
def test_roles_that_write_get_a_write_token(request, persona):
    user = request.getfixturevalue(persona)
    _issue("--user", user.username, "--scopes", "read,write")
    assert ApiToken.objects.get(user=user).scopes == ["read", "write"]


def test_a_token_expires_after_a_year_by_default_or_when_told(api_user, manager_user):
    from datetime import datetime, timedelta

    from django.utils import timezone

    before = timezone.now()
    _issue("--user", api_user.username, "--scopes", "read")
    token = ApiToken.objects.get(user=api_user)
    assert before + timedelta(days=365) <= token.expires_at <= timezone.now() + timedelta(days=365)
    _issue("--user", manager_user.username, "--scopes", "write", "--expires", "30")
    token = ApiToken.objects.get(user=manager_user)
    assert before + timedelta(days=30) <= token.expires_at <= timezone.now() + timedelta(days=30)
    token.delete()
    # A date is the last day the token works: it lapses at the midnight that ends it.
    _issue("--user", manager_user.username, "--scopes", "write", "--expires", "2099-03-31")
    token = ApiToken.objects.get(user=manager_user)
    assert timezone.localtime(token.expires_at).replace(tzinfo=None) == datetime(2099, 4, 1, 0, 0)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2001-01-01", "--expires 2001-01-01: that date has passed."),
        ("soon", "--expires 'soon': give a number of days (e.g. 90) or a date (e.g. 2027-03-31)."),
        ("0", "--expires 0: give between 1 and 3650 days."),
        ("-5", "--expires '-5': give a number of days (e.g. 90) or a date (e.g. 2027-03-31)."),
    ],
)
def test_a_bad_expiry_is_one_line_and_exit_2(api_user, value, message):
    from django.core.management import CommandError

    with pytest.raises(CommandError) as caught:
        _issue("--user", api_user.username, "--scopes", "read", "--expires", value)
    assert (str(caught.value), caught.value.returncode) == (message, 2)
    assert not ApiToken.objects.exists()


def test_an_unknown_or_disabled_user_is_exit_2(make_user):
    from django.core.management import CommandError

    make_user(username="gone", is_active=False)
    for username in ("nobody", "gone"):
        with pytest.raises(CommandError, match="no active user with that username") as caught:
            _issue("--user", username, "--scopes", "figures")
        assert caught.value.returncode == 2


def test_the_service_refuses_a_past_expiry(manager_user):
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    with pytest.raises(ValidationError) as caught:
        api_token_issue(
            user=manager_user, name="BI", scopes=["read"], expires_at=timezone.now() - timedelta(minutes=1)
        )
    assert caught.value.message_dict == {"expires_at": ["The expiry must be in the future."]}
