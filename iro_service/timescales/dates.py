"""The four date functions of domain.md section 1. Nothing else in the system does date
arithmetic for timescales: every due date is derived here from a dated fact.

- ``is_working_day(d)``: Monday to Friday, not an England bank holiday, not an extra
  non-working day recorded by a manager.
- ``add_working_days(d, n)``: "within n working days of d" - the nth working day after d
  (d itself is day 0, whatever day of the week it is).
- ``working_days_before(m, n)``: "at least n working days before m" - the nth working day
  before m.
- ``add_months(d, n)``: "within n months of d" - d + n calendar months, clamped to the last
  day of a shorter month, not moved off a weekend.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.core.cache import cache

EXTRA_DAYS_CACHE_KEY = "timescales:extra-non-working-days"
EXTRA_DAYS_CACHE_SECONDS = 600


@lru_cache(maxsize=1)
def _bank_holidays() -> holidays.HolidayBase:
    # subdiv="ENG" matters: without it the package drops Easter Monday and the August bank
    # holiday. The object fills in further years on demand as dates are looked up.
    return holidays.country_holidays("GB", subdiv="ENG")


@functools.cache
def _bank_holidays_of(year: int) -> frozenset[date]:
    """England's bank holidays of one calendar year, as a set: looking a day up in the
    package's object costs several times as much, and the due-date refresh and the synthetic
    data look up millions of days."""
    return frozenset(
        day for day in _bank_holidays()[date(year, 1, 1) : date(year + 1, 1, 1)] if day.year == year
    )


def extra_non_working_days() -> frozenset[date]:
    """The manager-maintained table of extra non-working days, cached until it changes (or
    for ten minutes). While the cache is down this reads the table each time."""
    days = cache.get(EXTRA_DAYS_CACHE_KEY)
    if days is None:
        from iro_service.timescales.models import NonWorkingDay

        days = frozenset(NonWorkingDay.objects.values_list("date", flat=True))
        # Not kept for ever: if Redis was down when a change tried to forget the old list,
        # the old list must not outlive the outage by more than this.
        cache.set(EXTRA_DAYS_CACHE_KEY, days, timeout=EXTRA_DAYS_CACHE_SECONDS)
    return days


def forget_extra_non_working_days() -> None:
    cache.delete(EXTRA_DAYS_CACHE_KEY)


def is_working_day(day: date, *, extra: Iterable[date] | None = None) -> bool:
    """True for Monday to Friday that is neither a bank holiday in England nor an extra
    non-working day."""
    if day.weekday() >= 5:
        return False
    if day in _bank_holidays_of(day.year):
        return False
    extra_days = extra_non_working_days() if extra is None else extra
    return day not in extra_days


def add_working_days(start: date, count: int, *, extra: Iterable[date] | None = None) -> date:
    """The ``count``th working day after ``start`` (``start`` is day 0)."""
    if count < 0:
        raise ValueError("count must not be negative; use working_days_before")
    extra_days = extra_non_working_days() if extra is None else frozenset(extra)
    return _counted(start, count, 1, extra_days)


def working_days_before(meeting: date, count: int, *, extra: Iterable[date] | None = None) -> date:
    """The ``count``th working day before ``meeting``: the last date on which something due
    "at least ``count`` working days before" the meeting is on time."""
    if count < 0:
        raise ValueError("count must not be negative; use add_working_days")
    extra_days = extra_non_working_days() if extra is None else frozenset(extra)
    return _counted(meeting, -count, -1, extra_days)


@lru_cache(maxsize=65536)
def _counted(start: date, count: int, step: int, extra_days: frozenset[date]) -> date:
    """The ``abs(count)``th working day after (``step`` 1) or before (``step`` -1) ``start``.
    Kept for the same day, count and extra non-working days: the answer cannot change unless
    one of them does (bank holidays are fixed in the package), and the same few thousand
    dates are asked for again and again by a refresh or a figure."""
    day = start
    remaining = abs(count)
    one_day = timedelta(days=step)
    while remaining:
        day += one_day
        if is_working_day(day, extra=extra_days):
            remaining -= 1
    return day


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, clamped to the end of a shorter month."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def collection_year(day: date) -> int:
    """The collection (reporting) year a date falls in, named by the year it ends, as the DfE
    names its returns: 1 April 2016 to 31 March 2017 is 2017."""
    return day.year + 1 if day.month >= 4 else day.year


def collection_year_bounds(year: int) -> tuple[date, date]:
    """The first and last day of collection year ``year``: 2017 is 1 April 2016 to 31 March 2017."""
    return date(year - 1, 4, 1), date(year, 3, 31)
