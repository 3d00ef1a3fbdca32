"""The figures one year's report reads: the figures service for the reporting year and the years
before it (where the report compares years), the comparators managers entered, and the names
of the councils' own lists (concern categories, escalation stages). Each figure is computed once
per assembly, however many sections print it."""

from __future__ import annotations

from datetime import date

from qa_alerts import selectors as qa_alerts_selectors
from reports.figures import REGISTRY, FigureQuery
from reports.figures.base import figures_run, sub_periods


def reporting_year(year_end: int, back: int = 0) -> tuple[date, date]:
    """The year ending 31 March ``year_end - back``, as the figures service's period."""
    return date(year_end - back - 1, 4, 1), date(year_end - back, 3, 31)


def year_label(year_end: int, back: int = 0) -> str:
    end = year_end - back
    return f"{end - 1}-{str(end)[2:]}"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


class ReportFigures:
    """Figures for the report of the year ending 31 March ``year_end``. ``comparators`` maps a
    figure key to rows ``{"name", "period", "shown"}``; ``recommendations`` and ``progress`` are
    the version's, as plain rows."""

    def __init__(
        self,
        *,
        year_end: int,
        council: str,
        comparators: dict[str, list[dict]] | None = None,
        recommendations: list[dict] | None = None,
        progress: list[dict] | None = None,
    ):
        self.year_end = year_end
        self.council = council
        self._comparators = comparators or {}
        self._recommendations = recommendations or []
        self._progress = progress or []
        self._cache: dict[tuple, dict] = {}
        self._names: dict[str, dict] = {}
        # The figures of the reporting year read since ``reading_start``, in the order read: the
        # section being built prints its comparators beside them.
        self._read: list[str] = []

    # -- figures --
    def fig(self, key: str, *, back: int = 0) -> dict:
        """The figure ``key`` for the reporting year (``back`` years earlier)."""
        if not back and key not in self._read:
            self._read.append(key)
        cached = (key, back)
        if cached not in self._cache:
            start, end = reporting_year(self.year_end, back)
            with figures_run():  # read from the replica where there is one
                self._cache[cached] = REGISTRY[key].compute(FigureQuery(start=start, end=end))
        return self._cache[cached]

    def value(self, key: str, *, back: int = 0):
        return self.fig(key, back=back)["value"]

    def monthly(self, key: str) -> list[tuple[str, dict]]:
        """The figure for each month of the reporting year, with the month's name."""
        start, end = reporting_year(self.year_end)
        with figures_run():
            return [
                (f"{first:%B %Y}", REGISTRY[key].compute(FigureQuery(start=first, end=last)))
                for first, last in sub_periods(start, end, "month")
            ]

    def reading_start(self) -> None:
        self._read = []

    def read(self) -> list[str]:
        """The keys of the reporting year's figures read since ``reading_start``."""
        return list(self._read)

    def comparators(self, key: str) -> list[dict]:
        return self._comparators.get(key, [])

    def comparator_lines(self, key: str) -> list[tuple[str, float]]:
        """The comparators of ``key`` as lines for its chart: (name, value)."""
        return [(row["name"], row["value"]) for row in self.comparators(key) if row.get("value") is not None]

    def month_ends(self) -> list[str]:
        start, end = reporting_year(self.year_end)
        return [last.isoformat() for _, last in sub_periods(start, end, "month")]

    def recommendations(self) -> list[dict]:
        return self._recommendations

    def progress(self) -> list[dict]:
        return self._progress

    def concern_category_names(self) -> dict[str, str]:
        if "categories" not in self._names:
            self._names["categories"] = {c.code: c.name for c in qa_alerts_selectors.concern_categories()}
        return self._names["categories"]

    def stage_names(self) -> dict[str, str]:
        if "stages" not in self._names:
            names = qa_alerts_selectors.escalation_stage_names()
            self._names["stages"] = {
                str(number): qa_alerts_selectors.stage_name(number, names) for number in range(len(names) + 1)
            }
        return self._names["stages"]

    # -- words --
    def label(self, back: int = 0) -> str:
        return year_label(self.year_end, back)

    def period_words(self) -> str:
        start, end = reporting_year(self.year_end)
        return f"{_day(start)} to {_day(end)}"

    def end_words(self, back: int = 0) -> str:
        return _day(reporting_year(self.year_end, back)[1])

    @staticmethod
    def month_words(iso_day: str) -> str:
        return f"{date.fromisoformat(iso_day):%B %Y}"
