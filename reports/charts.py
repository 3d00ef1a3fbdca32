"""Trend charts of the performance figures, drawn by matplotlib: SVG for pages and PDF, PNG for
Word. One chart path serves the dashboards and the annual report.

A chart is never only a picture: every ``TrendChart`` carries its alt text (``alt``), a sentence
or two saying what it shows (``summary``) and the numbers it is drawn from (``table``), which
pages show under a details element and documents print beside it.

Use:

    from reports.charts import figure_trend, trend_window

    start, end = trend_window(end=date(2017, 3, 31), months=12)
    chart = figure_trend(key="lac_reviews_on_time", query=FigureQuery(start=start, end=end))
    chart.svg()        # str: an <svg> document (put it in <img src="data:..."> with chart.alt)
    chart.svg_data_uri()  # the same as a data: URI, which the Content-Security-Policy allows
    chart.png()        # bytes: a PNG at 150 dpi, for python-docx's add_picture
    chart.alt, chart.summary, chart.table  # text, text, TableData(headers, rows)

or, for numbers that do not come from one figure, ``TrendChart(title=..., unit=..., points=[...])``.

Drawing is slow (tens of milliseconds a chart), so drawings are cached. The cache key is a hash
of everything drawn (title, unit, points, target, comparators), so a chart is reused exactly as
long as the data it shows is unchanged, and a changed record gives a new key, never a stale
picture.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache

from reports.figures import REGISTRY, FigureQuery
from reports.figures.base import figures_run, month_ends, quarter_ends
from reports.selectors import figure_series

# Bump when the drawing code changes, so cached drawings of the old look are not reused.
DRAWING_VERSION = 1
CACHE_SECONDS = 7 * 24 * 60 * 60
INTERVALS = ("month", "quarter")
# Kinds of figure a trend can be drawn for: a breakdown has no single number per period.
CHARTABLE_KINDS = ("count", "rate", "series")

# GOV.UK colours; the line is also told apart by its markers and the target by its dashes.
_LINE = "#1d70b8"
_TARGET = "#505a5f"
_COMPARATOR = "#912b88"


@dataclass(frozen=True)
class ChartPoint:
    """One period of a trend: its last day, its value (None when there was nothing to count),
    and for a rate its numerator and denominator."""

    day: date
    value: float | None
    numerator: int | None = None
    denominator: int | None = None

    @property
    def label(self) -> str:
        return self.day.strftime("%b %Y")


@dataclass(frozen=True)
class TableData:
    """The numbers a chart is drawn from, as a caption, column headings and rows of text."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class TrendChart:
    """A line chart of one figure over time, with an optional target line and comparator lines
    (``comparators``: (label, value) pairs, such as ("England", 8.0))."""

    title: str
    unit: str  # "%" or "count"
    points: tuple[ChartPoint, ...]
    target: float | None = None
    comparators: tuple[tuple[str, float], ...] = field(default=())
    interval: str = "month"

    def __post_init__(self):
        object.__setattr__(self, "points", tuple(self.points))
        object.__setattr__(self, "comparators", tuple((str(n), float(v)) for n, v in self.comparators))

    # --- the words ---------------------------------------------------------------------------

    def _shown(self, value) -> str:
        if value is None:
            return "no data"
        number = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{number}%" if self.unit == "%" else number

    @property
    def alt(self) -> str:
        """Alt text: what the picture is, in one sentence (the summary says what it shows)."""
        if not self.points:
            return f"Chart of {self.title}: no periods to show."
        each = "month" if self.interval == "month" else "quarter"
        return (
            f"Line chart of {self.title} for each {each} from {self.points[0].label} "
            f"to {self.points[-1].label}."
        )

    @property
    def summary(self) -> str:
        """What the chart shows, in words: first and last value, the highest and lowest, and the
        target and comparators, so that someone who cannot see it loses nothing."""
        known = [p for p in self.points if p.value is not None]
        if not known:
            return f"{self.title}: there is no data for any period shown."
        first, last = known[0], known[-1]
        highest = max(known, key=lambda p: p.value)
        lowest = min(known, key=lambda p: p.value)
        if last.value > first.value:
            change = "rose"
        elif last.value < first.value:
            change = "fell"
        else:
            change = "was unchanged"
        words = [
            f"{self.title} {change} from {self._shown(first.value)} in {first.label} "
            f"to {self._shown(last.value)} in {last.label}.",
        ]
        if len(known) > 2:
            words.append(
                f"It was highest in {highest.label} ({self._shown(highest.value)}) "
                f"and lowest in {lowest.label} ({self._shown(lowest.value)})."
            )
        if self.target is not None:
            words.append(f"The target is {self._shown(self.target)}.")
        for name, value in self.comparators:
            words.append(f"{name}: {self._shown(value)}.")
        missing = len(self.points) - len(known)
        if missing:
            words.append(f"{missing} period{'s' if missing != 1 else ''} had nothing to count.")
        return " ".join(words)

    @property
    def table(self) -> TableData:
        """The chart's data, one row per period, in the order drawn."""
        is_rate = any(p.denominator is not None for p in self.points)
        headers = ("Period ending", self.title, *(("Numerator", "Denominator") if is_rate else ()))
        rows = []
        for point in self.points:
            row = [f"{point.day.day} {point.day:%B %Y}", self._shown(point.value)]
            if is_rate:
                row += [
                    str(point.numerator if point.numerator is not None else ""),
                    str(point.denominator if point.denominator is not None else ""),
                ]
            rows.append(tuple(row))
        return TableData(caption=f"Data for the chart of {self.title}", headers=headers, rows=tuple(rows))

    # --- the pictures ------------------------------------------------------------------------

    def cache_key(self, fmt: str) -> str:
        drawn = repr(
            (
                DRAWING_VERSION,
                fmt,
                self.title,
                self.unit,
                self.interval,
                self.points,
                self.target,
                self.comparators,
            )
        )
        return f"reports:chart:{hashlib.sha256(drawn.encode()).hexdigest()}"

    def svg(self) -> str:
        """The chart as an SVG document (text kept as text, so it scales and prints sharply)."""
        return self._drawn("svg").decode()

    def svg_data_uri(self) -> str:
        import base64

        return "data:image/svg+xml;base64," + base64.b64encode(self._drawn("svg")).decode()

    def png(self) -> bytes:
        """The chart as a PNG at 150 dpi, for Word documents."""
        return self._drawn("png")

    def _drawn(self, fmt: str) -> bytes:
        key = self.cache_key(fmt)
        drawing = cache.get(key)
        if drawing is None:
            drawing = self._draw(fmt, salt=key)
            cache.set(key, drawing, CACHE_SECONDS)
        return drawing

    def _draw(self, fmt: str, *, salt: str) -> bytes:
        # The object-oriented API with no pyplot: no global figure state shared between threads.
        from matplotlib import rc_context
        from matplotlib.figure import Figure as MplFigure

        settings = {
            "svg.fonttype": "none",
            # Element ids drawn from the chart's own key: the same chart is the same bytes, and two
            # charts on one page never share an id.
            "svg.hashsalt": salt,
            "font.family": ["DejaVu Sans", "sans-serif"],
            "font.size": 9,
        }
        with rc_context(settings):
            figure = MplFigure(figsize=(7.0, 2.8), dpi=150)
            axes = figure.add_subplot()
            positions = list(range(len(self.points)))
            values = [float("nan") if p.value is None else p.value for p in self.points]
            axes.plot(
                positions, values, color=_LINE, marker="o", markersize=3.5, linewidth=1.8, label=self.title
            )
            if self.target is not None:
                axes.axhline(
                    self.target,
                    color=_TARGET,
                    linestyle="--",
                    linewidth=1.2,
                    label=f"Target ({self._shown(self.target)})",
                )
            for index, (name, value) in enumerate(self.comparators):
                axes.axhline(
                    value,
                    color=_COMPARATOR,
                    linestyle=(0, (1, 2 + index)),
                    linewidth=1.2,
                    label=f"{name} ({self._shown(value)})",
                )
            step = max(1, len(self.points) // 12)
            axes.set_xticks(positions[::step], [p.label for p in self.points][::step], rotation=0)
            axes.tick_params(axis="x", labelsize=7)
            axes.set_title(self.title, loc="left", fontsize=10)
            axes.set_ylabel("%" if self.unit == "%" else "number")
            if self.unit == "%":
                axes.set_ylim(bottom=0, top=max(100.0, *[v for v in values if v == v] or [100.0]) * 1.02)
            else:
                axes.set_ylim(bottom=0)
            axes.grid(axis="y", color="#b1b4b6", linewidth=0.5)
            for side in ("top", "right"):
                axes.spines[side].set_visible(False)
            if self.target is not None or self.comparators:
                axes.legend(loc="lower left", fontsize=7, frameon=False)
            figure.tight_layout()
            out = io.BytesIO()
            # No date in the metadata: the same chart draws to the same bytes.
            metadata = {"Date": None} if fmt == "svg" else {}
            figure.savefig(out, format=fmt, metadata=metadata)
            return out.getvalue()


# --- trends of the figures service's figures --------------------------------------------------


def trend_window(*, end: date, months: int) -> tuple[date, date]:
    """The ``months`` calendar months ending with the month of ``end``, to ``end``: 12 months to
    31 March 2017 are 1 April 2016 to 31 March 2017, 24 months start on 1 April 2015."""
    index = end.year * 12 + end.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1), end


