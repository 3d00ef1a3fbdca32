"""The Compose file for growing past one machine (docker-compose.scale.yml): no Docker engine
runs here, so what is proven is the configuration itself. `.ci/run` checks that Compose accepts
the two files together; these tests check what they say."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


def _load(name):
    return yaml.safe_load((ROOT / name).read_text())


def test_the_application_reaches_the_primary_through_pgbouncer_in_transaction_pooling():
    scale = _load("docker-compose.scale.yml")
    services = scale["services"]
    assert services["pgbouncer"]["environment"]["POOL_MODE"] == "transaction"
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert urlsplit(environment["DATABASE_URL"]).hostname == "pgbouncer", name
        # Without it, a long read's server-side cursor could be looked for on another server
        # connection by the next transaction.
        assert environment["DATABASE_POOLED"] == "true", name


def test_the_figures_read_from_the_replica_and_migrations_go_straight_to_the_primary():
    scale = _load("docker-compose.scale.yml")
    services = scale["services"]
    for name in APP_SERVICES:
        replica = urlsplit(services[name]["environment"]["DATABASE_REPLICA_URL"])
        assert replica.hostname == "postgres-replica", name
    # A migration needs one session from start to end, which transaction pooling does not give.
    assert "migrate" not in services
    assert urlsplit(services["pgbouncer"]["environment"]["DATABASE_URL"]).hostname == "postgres"


def test_pooled_and_replica_connections_sign_in_as_the_application_role_to_the_same_database():
    # The role that cannot touch the access log's triggers (the main file's iro_app), on the
    # database the main file's migrate made.
    main = urlsplit(_load("docker-compose.yml")["x-app-environment"]["DATABASE_URL"])
    scale = _load("docker-compose.scale.yml")["services"]
    urls = [scale["pgbouncer"]["environment"]["DATABASE_URL"]]
    for name in APP_SERVICES:
        environment = scale[name]["environment"]
        urls += [environment["DATABASE_URL"], environment["DATABASE_REPLICA_URL"]]
    for url in urls:
        parts = urlsplit(url)
        assert (parts.username, parts.password, parts.path) == (
            main.username,
            main.password,
            main.path,
        ), url


def test_the_replication_scripts_the_file_mounts_are_there_and_executable():
    scale = _load("docker-compose.scale.yml")["services"]
    mounts = scale["postgres"]["volumes"] + scale["postgres-replica"]["volumes"]
    scripts = [mount.split(":")[0] for mount in mounts if mount.startswith("./")]
    assert len(scripts) == 2
    for script in scripts:
        path = ROOT / script
        assert path.is_file(), script
        assert os.access(path, os.X_OK), script
    # The slot the primary makes is the one the replica streams from.
    primary = (ROOT / "deploy/postgres/primary-replication.sh").read_text()
    replica = (ROOT / "deploy/postgres/replica-entrypoint.sh").read_text()
    assert "pg_create_physical_replication_slot('iro_replica')" in primary
    assert "--slot=iro_replica" in replica
