"""The four date functions of domain.md section 1, table-driven. Every expected date below was
counted by hand on a calendar; the comment on each row shows the count."""

from datetime import date, timedelta

import holidays
import pytest

from iro_service.timescales.dates import (
    add_months,
    add_working_days,
    is_working_day,
    working_days_before,
)
from iro_service.timescales.services import non_working_day_add, non_working_day_remove

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2017, 1, 4), True),  # an ordinary Wednesday
        (date(2017, 4, 1), False),  # Saturday
        (date(2017, 4, 2), False),  # Sunday
        (date(2016, 12, 25), False),  # Christmas Day on a Sunday
        (date(2016, 12, 26), False),  # Boxing Day
        (date(2016, 12, 27), False),  # substitute day for Christmas
        (date(2017, 1, 2), False),  # substitute day for New Year's Day
        (date(2017, 4, 14), False),  # Good Friday
        (date(2017, 4, 17), False),  # Easter Monday (needs subdiv="ENG")
        (date(2017, 8, 28), False),  # August bank holiday (needs subdiv="ENG")
        (date(2022, 6, 3), False),  # Platinum Jubilee bank holiday
        (date(2022, 9, 19), False),  # state funeral of Queen Elizabeth II
        (date(2023, 5, 8), False),  # coronation of King Charles III
        (date(2023, 5, 9), True),
        (date(2017, 3, 17), True),  # St Patrick's Day is a holiday in Northern Ireland only
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        # domain.md: Fri 16 Dec 2016 + 20 WD. Dec 19-23 (5); 26 Boxing Day, 27 substitute;
        # 28-30 (8); Jan 2 substitute; 3-6 (12); 9-13 (17); 16, 17, 18 (20).
        (date(2016, 12, 16), 20, date(2017, 1, 18)),
        # domain.md: Thu 6 Apr 2017 + 15 WD. 7 (1); 10-13 (5); 14 Good Friday, 17 Easter
        # Monday; 18-21 (9); 24-28 (14); 1 May bank holiday; 2 May (15).
        (date(2017, 4, 6), 15, date(2017, 5, 2)),
        # domain.md: Fri 9 Sep 2022 + 15 WD. 12-16 (5); 19 state funeral; 20-23 (9);
        # 26-30 (14); 3 Oct (15).
        (date(2022, 9, 9), 15, date(2022, 10, 3)),
        # Fri 5 May 2023 + 1: Mon 8 May is the coronation bank holiday.
        (date(2023, 5, 5), 1, date(2023, 5, 9)),
        # Day 0 may be a weekend: Sat 7 Jan 2017 + 1 is Mon 9 Jan.
        (date(2017, 1, 7), 1, date(2017, 1, 9)),
        # Zero working days is the date itself, whatever the day.
        (date(2017, 1, 7), 0, date(2017, 1, 7)),
        # Christmas 2020: Fri 25 Dec, Mon 28 Dec substitute Boxing Day.
        (date(2020, 12, 24), 1, date(2020, 12, 29)),
        # Easter 2016: Good Friday 25 Mar, Easter Monday 28 Mar.
        (date(2016, 3, 24), 1, date(2016, 3, 29)),
        # August bank holiday 2017 is Mon 28 Aug.
        (date(2017, 8, 25), 1, date(2017, 8, 29)),
        # A 20 WD record timescale across New Year 2017 from Thu 22 Dec: 23 (1); 28-30 (4);
        # 3-6 (8); 9-13 (13); 16-20 (18); 23, 24 (20).
        (date(2016, 12, 22), 20, date(2017, 1, 24)),
        # Across a leap day: Fri 26 Feb 2016 + 2 = Mon 29 Feb (1), Tue 1 Mar (2).
        (date(2016, 2, 26), 2, date(2016, 3, 1)),
    ],
)
def test_add_working_days(start, count, expected):
    assert add_working_days(start, count) == expected


