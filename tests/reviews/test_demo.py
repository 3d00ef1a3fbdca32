"""The children-in-care demo: deterministic, idempotent, and its cached due dates are exactly
what the services would work out."""

from datetime import date
from io import StringIO

import pytest
from django.db.models import F, Q

from iro_service.people import demo as people_demo
from reviews import demo, services
from reviews.models import LacReview, PeriodOfCare

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_county(demo_database, django_db_blocker):
    """The demo county, loaded once per run (tests/conftest.py), with what its loader printed;
    its people as the people loader finds them already there (it adds nothing)."""
    with django_db_blocker.unblock():
        context: dict = {}
        people_demo.load_demo(context=context, stdout=StringIO())
    return {"context": context, "output": demo_database.output}


def test_the_demo_prints_its_figures_and_hits_the_seed_where_it_is_exact(demo_county):
    output = demo_county["output"]
    assert "2016-17: reviews" in output
    assert "late 6," in output
    assert "participation 95.3%" in output and "participation 90.2%" in output
    assert "SW reports on time 56.3%" in output and "SW reports on time 51.5%" in output
    assert "Sep 2016 112, Oct 2016 51, Nov 2016 10" in output


def test_2016_17_has_about_1404_reviews_six_of_them_late(demo_county):
    year = LacReview.objects.filter(review_date__range=(date(2016, 4, 1), date(2017, 3, 31)))
    assert 1350 <= year.count() <= 1460
    late = year.filter(review_date__gt=F("due_date"))
    assert late.count() == 6
    # Four follow a two-part review; two are first reviews.
    assert sorted(late.values_list("sequence", flat=True))[:2] == [1, 1]
    assert all(review.late_reason for review in late)
    in_care = PeriodOfCare.objects.filter(start_date__lte=date(2017, 3, 31)).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=date(2017, 3, 31))
    )
    assert 580 <= in_care.count() <= 660


def test_the_240_people_demo_children_were_in_care_on_31_march_2017(demo_county):
    """Each has one period of care, from their IRO's allocation; some have left care since."""
    ids = {child.pk for child in demo_county["context"]["children"]}
    periods = PeriodOfCare.objects.filter(child_id__in=ids)
    assert periods.count() == 240
    assert periods.filter(Q(end_date__isnull=True) | Q(end_date__gt=date(2017, 3, 31))).count() == 240


def test_demo_due_dates_are_what_the_refresh_service_works_out(demo_county):
    periods = list(PeriodOfCare.objects.order_by("pk")[::25])
    before = LacReview.history.count() + PeriodOfCare.history.count()
    for period in periods:
        services.period_due_dates_refresh(period=period)
    assert LacReview.history.count() + PeriodOfCare.history.count() == before


def test_loading_again_changes_nothing(demo_county):
    reviews = LacReview.objects.count()
    out = StringIO()
    demo.load_demo(context=demo_county["context"], stdout=out)
    assert "already loaded" in out.getvalue()
    assert LacReview.objects.count() == reviews
