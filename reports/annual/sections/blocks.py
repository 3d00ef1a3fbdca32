"""The pieces every section of the annual report is made of: how a figure is printed (counts,
percentages, a dash for a missing figure), the blocks (paragraphs, lists, tables, charts) as
plain JSON, and the table of the comparators managers entered beside the section's figures."""

from __future__ import annotations

from reports.annual.figures import ReportFigures
from reports.figures import REGISTRY

Blocks = list[dict]
# A missing figure prints as an en dash, as in the council's own tables.
DASH = "\u2013"


# --- formatting ----------------------------------------------------------------------------


def n(value) -> str:
    """A count as the report prints it: 1,404; a missing figure as a dash."""
    if value is None:
        return DASH
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def pct(figure_or_value) -> str:
    value = figure_or_value.get("value") if isinstance(figure_or_value, dict) else figure_or_value
    return "no data" if value is None else f"{value:.1f}%"


def share(part: int, whole: int) -> str:
    return DASH if not whole else f"{part * 100 / whole:.1f}%"


def this_year_and_last(f: ReportFigures, label: str, key: str, *, count: bool = False) -> list[str]:
    """A table row: the figure ``key`` for the reporting year and the year before, as a
    percentage (or, with ``count``, as a count)."""
    shown = (lambda year: n(f.value(key, back=year))) if count else (lambda year: pct(f.fig(key, back=year)))
    return [label, shown(0), shown(1)]


def rate_point(figure: dict) -> dict:
    return {"value": figure["value"], "numerator": figure["numerator"], "denominator": figure["denominator"]}


def paragraph(text: str) -> dict:
    return {"type": "paragraph", "text": text}


def bullets(items: list[str]) -> dict:
    return {"type": "bullets", "items": items}


def table(caption: str, head: list[str], rows: list[list[str]], *, total: list[str] | None = None) -> dict:
    """A table: the first column names each row, the rest are figures (right-aligned)."""
    return {"type": "table", "caption": caption, "head": head, "rows": rows, "total": total}


def chart(*, title: str, unit: str, points: list[dict], alt: str, data: dict | None, comparators=()) -> dict:
    """A line chart, drawn by ``reports.charts`` when the documents are written: ``points`` are
    ``{"date", "value"}`` (with ``numerator`` and ``denominator`` for a rate), ``unit`` "%" or
    "count", ``comparators`` (name, value) pairs drawn as lines; ``data`` is the table of the same
    figures printed under it (None when the section's table just before holds them), and
    ``alt`` says in words what it shows."""
    return {
        "type": "chart",
        "title": title,
        "unit": unit,
        "points": points,
        "alt": alt,
        "data": data,
        "comparators": [list(pair) for pair in comparators],
    }


def _ours(figure: dict, kind: str) -> str:
    if kind == "series":  # a series compares at its last point, the year end
        points = figure.get("value") or []
        return pct(points[-1]) if points else DASH
    return pct(figure) if kind == "rate" else n(figure.get("value"))


def comparators_table(f: ReportFigures, title: str, keys: list[str]) -> dict | None:
    """The section's figures (``keys``, the reporting year's figures it printed) that managers
    entered comparators for, each beside them: one row a figure, one column a comparator
    (statistical neighbours, England). None when there are none."""
    keys = [key for key in keys if f.comparators(key)]
    if not keys:
        return None
    sources = list(dict.fromkeys(row["name"] for key in keys for row in f.comparators(key)))
    rows = []
    for key in keys:
        theirs = {row["name"]: row["shown"] for row in f.comparators(key)}
        rows.append(
            [REGISTRY[key].label, _ours(f.fig(key), REGISTRY[key].kind)]
            + [theirs.get(source, DASH) for source in sources]
        )
    return table(
        f"{title}: our figures beside comparators, {f.label()}",
        ["Figure", f.council, *sources],
        rows,
    )
