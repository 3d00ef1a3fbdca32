"""The access log cannot be emptied by the application (issue 10, item 8).

The owner of a table can TRUNCATE it (row triggers do not fire) and can disable its triggers,
so the log is safe only if TRUNCATE is refused too and the application connects as a role that
owns nothing. These tests create such a role on the test server with the deployment's own
command, connect as it on a second connection, and try everything an attacker inside the
application would."""

import os

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from iro_service.audit.models import AccessLog
from tests.factories import ChildFactory, UserFactory

ROLE = f"iro_test_app_{os.getpid()}"
PASSWORD = "test-only-application-password"


@pytest.fixture
def application_role(django_db_blocker):
    """The role on the test server, granted by the command; dropped (with its grants) after."""
    call_command("grant_application_role", "--role", ROLE, "--password-env", "IRO_TEST_APP_PASSWORD")
    yield ROLE
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{ROLE}"')
        cursor.execute(f'DROP ROLE IF EXISTS "{ROLE}"')


def _connect_as(role: str):
    settings = connection.settings_dict
    return psycopg2.connect(
        dbname=settings["NAME"],
        user=role,
        password=PASSWORD,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )


def _refused(cursor, statement: str, params=()) -> str:
    """Run ``statement`` and return PostgreSQL's refusal (the test fails if it is allowed)."""
    cursor.execute("SAVEPOINT attempt")
    with pytest.raises(psycopg2.Error) as refusal:
        cursor.execute(statement, params)
    cursor.execute("ROLLBACK TO SAVEPOINT attempt")
    return str(refusal.value)


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv("IRO_TEST_APP_PASSWORD", PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_the_application_role_can_read_and_add_to_the_log_but_not_empty_it(application_role):
    """GIVEN a committed access-log row and the application role made by the deployment command
    WHEN a second connection, as that role, tries to disable the trigger, truncate, delete and
    update the log
    THEN PostgreSQL refuses each one, and the same connection can still read and add rows."""
    user = UserFactory(username="viewer")
    child = ChildFactory()
    AccessLog.objects.create(user=user, child=child, what="Child record: summary", path="/")

    app = _connect_as(application_role)
    try:
        with app.cursor() as cursor:
            assert "must be owner" in _refused(cursor, "ALTER TABLE audit_accesslog DISABLE TRIGGER ALL")
            assert "must be owner" in _refused(
                cursor, "ALTER TABLE audit_accesslog DISABLE TRIGGER audit_accesslog_append_only"
            )
            assert "must be owner" in _refused(cursor, "DROP TABLE audit_accesslog")
            assert "permission denied" in _refused(cursor, "TRUNCATE audit_accesslog")
            assert "permission denied" in _refused(cursor, "DELETE FROM audit_accesslog")
            assert "permission denied" in _refused(cursor, "UPDATE audit_accesslog SET what = 'gone'")
            assert "permission denied" in _refused(cursor, "SET session_replication_role = replica")

            cursor.execute(
                "INSERT INTO audit_accesslog (user_id, child_id, viewed_at, channel, what, path) "
                "VALUES (%s, %s, now(), 'web', 'Child record: care', '/care/')",
                [user.pk, child.pk],
            )
            cursor.execute("SELECT what FROM audit_accesslog ORDER BY id")
            assert [row[0] for row in cursor.fetchall()] == ["Child record: summary", "Child record: care"]
            # The rest of the application's tables are read and written as usual.
            cursor.execute("UPDATE people_child SET first_name = first_name WHERE id = %s", [child.pk])
            assert cursor.rowcount == 1
        app.commit()
    finally:
        app.close()
    assert AccessLog.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_tables_made_by_later_migrations_are_granted_too(application_role):
    # Default privileges: a table the owner creates after the command ran is usable at once.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE audit_later_migration (id bigint PRIMARY KEY)")
    try:
        app = _connect_as(application_role)
        try:
            with app.cursor() as cursor:
                cursor.execute("INSERT INTO audit_later_migration VALUES (1)")
                cursor.execute("SELECT count(*) FROM audit_later_migration")
                assert cursor.fetchone() == (1,)
        finally:
            app.close()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE audit_later_migration")


@pytest.mark.django_db(transaction=True)
def test_granting_twice_changes_nothing(application_role):
    call_command(
        "grant_application_role", "--role", application_role, "--password-env", "IRO_TEST_APP_PASSWORD"
    )
    app = _connect_as(application_role)
    try:
        with app.cursor() as cursor:
            assert "permission denied" in _refused(cursor, "TRUNCATE audit_accesslog")
            cursor.execute("SELECT count(*) FROM audit_accesslog")
    finally:
        app.close()


@pytest.mark.django_db
def test_the_owner_cannot_truncate_the_log_either():
    with (
        pytest.raises(DatabaseError, match="append-only: TRUNCATE"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_accesslog")


@pytest.mark.django_db
def test_the_owner_cannot_be_the_application_role():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="owns the tables"):
        call_command("grant_application_role", "--role", owner)


@pytest.mark.django_db
def test_a_role_name_that_would_need_quoting_is_refused():
    with pytest.raises(CommandError, match="lower-case letters"):
        call_command("grant_application_role", "--role", 'app"; DROP TABLE audit_accesslog; --')


def test_a_missing_password_variable_is_named(monkeypatch):
    monkeypatch.delenv("IRO_TEST_APP_PASSWORD")
    with pytest.raises(CommandError, match="IRO_TEST_APP_PASSWORD is unset"):
        call_command("grant_application_role", "--role", ROLE, "--password-env", "IRO_TEST_APP_PASSWORD")


@pytest.mark.django_db(transaction=True)
def test_the_application_role_removes_log_rows_only_through_the_retention_functions(application_role):
    """GIVEN two access-log rows, one written seven years ago (the clock moved back), of a child
    whose record exists, and the application role
    WHEN that role switches on the trigger's setting and deletes, asks the prune function for a
    cut-off a month ago, and asks the erase function for the existing child
    THEN PostgreSQL refuses all three; the prune function with a six-year cut-off removes only
    the old row."""
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    user = UserFactory(username="viewer")
    child = ChildFactory()
    now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=now - timedelta(days=7 * 365)):
        AccessLog.objects.create(user=user, child=child, what="Child record: summary", path="/")
    AccessLog.objects.create(user=user, child=child, what="Child record: summary", path="/")

    app = _connect_as(application_role)
    try:
        with app.cursor() as cursor:
            cursor.execute("SELECT set_config('iro.access_log_retention', 'on', false)")
            assert "permission denied" in _refused(cursor, "DELETE FROM audit_accesslog")
            assert "at least a year" in _refused(
                cursor, "SELECT audit_accesslog_prune(%s)", [now - timedelta(days=30)]
            )
            assert "has been erased" in _refused(cursor, "SELECT audit_accesslog_erase_child(%s)", [child.pk])
            cursor.execute("SELECT audit_accesslog_prune(%s)", [now - timedelta(days=6 * 365)])
            assert cursor.fetchone()[0] == 1
        app.commit()
    finally:
        app.close()
    assert AccessLog.objects.filter(child=child).count() == 1
