"""Rows written with PostgreSQL COPY, a table at a time, with their "created" history rows
copied inside PostgreSQL (``history_record_created``, as the SSDA903 import writes them).

Primary keys are taken from each table's own sequence before the rows are built, so that rows of
one chunk can refer to each other (a review to its period of care) without a round trip per row.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from iro_service.audit.services import history_record_created

REASON = "Synthetic data"


def _text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (date, datetime, Decimal, int)):
        return str(value) if not isinstance(value, (date, datetime)) else value.isoformat()
    if isinstance(value, (list, tuple)):
        # A PostgreSQL array literal of plain codes (no commas, quotes or braces in them).
        return "{" + ",".join(str(item) for item in value) + "}"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Table:
    """The rows of one model waiting to be copied. ``add`` returns the new row's primary key."""

    def __init__(self, model):
        self.model = model
        meta = model._meta
        self.fields = list(meta.concrete_fields)
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.pk_name = meta.pk.attname
        self.rows: list[dict] = []
        self._free: list[int] = []
        self.written = 0

    def _reserve(self, count: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [self.model._meta.db_table, self.model._meta.pk.column, count],
            )
            self._free = [row[0] for row in cursor.fetchall()][::-1]

    def add(self, **values) -> int:
        if not self._free:
            self._reserve(5000)
        pk = self._free.pop()
        values[self.pk_name] = pk
        self.rows.append(values)
        return pk

    def flush(self, now: datetime) -> None:
        """COPY the rows held, then their history rows; forget them."""
        if not self.rows:
            return
        defaults = {}
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                defaults[field.attname] = now
            elif field.has_default():
                defaults[field.attname] = field.get_default()
            elif field.null:
                defaults[field.attname] = None
            elif field.empty_strings_allowed:
                defaults[field.attname] = ""
        names = [field.attname for field in self.fields]
        buffer = io.StringIO()
        write = buffer.write
        for row in self.rows:
            write("\t".join(_text(row[name] if name in row else defaults[name]) for name in names))
            write("\n")
        buffer.seek(0)
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {quote(self.model._meta.db_table)} ({self.columns}) FROM STDIN",  # nosec B608
                buffer,
            )
        if hasattr(self.model, "history"):
            history_record_created(self.model, [row[self.pk_name] for row in self.rows], reason=REASON)
        self.written += len(self.rows)
        self.rows = []


class Tables:
    """A Table per model, flushed in the order the models were first named (parents first)."""

    def __init__(self, models):
        self.by_model = {model: Table(model) for model in models}

    def __getitem__(self, model) -> Table:
        return self.by_model[model]

    def flush(self) -> None:
        now = timezone.now()
        for table in self.by_model.values():
            table.flush(now)

    def counts(self) -> dict[str, int]:
        return {model._meta.label: table.written for model, table in self.by_model.items()}
