"""Default orderings by a model's own columns, and fresh planner statistics after bulk loads.

An ordering such as ``["review", "part_number"]`` orders by the review's own ordering, and so
through the review's child by name: every query on the table, the subqueries that inherit it and
Django's delete collector included, then joins people_child. On the embedded PostgreSQL 18, with
no statistics (a test's data sits in one transaction), that join made the collector's query for
a test's ``PeriodOfCare.objects.all().delete()`` run for 45 minutes.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iro_service.core.db import analyze
from iro_service.people.models import Child
from reviews.models import PeriodOfCare
from reviews.selectors import periods_in_care_on
from reviews.ssda903 import import_903
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory
from tests.factories.reviews import period_of_care, review
from tests.reviews.test_ssda903 import write_return

PROJECT_APPS = {
    "people",
    "timescales",
    "audit",
    "core",
    "reviews",
    "conferences",
    "hsb",
    "qa_alerts",
    "reports",
}


def _orderings_through_a_relation() -> list[str]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for item in model._meta.ordering:
            name = item.lstrip("-") if isinstance(item, str) else None
            if name is None or name == "pk":
                continue
            if "__" in name:
                found.append(f"{model.__name__}: {item}")
                continue
            field = model._meta.get_field(name)
            if field.is_relation and name != field.attname:
                found.append(f"{model.__name__}: {item}")
    return found


def test_no_default_ordering_goes_through_a_relation():
    """Order by ``child_id``, not ``child``: the relation's name means its model's ordering."""
    assert _orderings_through_a_relation() == []


@pytest.mark.django_db
def test_deleting_a_period_of_care_collects_review_parts_without_joining_children():
    """GIVEN a child in care with a review WHEN the period of care is deleted THEN the query
    that collects the review parts to delete reads reviews_reviewpart alone."""
    period = period_of_care(start_date=date(2016, 4, 4))
    review(child=period.child, parts=date(2016, 4, 28))
    with CaptureQueriesContext(connection) as queries:
        PeriodOfCare.objects.filter(pk=period.pk).delete()
    collecting = [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'FROM "reviews_reviewpart"' in q["sql"]
    ]
    assert collecting, "the collector read the review parts"
    assert all("JOIN" not in sql and "people_child" not in sql for sql in collecting), collecting


@pytest.mark.django_db
def test_children_in_care_figure_subqueries_do_not_join_children():
    """The legal status and IRO on the day are correlated subqueries run once a period: they
    must read the episode and allocation tables only, not order through people_child."""
    period = period_of_care(start_date=date(2016, 4, 4), legal_status="V2")
    IroAllocationFactory(child=period.child, iro=StaffMemberFactory(), start_date=date(2016, 4, 4))
    with CaptureQueriesContext(connection) as queries:
        in_care = periods_in_care_on(on=date(2017, 3, 31)).filter(legal_status_on_day="V2").count()
    assert in_care == 1
    (sql,) = [q["sql"] for q in queries]
    assert "people_child" not in sql, sql


@pytest.mark.django_db
def test_analyze_counts_the_rows_its_own_transaction_wrote():
    """pg_class.reltuples is the planner's row count; ANALYZE inside the test's transaction sees
    the rows the transaction wrote (37 here, plus whatever the database already held)."""
    ChildFactory.create_batch(37)
    analyze(Child)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'people_child'")
        (reltuples,) = cursor.fetchone()
    assert reltuples == Child.objects.count()


@pytest.mark.django_db
def test_ssda903_import_analyses_the_tables_it_wrote(tmp_path):
    with CaptureQueriesContext(connection) as queries:
        import_903({p.name: p for p in write_return(tmp_path).iterdir()})
    (statement,) = [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]
    for table in (
        "people_child",
        "reviews_periodofcare",
        "reviews_episode",
        "reviews_lacreview",
        "reviews_reviewpart",
    ):
        assert f'"{table}"' in statement
    assert '"reviews_historicalreviewpart"' in statement
