"""Reads for the reports app: parsing a figures request and computing figures from the
registry. The command, the REST API, the dashboards and the annual report all come here."""

from __future__ import annotations

import calendar
import functools
import hashlib
import json
from datetime import date
from pathlib import Path

from django.core.cache import cache
from django.utils import timezone

from iro_service.core.replica import reads_from, replica_reads
from iro_service.core.restriction import hidden_child_ids
from iro_service.people.models import StaffMember, Team
from reports.figures import REGISTRY, FigureQuery, FigureQueryError
from reports.figures.base import figures_run, sub_periods
from reports.figures.changes import figures_state

MAX_PERIOD_DAYS = 366 * 10
INTERVALS = ("month", "quarter")


def _parse_date(name: str, raw) -> date:
    if raw in (None, ""):
        raise FigureQueryError({name: f"{name} is required, as a date like 2016-04-01."})
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise FigureQueryError({name: f"{name} must be a date like 2016-04-01, not {raw!r}."}) from None


def _parse_id(name: str, raw, queryset) -> int | None:
    if raw in (None, ""):
        return None
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        raise FigureQueryError({name: f"{name} must be a number, not {raw!r}."}) from None
    if not queryset.filter(pk=pk).exists():
        raise FigureQueryError({name: f"There is no {'IRO' if name == 'iro' else name} with id {pk}."})
    return pk


def figure_query_parse(params) -> tuple[FigureQuery, list[str]]:
    """Validate request parameters (``start``, ``end``, ``keys``, ``team``, ``iro``); every
    problem is reported against the parameter it concerns."""
    errors: dict[str, str] = {}
    start = end = None
    for name in ("start", "end"):
        try:
            value = _parse_date(name, params.get(name))
        except FigureQueryError as error:
            errors.update(error.errors)
        else:
            start, end = (value, end) if name == "start" else (start, value)
    if start and end:
        if end < start:
            errors["end"] = "end must be on or after start."
        elif (end - start).days > MAX_PERIOD_DAYS:
            errors["end"] = "The period can be at most 10 years long."
    keys = figure_keys_parse(params.get("keys"), errors)
    team_id = iro_id = None
    try:
        team_id = _parse_id("team", params.get("team"), Team.objects.all())
    except FigureQueryError as error:
        errors.update(error.errors)
    try:
        iro_id = _parse_id("iro", params.get("iro"), StaffMember.objects.iros())
    except FigureQueryError as error:
        errors.update(error.errors)
    if errors:
        raise FigureQueryError(errors)
    return FigureQuery(start=start, end=end, team_id=team_id, iro_id=iro_id), keys


def figure_keys_parse(raw, errors: dict[str, str]) -> list[str]:
    if raw in (None, ""):
        return list(REGISTRY)
    keys = [key.strip() for key in str(raw).split(",") if key.strip()]
    unknown = [key for key in keys if key not in REGISTRY]
    if unknown:
        errors["keys"] = f"Unknown figure key(s): {', '.join(unknown)}. See /api/v1/figures/keys/."
    return keys


def figure_get(key: str, errors_name: str = "key"):
    figure = REGISTRY.get(key)
    if figure is None:
        raise FigureQueryError({errors_name: f"Unknown figure key {key!r}. See /api/v1/figures/keys/."})
    return figure


def figures_compute(*, query: FigureQuery, keys: list[str]) -> dict:
    """The figures document that the API and the command both return: one run, so figures
    counted over the same rows share one query (``reports.figures.base.shared``)."""
    with figures_run():
        figures = {key: REGISTRY[key].compute(query) for key in keys}
    return {
        "start": query.start.isoformat(),
        "end": query.end.isoformat(),
        "filters": query.filters,
        "figures": figures,
    }


# A document is kept a day at most: one whose records changed is never asked for again (its
# key holds the state of the records), and this lets the cache drop it.
FIGURES_CACHE_SECONDS = 24 * 60 * 60


