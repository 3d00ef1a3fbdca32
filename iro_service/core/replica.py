"""Reads that may be served by a read replica: the figures (the API's figures document, the
dashboards, the annual report), which read much and change nothing, so that a deployment that
outgrows one database server moves its heaviest reads to a streaming replica while every write,
and every read outside the figures, stays on the primary.

``replica_reads()`` marks a block whose reads may go to the replica; ``ReplicaRouter`` (in
``DATABASE_ROUTERS``) sends them there when ``DATABASE_REPLICA_URL`` is set
(``READ_FROM_REPLICA``). Writes inside such a block (the access log of a drill-down, say) still
go to the primary. A replica lags its primary by a moment: figures read there may miss the last
second's changes, which a figure can bear and a record page could not, so records are never
read there. Migrations run on the primary only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"

_READING: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _READING.set(True)
    try:
        yield
    finally:
        _READING.reset(token)


def reads_from() -> str:
    """The database alias that a read made here goes to: the replica inside ``replica_reads()``
    when there is one, else the primary."""
    if _READING.get() and settings.READ_FROM_REPLICA and REPLICA in settings.DATABASES:
        return REPLICA
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Reads inside ``replica_reads()`` to the replica, when there is one; all else to the
    primary (``None`` leaves the choice to Django, which takes ``default``)."""

    def db_for_read(self, model, **hints):
        alias = reads_from()
        return alias if alias == REPLICA else None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from either may refer to the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
