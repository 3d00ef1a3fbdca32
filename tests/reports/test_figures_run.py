"""One run of the figures catalogue: figures counted over the same rows share one query, the
number of queries does not grow with the data, and a statement kept from an earlier run still
reads the rows as they are now."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from iro_service.people.models import Team
from reports.figures import REGISTRY, FigureQuery
from reports.figures import base as figures_base
from reports.selectors import figures_compute
from reviews.models import LacReview
from synthetic.services import synthetic_data_generate
from tests.factories import ChildFactory
from tests.factories.reviews import period_of_care, review

pytestmark = pytest.mark.django_db

TEN_YEARS = FigureQuery(start=date(2016, 4, 1), end=date(2026, 3, 31))
# The figures of docs/benchmarks.md's comparison with hand-written SQL: three counts over the
# periods of care, two over the reviews, two over the plans, one over the conferences.
HEADLINE = [
    "cic_at_end",
    "cic_started",
    "cic_ceased",
    "lac_reviews_held",
    "lac_reviews_on_time",
    "cp_plans_at_end",
    "cp_plans_started",
    "cp_conferences_held",
]


class _Undo(Exception):
    pass


def _queries(children: int, *, team: bool = False) -> tuple[int, int, int]:
    """Queries of the whole catalogue, of the headline figures and of every figure computed on
    its own (outside a run) on ``children`` synthetic children (written in a savepoint and
    undone), after a first run has filled the caches; with ``team``, filtered by the first team."""
    try:
        with transaction.atomic():
            synthetic_data_generate(children=children, seed=5)
            query = TEN_YEARS
            if team:
                team_id = Team.objects.order_by("pk").first().pk
                query = FigureQuery(start=TEN_YEARS.start, end=TEN_YEARS.end, team_id=team_id)
            figures_compute(query=query, keys=list(REGISTRY))
            with CaptureQueriesContext(connection) as catalogue:
                figures_compute(query=query, keys=list(REGISTRY))
            with CaptureQueriesContext(connection) as headline:
                figures_compute(query=query, keys=HEADLINE)
            with CaptureQueriesContext(connection) as alone:
                for figure in REGISTRY.values():
                    figure.compute(query)
            raise _Undo
    except _Undo:
        pass
    return len(catalogue.captured_queries), len(headline.captured_queries), len(alone.captured_queries)


def test_the_catalogue_takes_a_fixed_number_of_queries_fewer_than_its_figures():
    small = _queries(60)
    large = _queries(240)
    assert small == large
    catalogue, headline, alone = small
    # Periods of care, reviews, plans, conferences: one query each for the eight.
    assert headline == 4
    # Shared in a run: the periods' 3 counts and the children of iro_cic_per_fte (saves 3), the
    # IROs in post for the FTE, the head count and iro_cic_per_fte (2), the reviews held, on
    # time and late (2), the two paperwork rates (1), the two participation figures (1), five
    # plan counts (4) and the conferences held and stood down (1): 14 queries fewer.
    assert alone - catalogue == 14


def test_with_a_team_filter_too():
    assert _queries(60, team=True) == _queries(240, team=True)


def test_a_kept_statement_reads_the_rows_as_they_are_now():
    """The second run runs the statement kept from the first: a review added between them is
    counted, and every figure agrees with the figure computed on its own, outside a run."""
    child = ChildFactory()
    period_of_care(child=child, start_date=date(2016, 4, 4), legal_status="C2")
    review(child=child, parts=date(2016, 5, 3), participation_code="PN1")
    query = FigureQuery(start=date(2016, 4, 1), end=date(2017, 3, 31))
    first = figures_compute(query=query, keys=list(REGISTRY))["figures"]
    assert first["lac_reviews_held"]["value"] == 1
    assert ("lac_reviews", query) in figures_base._STATEMENTS

    review(child=child, parts=date(2016, 8, 10), participation_code="PN7")
    second = figures_compute(query=query, keys=list(REGISTRY))["figures"]
    # Two reviews now: the first (PN1) took part, the second (PN7) did not, 1 of 2 = 50%.
    assert LacReview.objects.count() == 2
    assert second["lac_reviews_held"]["value"] == 2
    assert second["lac_participation"] == {"value": 50.0, "numerator": 1, "denominator": 2, "unit": "%"}
    assert second == {key: REGISTRY[key].compute(query) for key in REGISTRY}
    figures_base._STATEMENTS.clear()
    assert second == figures_compute(query=query, keys=list(REGISTRY))["figures"]