def figures_document(*, query: FigureQuery, keys: list[str]) -> dict:
    """``figures_compute``, kept in the cache until the records behind the figures change
    (``reports.figures.changes``), for the API: a BI tool asks for the same figures again and
    again, and the whole catalogue of a national year takes seconds to count. The key holds
    the state of the records as the database the figures read sees it, read before the
    figures are counted, the day, and the figures' code."""
    with replica_reads():
        alias = reads_from()
        state = figures_state(alias)
    described = [
        _figures_code(),
        alias,
        state,
        timezone.localdate().isoformat(),
        query.start.isoformat(),
        query.end.isoformat(),
        query.team_id,
        query.iro_id,
        keys,
    ]
    key = "reports:figures:" + hashlib.sha256(json.dumps(described).encode()).hexdigest()
    document = cache.get(key)
    if document is None:
        document = figures_compute(query=query, keys=keys)
        cache.set(key, document, FIGURES_CACHE_SECONDS)
    return document


@functools.cache
def _figures_code() -> str:
    """A digest of the figures' source: a new release with a figure defined anew is not
    answered from the documents of the old one."""
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).parent / "figures").rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def figure_series(*, query: FigureQuery, key: str, interval: str) -> dict:
    """The figure for each month or quarter of the query's period, for trend charts."""
    if interval not in INTERVALS:
        raise FigureQueryError({"interval": "interval must be month or quarter."})
    figure = figure_get(key)
    with figures_run():  # each point's own counts; read from the replica where there is one
        points = [
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "figure": figure.compute(query.with_period(start, end)),
            }
            for start, end in sub_periods(query.start, query.end, interval)
        ]
    return {"key": key, "interval": interval, "filters": query.filters, "points": points}


def figure_records(*, query: FigureQuery, key: str) -> list[dict]:
    """The rows behind a figure (drill-down)."""
    figure = figure_get(key)
    if figure.records is None:
        raise FigureQueryError({"key": f"{key} has no drill-down yet."})
    return figure.records(query)


def figure_records_for(*, user, query: FigureQuery, key: str) -> list[dict]:
    """The rows behind a figure that ``user`` may reach: a row about a child whose record is
    restricted from them is left out. The figure itself still counts that child: a statutory
    or management figure is about the service, and leaving a child out would make it wrong
    (see docs/security.md). One query for the hidden children, however many rows."""
    rows = figure_records(query=query, key=key)
    hidden = hidden_child_ids(user)
    if not hidden:
        return rows
    return [
        row
        for row in rows
        if row.get("child_id") not in hidden and not hidden.intersection(row.get("child_ids", ()))
    ]


def figure_records_need(key: str) -> tuple[str, ...]:
    """The view permissions needed to see the rows behind figure ``key``; none for a key that
    is unknown or has no drill-down, which ``figure_records`` then refuses with a 400."""
    figure = REGISTRY.get(key)
    return figure.records_need if figure is not None and figure.records is not None else ()


def figure_records_hidden(key: str) -> bool:
    """Whether someone refused the rows behind figure ``key`` is told they do not exist (404)."""
    figure = REGISTRY.get(key)
    return figure is not None and figure.records is not None and figure.records_hidden


def figure_catalogue() -> list[dict]:
    return [
        {
            "key": f.key,
            "kind": f.kind,
            "section": f.section,
            "label": f.label,
            "definition": f.definition,
            "drill_down": f.records is not None,
        }
        for f in REGISTRY.values()
    ]


