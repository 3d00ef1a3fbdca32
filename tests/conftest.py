"""Shared fixtures: one signed-in persona per role, as Healthchecks does with owner, team member
and outsider. The role groups come from the real data migration."""

import pytest
from django.core.exceptions import ValidationError
from django.db.backends.postgresql.operations import DatabaseOperations
from rest_framework.test import APIClient

from iro_service.audit.services import api_token_issue
from iro_service.core.roles import Role
from iro_service.timescales.dates import forget_extra_non_working_days
from tests.factories import UserFactory

_sql_flush = DatabaseOperations.sql_flush


def _sql_flush_past_the_access_log_trigger(self, style, tables, **options):
    """Between transactional tests pytest-django empties every table with one TRUNCATE, which
    the access log's trigger (audit 0009) refuses. ``session_replication_role = replica``
    turns ordinary triggers off for this one transaction; only a superuser (the test
    database's role) may set it, so the application cannot do the same."""
    statements = _sql_flush(self, style, tables, **options)
    return ["SET LOCAL session_replication_role = replica", *statements] if statements else statements


DatabaseOperations.sql_flush = _sql_flush_past_the_access_log_trigger


@pytest.fixture(autouse=True)
def fresh_non_working_days():
    """The extra non-working days are cached outside the database, so a test's rolled-back
    closure day must not leak into the next test's due dates, in any app."""
    forget_extra_non_working_days()
    yield
    forget_extra_non_working_days()


@pytest.fixture
def make_user(db):
    def make(role: str | None = None, **fields):
        return UserFactory(role=role, **fields)

    return make


@pytest.fixture
def iro_user(make_user):
    return make_user(Role.IRO, username="iro-persona")


@pytest.fixture
def manager_user(make_user):
    return make_user(Role.IRO_MANAGER, username="manager-persona")


@pytest.fixture
def support_user(make_user):
    return make_user(Role.BUSINESS_SUPPORT, username="support-persona")


@pytest.fixture
def senior_user(make_user):
    return make_user(Role.SENIOR_MANAGER, username="senior-persona")


@pytest.fixture
def api_user(make_user):
    return make_user(Role.API_CLIENT, username="api-persona")


@pytest.fixture
def no_role_user(make_user):
    return make_user(None, username="no-role-persona")


@pytest.fixture
def client_for(client):
    """A test client signed in as ``user`` (force_login: axes guards the real form)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


# --- REST clients ------------------------------------------------------------------------


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
