"""Shared fixtures: one signed-in persona per role, as Healthchecks does with owner, team member
and outsider. The role groups come from the real data migration."""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.backends.postgresql.operations import DatabaseOperations
from rest_framework.test import APIClient

from iro_service.audit.services import api_token_issue
from iro_service.core.roles import Role
from iro_service.timescales.dates import forget_extra_non_working_days
from tests.factories import UserFactory
from tests.support import demo_county

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


# --- the demo county, loaded once per run (tests/support/demo_county.py says how and why) ----


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """pytest-django's test database, migrated; then, if any test of the run reads the demo
    county, the county's template is built from it while it is still empty."""
    if any("demo_database" in item.fixturenames for item in request.session.items):
        with django_db_blocker.unblock():
            demo_county.build_template()


@pytest.fixture(scope="session")
def demo_database_copy(django_db_setup, django_db_blocker):
    """This worker's copy of the demo county, made once and dropped when the worker is done."""
    with django_db_blocker.unblock():
        copy = demo_county.copy_template()
    yield copy
    with django_db_blocker.unblock():
        demo_county.drop(copy.name)


@pytest.fixture(scope="module")
def demo_database(demo_database_copy, django_db_blocker):
    """The demo county for the tests of one module: the connection points at this worker's copy
    for the module, inside one transaction rolled back at its end. Each test is rolled back to
    where it started as usual, and whatever the module's own fixtures write (exports) is gone
    before the next module, so no test sees another's changes. ``output`` is what the loader
    printed."""
    with (
        django_db_blocker.unblock(),
        demo_county.connected_to(demo_database_copy.name),
        transaction.atomic(),
    ):
        yield demo_database_copy
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _an_empty_database_unless_the_demo_is_asked_for(request):
    """The demo county stays connected until its module ends, so a test in the same module
    that did not ask for it would see the county instead of an empty database: refuse it."""
    uses_database = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if uses_database and demo_county.connected() and "demo_database" not in request.fixturenames:
        pytest.fail(
            f"{request.node.nodeid} would run on the demo county ({demo_county.connected()}): put the "
            "tests that use demo_database in a module of their own, or give this one demo_database."
        )


def pytest_sessionfinish(session):
    """The run is over: drop the demo template. Workers leave it to the process that started
    them, which finishes after all of them."""
    if hasattr(session.config, "workerinput"):
        return
    from pytest_django.plugin import blocking_manager_key

    blocker = session.config.stash.get(blocking_manager_key, None)
    if blocker is None:
        return
    # No database server in this run: nothing was built.
    with blocker.unblock(), contextlib.suppress(DatabaseError):
        demo_county.drop(demo_county.TEMPLATE)