def figure_trend_points(
    *, key: str, query: FigureQuery, interval: str = "month"
) -> tuple[list[ChartPoint], str]:
    """The figure ``key`` for each month (or quarter) of the query's period, from the figures
    service, and the unit of its values ("%" or "count"). A series figure (a value at each month
    or quarter end) is its own trend: it is computed once for the whole period and its points
    taken as they are, the quarter ends only for a quarterly trend."""
    figure = REGISTRY[key]
    if figure.kind not in CHARTABLE_KINDS:
        raise ValueError(f"{key} is a breakdown: it has no single number to draw over time.")
    if interval not in INTERVALS:
        raise ValueError("interval must be month or quarter")
    if figure.kind == "series":
        with figures_run():
            result = figure.compute(query)
        ends = (month_ends if interval == "month" else quarter_ends)(query.start, query.end)
        wanted = {day.isoformat() for day in ends}
        points = [
            ChartPoint(
                day=date.fromisoformat(point["date"]),
                value=point["value"],
                numerator=point.get("numerator"),
                denominator=point.get("denominator"),
            )
            for point in result["value"]
            if point["date"] in wanted
        ]
        return points, result["unit"]
    document = figure_series(query=query, key=key, interval=interval)
    points = [
        ChartPoint(
            day=date.fromisoformat(point["end"]),
            value=point["figure"]["value"],
            numerator=point["figure"].get("numerator"),
            denominator=point["figure"].get("denominator"),
        )
        for point in document["points"]
    ]
    return points, "%" if figure.kind == "rate" else "count"


def figure_trend(
    *,
    key: str,
    query: FigureQuery,
    interval: str = "month",
    target: float | None = None,
    comparators: Sequence[tuple[str, float]] = (),
) -> TrendChart:
    """The trend chart of figure ``key`` over the query's period (its team and IRO filters
    included), with the target and comparators drawn as lines when given. Raises ValueError for
    a breakdown figure or an unknown interval."""
    points, unit = figure_trend_points(key=key, query=query, interval=interval)
    return TrendChart(
        title=REGISTRY[key].label,
        unit=unit,
        points=tuple(points),
        target=None if target is None else float(target),
        comparators=tuple(comparators),
        interval=interval,
    )
