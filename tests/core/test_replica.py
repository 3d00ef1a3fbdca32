"""The read replica (iro_service/core/replica.py): the figures read from it when one is set, every
write and every record stays on the primary. In the tests the replica is a second connection to
the test database (settings/test.py), so the rows are the same and what is measured is where
each query went."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iro_service.core.replica import REPLICA, ReplicaRouter, reads_from, replica_reads
from iro_service.people.models import Child
from tests.factories.county import small_county


def test_reads_go_to_the_primary_outside_a_figures_block(settings):
    settings.READ_FROM_REPLICA = True
    assert reads_from() == "default"
    assert ReplicaRouter().db_for_read(Child) is None


def test_reads_in_a_figures_block_go_to_the_replica_only_when_one_is_set(settings):
    settings.READ_FROM_REPLICA = False
    with replica_reads():
        assert reads_from() == "default"
        assert ReplicaRouter().db_for_read(Child) is None
    settings.READ_FROM_REPLICA = True
    with replica_reads():
        assert reads_from() == REPLICA
        assert ReplicaRouter().db_for_read(Child) == REPLICA
    assert reads_from() == "default"


def test_writes_and_migrations_never_go_to_the_replica(settings):
    settings.READ_FROM_REPLICA = True
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_write(Child) is None  # Django's default: the primary
    assert router.allow_migrate(REPLICA, "people") is False
    assert router.allow_migrate("default", "people") is True


def test_a_replica_setting_adds_the_alias_and_pooling_turns_off_server_side_cursors(monkeypatch):
    """The settings module read afresh with the two variables set, as a deployment sets them."""
    import importlib

    import iro_service.settings.base as base

    monkeypatch.setenv("DATABASE_URL", "postgres://iro:secret@primary.example:5432/iro_service")
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://iro:secret@replica.example:5432/iro_service")
    monkeypatch.setenv("DATABASE_POOLED", "true")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    try:
        reloaded = importlib.reload(base)
        assert reloaded.READ_FROM_REPLICA is True
        assert reloaded.DATABASES["replica"]["HOST"] == "replica.example"
        assert reloaded.DATABASES["default"]["HOST"] == "primary.example"
        # The primary's options (jit off) apply to the replica too.
        assert "jit=off" in reloaded.DATABASES["replica"]["OPTIONS"]["options"]
        assert all(alias["DISABLE_SERVER_SIDE_CURSORS"] for alias in reloaded.DATABASES.values())
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_a_bad_replica_address_stops_start_up_with_its_name(monkeypatch):
    import importlib

    import iro_service.settings.base as base
    from iro_service.settings.env import EnvironmentSettingError

    monkeypatch.setenv("DATABASE_URL", "postgres://iro:secret@primary.example:5432/iro_service")
    monkeypatch.setenv("DATABASE_REPLICA_URL", "mysql://replica.example/iro_service")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    try:
        with pytest.raises(EnvironmentSettingError, match="DATABASE_REPLICA_URL"):
            importlib.reload(base)
    finally:
        monkeypatch.undo()
        importlib.reload(base)


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_the_figures_read_on_the_replica_equal_the_primarys(settings, token_client):
    small_county()
    today = timezone.localdate()
    period = {"start": (today - timedelta(days=364)).isoformat(), "end": today.isoformat()}
    client = token_client("figures")

    settings.READ_FROM_REPLICA = False
    on_primary = client.get("/api/v1/figures/", period)
    assert on_primary.status_code == 200

    settings.READ_FROM_REPLICA = True
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        on_replica = client.get("/api/v1/figures/", period)
    assert on_replica.status_code == 200
    assert on_replica.json() == on_primary.json()
    # The small county has reviews and conferences, so some figures are not zero: the
    # comparison above compares real counts, not two empty documents.
    assert any(
        figure.get("value") for figure in on_primary.json()["figures"].values() if isinstance(figure, dict)
    )

    figure_sql = [query["sql"] for query in replica.captured_queries]
    assert any('"reviews_' in sql for sql in figure_sql)
    assert any('"conferences_' in sql for sql in figure_sql)
    # The primary answered the token check and nothing of the figures.
    on_primary_sql = [query["sql"] for query in primary.captured_queries]
    assert not any('"reviews_' in sql or '"conferences_' in sql for sql in on_primary_sql)


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_a_childs_record_is_never_read_on_the_replica(settings, client_for, manager_user):
    """Records must show the last second's change: they are read on the primary even with a
    replica set."""
    county = small_county()
    settings.READ_FROM_REPLICA = True
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        response = client_for(manager_user).get(reverse("people:child-detail", args=[county.child.pk]))
    assert response.status_code == 200
    assert replica.captured_queries == []
