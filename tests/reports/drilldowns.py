"""The check that the records behind a figure add up to it, as
``reports.dashboards.drilldown.COVER`` says: used on the demo county and on the hand-built
counties of the figures' own tests."""

from __future__ import annotations

from reports.dashboards.drilldown import COVER, rows_counted
from reports.figures import REGISTRY, FigureQuery
from reports.selectors import figure_records

WITH_RECORDS = sorted(key for key, figure in REGISTRY.items() if figure.records is not None)


def rows_disagree(key: str, query: FigureQuery) -> list[str]:
    """What does not add up between figure ``key`` and its drill-down's rows for ``query``, in
    the figure's terms (``COVER``); nothing when the rows are the figure's."""
    cover = COVER[key]
    result = REGISTRY[key].compute(query)
    rows = figure_records(query=query, key=key)
    counted = rows_counted(key, rows)
    wrong = []

    def expect(what, expected, got):
        if expected != got:
            wrong.append(f"{key} {query.filters}: {what} {expected}, rows give {got}")

    if cover.rows == "value":
        expect("value", result["value"], counted)
    elif cover.rows == "denominator":
        expect("denominator", result["denominator"], counted)
        expect("numerator", result["numerator"], sum(1 for row in rows if cover.numerator(row)))
    elif cover.rows == "numerator":
        expect("numerator", result["numerator"], counted)
        if cover.whole:
            expect("denominator", result["denominator"], len(figure_records(query=query, key=cover.whole)))
    elif cover.rows == "not_numerator":
        expect("denominator - numerator", result["denominator"] - result["numerator"], counted)
        expect("denominator", result["denominator"], len(figure_records(query=query, key=cover.whole)))
    elif cover.rows == "last_point" and cover.numerator is not None:
        last = result["value"][-1] if result["value"] else {"numerator": 0, "denominator": 0}
        expect("last point's denominator", last["denominator"], counted)
        expect("last point's numerator", last["numerator"], sum(1 for row in rows if cover.numerator(row)))
    elif cover.rows == "last_point":
        expect("last point", result["value"][-1]["value"] if result["value"] else 0, counted)
    elif cover.rows == "part":
        if result["value"] is not None:
            expect(cover.part, result[cover.part], counted)
            whole = COVER[cover.whole]
            expect(
                "the other term",
                result["fte"],
                round(whole.total(figure_records(query=query, key=cover.whole)), 2),
            )
    elif cover.rows == "total":
        expect("total of the parts", cover.total(result["value"]), counted)
    elif cover.rows == "sum":
        expect("value", result["value"], round(cover.total(rows), 1))
    else:
        wrong.append(f"{key}: unknown cover {cover.rows}")
    return wrong
