"""The period a dashboard shows, chosen by reporting year, quarter, month or from and to dates,
with the period before it and the same period a year earlier for comparison."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from iro_service.timescales.dates import collection_year, collection_year_bounds

# Quarters of the reporting year (1 April to 31 March), as councils number them.
QUARTERS = {1: (4, 6), 2: (7, 9), 3: (10, 12), 4: (1, 3)}
QUARTER_NAMES = {1: "April to June", 2: "July to September", 3: "October to December", 4: "January to March"}
# Months of the reporting year in order, April first.
YEAR_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


def year_label(year: int) -> str:
    """2017 -> '2016-17'."""
    return f"{year - 1}-{year % 100:02d}"


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Period:
    """A reporting period: ``kind`` is year, quarter, month or range; ``year`` the reporting year
    it falls in (for targets and comparators, by its end date)."""

    kind: str
    start: date
    end: date

    @property
    def year(self) -> int:
        return collection_year(self.end)

    @property
    def label(self) -> str:
        if self.kind == "year":
            return year_label(collection_year(self.start))
        if self.kind == "quarter":
            number = next(n for n, (first, _) in QUARTERS.items() if first == self.start.month)
            year = year_label(collection_year(self.start))
            return f"Q{number} {year} ({QUARTER_NAMES[number]} {self.end.year})"
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        return f"{_long(self.start)} to {_long(self.end)}"

    @property
    def dates(self) -> str:
        return f"{_long(self.start)} to {_long(self.end)}"

    def previous(self) -> Period:
        """The period just before: the year, quarter or month before, or as many days before."""
        if self.kind == "range":
            length = (self.end - self.start).days + 1
            return Period("range", self.start - timedelta(days=length), self.start - timedelta(days=1))
        months = {"year": 12, "quarter": 3, "month": 1}[self.kind]
        return Period(
            self.kind, _shift_months(self.start, -months), _month_end(_shift_months(self.end, -months))
        )

    def year_before(self) -> Period:
        """The same period a year earlier."""
        if self.kind == "range":
            return Period("range", _shift_months(self.start, -12), _shift_months(self.end, -12))
        return Period(self.kind, _shift_months(self.start, -12), _month_end(_shift_months(self.end, -12)))


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def year_period(year: int) -> Period:
    return Period("year", *collection_year_bounds(year))


def quarter_period(year: int, quarter: int) -> Period:
    first, last = QUARTERS[quarter]
    calendar_year = year if quarter == 4 else year - 1
    return Period("quarter", date(calendar_year, first, 1), _month_end(date(calendar_year, last, 1)))


def month_period(year: int, month: int) -> Period:
    calendar_year = year if month <= 3 else year - 1
    return Period("month", date(calendar_year, month, 1), _month_end(date(calendar_year, month, 1)))
