#!/bin/sh
# The read replica's start: on an empty data volume, copy the primary with pg_basebackup
# (streaming from the slot the primary made for it, and writing standby.signal and the
# connection to the primary), then start PostgreSQL as the image always does. The image's own
# entrypoint sees a data directory that is already there and does not initialise a new one.
set -eu
PGDATA="${PGDATA:-/var/lib/postgresql/data}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    # The primary may still be starting, or still running its first initialisation: try again,
    # each time from an empty directory, since a copy cut off halfway cannot be resumed.
    until gosu postgres pg_basebackup --host="${PRIMARY_HOST:-postgres}" --username=replicator \
        --pgdata="$PGDATA" --wal-method=stream --slot=iro_replica --write-recovery-conf; do
        echo "The primary is not ready for a copy yet; trying again in 5 seconds." >&2
        find "$PGDATA" -mindepth 1 -delete
        sleep 5
    done
fi

exec docker-entrypoint.sh postgres