@pytest.mark.parametrize(
    ("meeting", "count", "expected"),
    [
        # Report 3 WD before Tue 2 May 2017: Mon 1 May bank holiday; Fri 28 (1), Thu 27 (2),
        # Wed 26 (3).
        (date(2017, 5, 2), 3, date(2017, 4, 26)),
        # 2 WD before Mon 9 Jan 2017: Fri 6 (1), Thu 5 (2).
        (date(2017, 1, 9), 2, date(2017, 1, 5)),
        # 1 WD before Wed 28 Dec 2016: 27 substitute, 26 Boxing Day, weekend, Fri 23 (1).
        (date(2016, 12, 28), 1, date(2016, 12, 23)),
        # 1 WD before Tue 29 Aug 2017: Mon 28 bank holiday, weekend, Fri 25 (1).
        (date(2017, 8, 29), 1, date(2017, 8, 25)),
        # 1 WD before Tue 20 Sep 2022: Mon 19 state funeral, weekend, Fri 16 (1).
        (date(2022, 9, 20), 1, date(2022, 9, 16)),
        # 3 WD before Tue 18 Apr 2017: Mon 17 Easter Monday, Fri 14 Good Friday; Thu 13 (1),
        # Wed 12 (2), Tue 11 (3).
        (date(2017, 4, 18), 3, date(2017, 4, 11)),
        (date(2017, 1, 9), 0, date(2017, 1, 9)),
    ],
)
def test_working_days_before(meeting, count, expected):
    assert working_days_before(meeting, count) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2017, 1, 31), 3, date(2017, 4, 30)),  # domain.md: clamped to 30 April
        (date(2016, 8, 31), 6, date(2017, 2, 28)),  # domain.md: clamped to 28 February
        (date(2015, 8, 31), 6, date(2016, 2, 29)),  # ...or to 29 February in a leap year
        (date(2016, 2, 29), 12, date(2017, 2, 28)),  # leap day forward a year
        (date(2016, 11, 30), 3, date(2017, 2, 28)),
        (date(2016, 11, 15), 3, date(2017, 2, 15)),  # across the year end
        (date(2016, 10, 15), 6, date(2017, 4, 15)),
        (date(2016, 10, 1), 6, date(2017, 4, 1)),  # a Saturday: not moved off the weekend
        (date(2016, 12, 25), 6, date(2017, 6, 25)),  # not moved off a Sunday either
        (date(2016, 4, 1), 0, date(2016, 4, 1)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_an_extra_non_working_day_moves_due_dates_until_removed():
    """GIVEN the council closes on Tue 3 Jan 2017
    WHEN a manager records it as an extra non-working day
    THEN 20 WD after Fri 16 Dec 2016 is Thu 19 Jan instead of Wed 18 Jan, and removing the
    day puts it back."""
    closure = non_working_day_add(day=date(2017, 1, 3), description="Council closure day")
    assert not is_working_day(date(2017, 1, 3))
    assert add_working_days(date(2016, 12, 16), 20) == date(2017, 1, 19)
    assert working_days_before(date(2017, 1, 4), 1) == date(2016, 12, 30)

    non_working_day_remove(record=closure)
    assert add_working_days(date(2016, 12, 16), 20) == date(2017, 1, 18)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="must not be negative"):
        add_working_days(date(2017, 1, 4), -1)
    with pytest.raises(ValueError, match="must not be negative"):
        working_days_before(date(2017, 1, 4), -1)


def test_every_day_from_2005_to_2040_is_a_bank_holiday_exactly_when_the_package_says():
    """The per-year sets ``is_working_day`` reads agree with the holidays package's own lookup
    (England's subdivision) on every weekday of 36 years, substitute days included (Mon 28 Dec
    2020 for Boxing Day on a Saturday is one)."""
    package = holidays.country_holidays("GB", subdiv="ENG")
    day, checked, bank_holidays = date(2005, 1, 1), 0, 0
    while day <= date(2040, 12, 31):
        if day.weekday() < 5:
            assert is_working_day(day, extra=frozenset()) == (day not in package), day
            checked += 1
            bank_holidays += day in package
        day += timedelta(days=1)
    # 36 years of weekdays, and about eight bank holidays a year on them.
    assert checked > 36 * 260 and 36 * 7 < bank_holidays < 36 * 10
    assert not is_working_day(date(2020, 12, 28), extra=frozenset())
