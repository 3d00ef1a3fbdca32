#!/bin/sh
# Run once by the postgres image, when the primary's data volume is first initialised (it runs
# /docker-entrypoint-initdb.d/*.sh then, as the postgres user). It makes a role that may only
# stream the write-ahead log, the slot the replica streams from (so the primary keeps the log
# a replica has not yet received, however long it was away), and the pg_hba.conf line that
# lets that role connect from the Compose network. A primary initialised before needs the same
# three things by hand: see the README's "Growing past one machine".
set -eu

if [ -z "${POSTGRES_REPLICATION_PASSWORD:-}" ]; then
    echo "Set POSTGRES_REPLICATION_PASSWORD in .env: the replica signs in with it." >&2
    exit 1
fi

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v password="$POSTGRES_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot('iro_replica');
SQL

echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
