"""The building blocks of the figures service: the query (period and filters), the shapes of
docs/figures.md, and the registry of keys that the command, the API, the dashboards and the
annual report all read. No figure is computed anywhere else."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connections
from django.db.models import Count, QuerySet

from iro_service.core.replica import reads_from, replica_reads

# --- the query ------------------------------------------------------------------------------


class FigureQueryError(ValueError):
    """Bad parameters; ``errors`` maps each parameter to a plain-English message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class FigureQuery:
    """A reporting period ``[start, end]`` (inclusive) and optional team or IRO filters."""

    start: date
    end: date
    team_id: int | None = None
    iro_id: int | None = None

    @property
    def filters(self) -> dict:
        return {"team": self.team_id, "iro": self.iro_id}

    def with_period(self, start: date, end: date) -> FigureQuery:
        return FigureQuery(start=start, end=end, team_id=self.team_id, iro_id=self.iro_id)


def month_ends(start: date, end: date) -> list[date]:
    """Month ends E with start <= E <= end."""
    ends, year, month = [], start.year, start.month
    while True:
        last = date(year, month, calendar.monthrange(year, month)[1])
        if last > end:
            return ends
        if last >= start:
            ends.append(last)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def quarter_ends(start: date, end: date) -> list[date]:
    """Quarter ends (30 Jun, 30 Sep, 31 Dec, 31 Mar) inside the period."""
    return [day for day in month_ends(start, end) if day.month in (3, 6, 9, 12)]


def sub_periods(start: date, end: date, interval: str) -> list[tuple[date, date]]:
    """The months or quarters of ``[start, end]``, the first and last clipped to it."""
    ends = month_ends(start, end) if interval == "month" else quarter_ends(start, end)
    if not ends or ends[-1] < end:
        ends.append(end)
    periods, from_day = [], start
    for last in ends:
        periods.append((from_day, last))
        from_day = date.fromordinal(last.toordinal() + 1)
    return periods


# --- the shapes -----------------------------------------------------------------------------


def _one_dp(value) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def rate(numerator: int, denominator: int) -> dict:
    """A percentage to 1 dp, with its parts; null when there is nothing to divide by."""
    value = None if not denominator else _one_dp(Decimal(numerator) * 100 / Decimal(denominator))
    return {"value": value, "numerator": numerator, "denominator": denominator, "unit": "%"}


def count(value, *, decimals: int = 0) -> dict:
    if value is None:
        return {"value": None, "unit": "count"}
    shown = int(value) if decimals == 0 else _round(value, decimals)
    return {"value": shown, "unit": "count"}


def _round(value, decimals: int) -> float:
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def breakdown(values: dict) -> dict:
    return {"value": dict(values), "unit": "count"}


def series(points: list[dict], unit: str = "count") -> dict:
    """Points are ``{"date": date, "value": ...}`` (plus numerator/denominator for rates)."""
    return {
        "value": [{**point, "date": point["date"].isoformat()} for point in points],
        "unit": unit,
    }


# --- one run of the catalogue ---------------------------------------------------------------
#
# Several figures read the same rows: children in care at the end, started and ceased are three
# counts over the periods of care; held, on time, late... over the reviews of the period. Within
# one run (``figures_run``: the API's and the command's figures document, a dashboard, the annual
# report) each such group of counts is one query, made the first time a figure of the group asks
# for it and shared with the others.

_RUN: ContextVar[dict | None] = ContextVar("figures_run", default=None)


@contextmanager
def figures_run() -> Iterator[None]:
    """Figures computed inside share the counts of their groups (see ``shared``), and read from
    the read replica where there is one (``iro_service.core.replica``): a figure reads much and
    changes nothing."""
    token = _RUN.set({})
    try:
        with replica_reads():
            yield
    finally:
        _RUN.reset(token)


def shared(name: str, query: FigureQuery, compute: Callable[[], dict]) -> dict:
    """``compute()``, once per run for ``name`` and ``query``; outside a run, every time."""
    run = _RUN.get()
    if run is None:
        return compute()
    if (name, query) not in run:
        run[(name, query)] = compute()
    return run[(name, query)]


