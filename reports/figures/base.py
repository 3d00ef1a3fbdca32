"""The building blocks of the figures service: the query (period and filters), the shapes of
docs/figures.md, and the registry of keys that the command, the API, the dashboards and the
annual report all read. No figure is computed anywhere else."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

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
