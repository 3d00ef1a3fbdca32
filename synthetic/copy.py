"""Rows written with PostgreSQL COPY, a table at a time, with their "created" history rows
copied inside PostgreSQL (``history_record_created``, as the SSDA903 import writes them).

Primary keys are taken from each table's own sequence before the rows are built, so that rows of
one chunk can refer to each other (a review to its period of care) without a round trip per row.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter

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
    return _escaped(str(value))


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# The plain types, looked up by the value's own class before ``_text``'s chain of isinstance
# tests: the same text, at a third of the cost over millions of values. A subclass (a code
# list's member, which is a str) takes ``_text``.
_BY_TYPE = {
    str: _escaped,
    int: str,
    type(None): lambda value: r"\N",
    bool: lambda value: "t" if value else "f",
    date: date.isoformat,
    datetime: datetime.isoformat,
}


def _fast_text(value) -> str:
    convert = _BY_TYPE.get(value.__class__)
    return convert(value) if convert is not None else _text(value)


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
        """Take ``count`` keys from the table's sequence in one step (``setval`` past them),
        rather than one ``nextval`` each. Were anything else taking keys from the same sequence
        in the same instant, the two would collide on the primary key and the chunk's COPY
        would fail whole: it cannot write a wrong row. (The command is for a database of its
        own, which nothing else is writing to.)"""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(seq, nextval(seq) + %s - 1) FROM pg_get_serial_sequence(%s, %s) AS seq",
                [count, self.model._meta.db_table, self.model._meta.pk.column],
            )
            last = cursor.fetchone()[0]
        self._free = list(range(last, last - count, -1))

    def add(self, **values) -> int:
        if not self._free:
            self._reserve(20000)
        pk = self._free.pop()
        values[self.pk_name] = pk
        self.rows.append(values)
        return pk

    def take(self) -> list[dict]:
        """The rows held, handed over to be written (``write``); the table holds none after."""
        rows, self.rows = self.rows, []
        # Counted here, on the thread that builds the rows, not by the writers (two of which may
        # write one table at once); a failed write raises, and nothing is reported then.
        self.written += len(rows)
        return rows

    def write(self, rows: list[dict], now: datetime) -> None:
        """COPY ``rows``, then their history rows."""
        if not rows:
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
        values_of = itemgetter(*[field.attname for field in self.fields])
        buffer = io.StringIO()
        write = buffer.write
        for row in rows:
            write("\t".join(map(_fast_text, values_of(defaults | row))))
            write("\n")
        buffer.seek(0)
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {quote(self.model._meta.db_table)} ({self.columns}) FROM STDIN",  # nosec B608
                buffer,
            )
        if hasattr(self.model, "history"):
            history_record_created(self.model, [row[self.pk_name] for row in rows], reason=REASON)


class Tables:
    """A Table per model, flushed in the order the models were first named (parents first)."""

    def __init__(self, models):
        self.by_model = {model: Table(model) for model in models}

    def __getitem__(self, model) -> Table:
        return self.by_model[model]

    def take(self) -> dict:
        """Every table's rows held, to be written by ``write`` (perhaps on another thread, while
        the next rows are built here)."""
        return {model: table.take() for model, table in self.by_model.items()}

    def write(self, batch: dict) -> None:
        now = timezone.now()
        for model, rows in batch.items():
            self.by_model[model].write(rows, now)

    def flush(self) -> None:
        """Write the rows held, here and now."""
        self.write(self.take())

    def counts(self) -> dict[str, int]:
        return {model._meta.label: table.written for model, table in self.by_model.items()}