# Building the SQL of an aggregate with a dozen FILTER clauses takes the ORM several times as long
# as PostgreSQL takes to run it. The statement of a group of counts depends on the query alone,
# so it is built once per query and kept (a bounded number of them); every call still runs it.
_STATEMENTS: dict[tuple, tuple[str, tuple, list[str]]] = {}
_STATEMENTS_KEPT = 512


def counts(name: str, query: FigureQuery, build: Callable[[FigureQuery], tuple[QuerySet, dict]]) -> dict:
    """The ``Count`` aggregates of ``build(query)`` (a queryset and the counts to take over it),
    in one query, shared within a run (``shared``). The SQL that ``build`` makes must depend on
    the query alone: never on values read from the database or the settings, which could change
    while the statement is kept."""
    return shared(name, query, lambda: _counted(name, query, build))


def _counted(name: str, query: FigureQuery, build) -> dict:
    alias = reads_from()
    statement = _STATEMENTS.get((name, query))
    if statement is not None:
        sql, params, names = statement
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            return dict(zip(names, cursor.fetchone(), strict=True))
    queryset, aggregates = build(query)
    if queryset.db != alias or not all(type(value) is Count for value in aggregates.values()):
        raise ValueError(f"{name}: counts() takes Count aggregates over the database figures read")
    executed = []

    def remember(execute, sql, params, many, context):
        executed.append((sql, params))
        return execute(sql, params, many, context)

    with connections[alias].execute_wrapper(remember):
        totals = queryset.aggregate(**aggregates)
    if len(executed) == 1:  # none when Django knew the answer without asking (an empty IN list)
        if len(_STATEMENTS) >= _STATEMENTS_KEPT:
            # pop, not del: another thread of the same process may have dropped it first.
            _STATEMENTS.pop(next(iter(_STATEMENTS), None), None)
        _STATEMENTS[(name, query)] = (executed[0][0], tuple(executed[0][1]), list(totals))
    return totals


# --- the registry ---------------------------------------------------------------------------

KINDS = {"count", "rate", "breakdown", "series"}


@dataclass(frozen=True)
class Figure:
    """One figure of docs/figures.md. ``compute`` turns a query into the figure's shape;
    ``records`` (optional) returns the rows behind it for drill-down, as plain dicts, and
    ``records_need`` the view permissions a user must hold to see those rows: the permissions
    of every kind of record the rows show (the child, the review, the plan...). A row about one
    child carries its ``child_id``, a row about several (a conference) their ``child_ids``, so
    that every child shown can be written to the access log. ``records_hidden`` marks rows so
    restricted (HSB records) that someone who may not see them is told nothing is there: 404,
    as those records' own pages answer, never 403."""

    key: str
    kind: str
    section: str
    label: str
    definition: str
    compute: Callable[[FigureQuery], dict]
    records: Callable[[FigureQuery], list[dict]] | None = field(default=None)
    records_need: tuple[str, ...] = ()
    records_hidden: bool = False


REGISTRY: dict[str, Figure] = {}


def figure(
    *,
    key: str,
    kind: str,
    section: str,
    label: str,
    definition: str,
    records=None,
    records_need: tuple[str, ...] = (),
    records_hidden: bool = False,
):
    """Register the decorated function as the figure ``key``. A figure with a drill-down must
    say what its records need (``records_need``): rows of children's records behind a figure
    are records, and must not be open to anyone who may see the figures."""
    if kind not in KINDS:
        raise ValueError(f"Unknown figure kind {kind!r}")
    if records is not None and not records_need:
        raise ValueError(f"Figure {key!r} has a drill-down: give the view permissions its records need")

    def register(compute: Callable[[FigureQuery], dict]) -> Callable[[FigureQuery], dict]:
        if key in REGISTRY:
            raise ValueError(f"Figure {key!r} is registered twice")
        REGISTRY[key] = Figure(
            key, kind, section, label, definition, compute, records, tuple(records_need), records_hidden
        )
        return compute

    return register


def iso_day(day: date | None) -> str | None:
    """A date in a drill-down row: ISO text, so the rows are JSON as they are, or None."""
    return day.isoformat() if day else None


def records_child_ids(rows) -> list[int]:
    """The children the drill-down rows show, for the access log (see ``Figure``)."""
    child_ids: list[int] = []
    for row in rows:
        if row.get("child_id") is not None:
            child_ids.append(row["child_id"])
        child_ids.extend(row.get("child_ids", ()))
    return child_ids
