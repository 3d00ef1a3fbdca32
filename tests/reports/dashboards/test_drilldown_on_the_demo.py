"""The records behind every figure add up to it: on the demo county, for 2016-17, one team and
one IRO, the drill-down's rows count to the figure's value, or its numerator and denominator,
as ``reports.dashboards.drilldown.COVER`` says; and the drill-down page shows them all."""

from datetime import date

import pytest

from iro_service.people.models import StaffMember, Team
from reports.dashboards.drilldown import COVER, rows_counted
from reports.figures import REGISTRY, FigureQuery
from reports.selectors import figure_records

pytestmark = pytest.mark.django_db

WITH_RECORDS = sorted(key for key, figure in REGISTRY.items() if figure.records is not None)


def test_every_figure_with_a_drill_down_says_how_its_rows_add_up():
    assert sorted(COVER) == WITH_RECORDS


def _check(key: str, query: FigureQuery) -> list[str]:
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
    elif cover.rows == "last_point":
        expect("last point", result["value"][-1]["value"] if result["value"] else 0, counted)
    elif cover.rows == "total":
        expect("total of the parts", cover.total(result["value"]), counted)
    elif cover.rows == "sum":
        expect("value", result["value"], round(cover.total(rows), 1))
    else:
        wrong.append(f"{key}: unknown cover {cover.rows}")
    return wrong


@pytest.mark.parametrize("key", WITH_RECORDS)
def test_the_rows_behind_each_figure_count_to_it(demo_database, key):
    year = FigureQuery(start=date(2016, 4, 1), end=date(2017, 3, 31))
    team = Team.objects.filter(members__job_role="iro").order_by("name").first()
    iro = StaffMember.objects.iros().order_by("last_name").first()
    wrong = _check(key, year)
    wrong += _check(key, FigureQuery(start=year.start, end=year.end, team_id=team.pk))
    wrong += _check(key, FigureQuery(start=date(2016, 10, 1), end=date(2016, 12, 31), iro_id=iro.pk))
    assert wrong == []


def test_the_drill_down_page_lists_every_record_of_the_figure(demo_database, client):
    from django.contrib.auth import get_user_model

    manager = get_user_model().objects.get(username="manager")
    client.force_login(manager)
    query = FigureQuery(start=date(2016, 4, 1), end=date(2017, 3, 31))
    late = REGISTRY["lac_reviews_late"].compute(query)["value"]
    response = client.get("/reports/dashboards/performance/lac_reviews_late/records/?year=2017")
    assert response.status_code == 200
    # The seed's six late reviews, each row a link to the child's record.
    assert late == 6
    assert response.content.decode().count('href="/children/') >= late
    assert len(response.context["table"].rows) == late
