import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from iro_service.audit.services import api_token_issue


@pytest.fixture
def api_client():
    return APIClient()


def _issue(user, scopes):
    try:
        _, plain = api_token_issue(user=user, name="Test BI tool", scopes=scopes)
    except ValidationError:
        # A scope the user's role cannot use: the service refuses to issue it now, but a token
        # issued before the role was narrowed still exists. Tests of the API's own guard (the
        # role decides, whatever the token's scopes) need one.
        import secrets

        from iro_service.audit.models import ApiToken
        from iro_service.audit.services import api_token_hash

        prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        ApiToken.objects.create(
            user=user,
            name="Issued before the role changed",
            prefix=prefix,
            secret_hash=api_token_hash(secret),
            scopes=scopes,
        )
        plain = f"{prefix}.{secret}"
    return plain


@pytest.fixture
def token_client(api_user):
    """An API client holding a token with the given scopes, for the API client persona."""

    def make(*scopes, user=None):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {_issue(user or api_user, list(scopes))}")
        return client

    return make
