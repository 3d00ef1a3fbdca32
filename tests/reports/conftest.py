import pytest
from rest_framework.test import APIClient

from iro_service.audit.services import api_token_issue


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def token_client(api_user):
    """An API client holding a token with the given scopes, for the API client persona."""

    def make(*scopes, user=None):
        _, plain = api_token_issue(user=user or api_user, name="Test BI tool", scopes=list(scopes))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {plain}")
        return client

    return make
