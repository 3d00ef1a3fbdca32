"""The records behind every figure add up to it: on the demo county, for 2016-17, one team and
one IRO, the drill-down's rows count to the figure's value, or its numerator and denominator,
as ``reports.dashboards.drilldown.COVER`` says; and the drill-down page shows them all."""

from datetime import date

import pytest

from iro_service.people.models import StaffMember, Team
from reports.dashboards.drilldown import COVER
from reports.figures import REGISTRY, FigureQuery
from tests.reports.drilldowns import WITH_RECORDS, rows_disagree

pytestmark = pytest.mark.django_db


def test_every_figure_with_a_drill_down_says_how_its_rows_add_up():
    assert sorted(COVER) == WITH_RECORDS


@pytest.mark.parametrize("key", WITH_RECORDS)
def test_the_rows_behind_each_figure_count_to_it(demo_database, key):
    year = FigureQuery(start=date(2016, 4, 1), end=date(2017, 3, 31))
    team = Team.objects.filter(members__job_role="iro").order_by("name").first()
    iro = StaffMember.objects.iros().order_by("last_name").first()
    wrong = rows_disagree(key, year)
    wrong += rows_disagree(key, FigureQuery(start=year.start, end=year.end, team_id=team.pk))
    wrong += rows_disagree(key, FigureQuery(start=date(2016, 10, 1), end=date(2016, 12, 31), iro_id=iro.pk))
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