CATALOGUE_PREAMBLE = """\
# Performance figures

Generated from the figures registry (`reports/figures/`) by
`python manage.py figures_catalogue --output docs/figures.md`; a test fails when this file and
the registry disagree, so edit the definitions in the code, never here.

Every figure is computed in one place, the reports app's figures service, by database
aggregates, for a period `[start, end]` (inclusive dates; the reporting year is 1 April to
31 March) and the optional filters `team` and `iro`. The `figures` command, the REST API, the
dashboards and the annual report all read it; none computes a figure of its own. Keys are
stable: REST clients depend on them.

Shapes:

- a **count**: `{"value": 434, "unit": "count"}`;
- a **rate**: `{"value": 99.6, "numerator": 1398, "denominator": 1404, "unit": "%"}`, the value
  rounded half up to 1 decimal place, `null` when the denominator is 0;
- a **breakdown**: `{"value": {"PN1": 512, ...}, "unit": "count"}`;
- a **series** (month or quarter ends inside the period):
  `{"value": [{"date": "2016-09-30", "value": 112}, ...], "unit": "count"}`.

Working days and months ("within 20 working days", "3 months") follow the timescales module:
England's bank holidays plus the council's extra non-working days; a month is a calendar month,
clamped to the month's last day.

REST:

- `GET /api/v1/figures/?start=2016-04-01&end=2017-03-31[&team=<id>][&iro=<id>][&keys=a,b]`
  returns `{"start", "end", "filters", "figures": {key: figure}}`;
- `GET /api/v1/figures/<key>/series/?start=...&end=...&interval=month|quarter`: the figure for
  each month or quarter of the range;
- `GET /api/v1/figures/<key>/records/?start=...&end=...`: the records behind a figure
  (drill-down), where the table says so;
- `GET /api/v1/figures/keys/`: this catalogue as JSON.

A bad date, an `end` before `start` or an unknown key is a 400 naming the parameter.
"""


TABLE_HEADER = "| key | kind | figure | definition | drill-down |"


def _markdown_cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def figure_catalogue_markdown() -> str:
    """docs/figures.md: the catalogue of every registered figure, by section, as Markdown."""
    entries = figure_catalogue()
    sections: dict[str, list[dict]] = {}
    for entry in entries:
        sections.setdefault(entry["section"], []).append(entry)
    lines = [CATALOGUE_PREAMBLE]
    for section, rows in sections.items():
        lines += [f"## {section}", "", TABLE_HEADER, "|---|---|---|---|---|"]
        lines += [
            f"| `{row['key']}` | {row['kind']} | {_markdown_cell(row['label'])} | "
            f"{_markdown_cell(row['definition'])} | {'yes' if row['drill_down'] else 'no'} |"
            for row in rows
        ]
        lines.append("")
    return "\n".join(lines)


# --- the QA alert overview for senior managers (seed recommendation xi) --------------------

QA_OVERVIEW_KEYS = [
    "qa_alerts_raised",
    "qa_concern_categories",
    "qa_alerts_by_team",
    "qa_alerts_escalated",
    "qa_responses_on_time",
    "qa_alerts_open_at_end",
    "qa_alerts_by_iro",
]


def qa_overview_periods(*, today: date, first: date | None) -> list[tuple[str, str]]:
    """The months and quarters the overview can cover, newest first, from the month of the first
    alert to this month: values like ``month-2017-03`` and ``quarter-2017-01`` (the quarter's
    first month)."""
    first = first or today
    months, quarters = [], []
    year, month = today.year, today.month
    while (year, month) >= (first.year, first.month):
        label = date(year, month, 1).strftime("%B %Y")
        months.append((f"month-{year}-{month:02d}", label))
        if month % 3 == 1:
            end = date(year, month + 2, 1).strftime("%B %Y")
            quarters.append((f"quarter-{year}-{month:02d}", f"{date(year, month, 1):%B} to {end}"))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    if not quarters or quarters[-1][0] != _quarter_key(first):
        quarters.append((_quarter_key(first), _quarter_label(first)))
    return [*months, *quarters]


def _quarter_key(day: date) -> str:
    start = (day.month - 1) // 3 * 3 + 1
    return f"quarter-{day.year}-{start:02d}"


def _quarter_label(day: date) -> str:
    start = (day.month - 1) // 3 * 3 + 1
    return f"{date(day.year, start, 1):%B} to {date(day.year, start + 2, 1):%B %Y}"


def qa_overview_period(key: str) -> tuple[date, date]:
    """The first and last day of an overview period key (see ``qa_overview_periods``)."""
    kind, year, month = key.split("-")
    year, month = int(year), int(month)
    last_month = month if kind == "month" else month + 2
    return date(year, month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


def qa_overview_figures(*, start: date, end: date) -> dict:
    """The overview's figures for a month or a quarter, from the figures service."""
    return figures_compute(query=FigureQuery(start=start, end=end), keys=QA_OVERVIEW_KEYS)["figures"]
