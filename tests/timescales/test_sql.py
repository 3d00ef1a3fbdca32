"""The SQL twins of the date rules agree with the Python ones (domain.md section 1 examples)."""

from datetime import date

import pytest
from django.db.models import Value
from django.db.models.fields import DateField

from iro_service.people.models import Team
from iro_service.timescales.dates import add_months, add_working_days
from iro_service.timescales.sql import AddMonths, WorkingDaysAfter, non_working_weekdays

pytestmark = pytest.mark.django_db


def _sql(expression):
    # Any table with one row will do: the expression does not read it.
    Team.objects.create(name="Any")
    return Team.objects.annotate(result=expression).values_list("result", flat=True).get()


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2017, 1, 31), 3, date(2017, 4, 30)),
        (date(2016, 8, 31), 6, date(2017, 2, 28)),
        (date(2019, 8, 31), 6, date(2020, 2, 29)),
        (date(2016, 4, 1), 24, date(2018, 4, 1)),
    ],
)
def test_add_months_in_sql_clamps_like_the_python_rule(start, months, expected):
    assert add_months(start, months) == expected
    assert _sql(AddMonths(Value(start, output_field=DateField()), months)) == expected


@pytest.mark.parametrize(
    ("start", "count"),
    [(date(2016, 12, 16), 20), (date(2017, 4, 6), 15), (date(2022, 9, 9), 15)],
)
def test_working_days_after_in_sql_counts_what_add_working_days_adds(start, count):
    # 20 WD after Fri 16 Dec 2016 is Wed 18 Jan 2017; 15 after Thu 6 Apr 2017 is Tue 2 May 2017;
    # 15 after Fri 9 Sep 2022 is Mon 3 Oct 2022 (the state funeral on 19 Sep not counted).
    end = add_working_days(start, count)
    closed = non_working_weekdays(start, end)
    counted = _sql(
        WorkingDaysAfter(Value(start, output_field=DateField()), Value(end, output_field=DateField()), closed)
    )
    assert counted == count


def test_non_working_weekdays_lists_the_bank_holidays_not_the_weekends():
    # Christmas 2016: Sun 25 and Mon 26 Dec, with the substitute day Tue 27 Dec.
    assert non_working_weekdays(date(2016, 12, 24), date(2016, 12, 28)) == [
        date(2016, 12, 26),
        date(2016, 12, 27),
    ]
