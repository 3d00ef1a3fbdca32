"""Shared fixtures: one signed-in persona per role, as Healthchecks does with owner, team member
and outsider. The role groups come from the real data migration."""

import pytest
from django.db.backends.postgresql.operations import DatabaseOperations

from iro_service.audit.roles import Role
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
