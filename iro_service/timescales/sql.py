"""The date rules of ``iro_service.timescales.dates`` as PostgreSQL expressions, for figures and
lists that count thousands of rows in one query. Each one agrees with its Python twin (tested in
tests/timescales/test_sql.py); nothing else writes date arithmetic in SQL."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import DateField, Func, IntegerField

from iro_service.timescales.dates import is_working_day


class AddMonths(Func):
    """``date + N months`` in PostgreSQL, which clamps to the month's last day exactly like
    ``dates.add_months`` (31 Aug + 6 months = 28 Feb)."""

    output_field = DateField()

    def __init__(self, expression, months: int):
        super().__init__(expression, template=f"(%(expressions)s + interval '{int(months)} months')::date")


class WorkingDaysAfter(Func):
    """How many working days after ``start`` ``day`` is (``start`` is day 0), counted in SQL
    from a list of the non-working weekdays (``non_working_weekdays``) the Python rules know."""

    output_field = IntegerField()

    def __init__(self, start, day, closed_days: list[date]):
        self.closed_days = closed_days
        super().__init__(start, day)

    def as_sql(self, compiler, connection, **extra):
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        day_sql, day_params = compiler.compile(self.source_expressions[1])
        sql = (
            f"(SELECT count(*) FROM generate_series(({start_sql}) + 1, ({day_sql}), interval '1 day') AS g(d)"  # nosec B608
            " WHERE extract(isodow FROM g.d) < 6 AND NOT (g.d::date = ANY(%s::date[])))"
        )
        return sql, (*start_params, *day_params, self.closed_days)


def non_working_weekdays(start: date, end: date) -> list[date]:
    """The weekdays from ``start`` to ``end`` that are not working days (bank holidays and the
    council's extra non-working days): what ``WorkingDaysAfter`` leaves out besides weekends."""
    day, closed = start, []
    while day <= end:
        if day.weekday() < 5 and not is_working_day(day):
            closed.append(day)
        day += timedelta(days=1)
    return closed
