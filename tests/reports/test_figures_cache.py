"""The figures API keeps a figures document until the records behind it change: the state of
the records (reports.figures.changes) moves with every change, in the changing transaction, and
not with a read or with the access log; the nightly fold keeps the state as it was."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iro_service.audit.models import AccessLog
from iro_service.people.models import Child
from reports.figures.changes import TRIGGER, figures_state, watched_tables
from reports.models import FiguresChange
from reports.services import figures_changes_fold
from tests.factories import ChildFactory
from tests.factories.reviews import period_of_care, review

pytestmark = pytest.mark.django_db

FIGURES = "/api/v1/figures/?start=2016-04-01&end=2017-03-31&keys=lac_reviews_held"


def test_every_table_the_figures_read_has_the_trigger_and_no_history_or_log_table_has():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
            [TRIGGER],
        )
        triggered = sorted(row[0] for row in cursor.fetchall())
    assert triggered == watched_tables()
    assert {
        "people_child",
        "reviews_lacreview",
        "conferences_conference",
        "timescales_timescalesettings",
    } <= set(triggered)
    assert not [table for table in triggered if "historical" in table]
    assert AccessLog._meta.db_table not in triggered
    # The trigger's and the state's SQL name the table as it is.
    assert FiguresChange._meta.db_table == "reports_figureschange"


def test_the_state_moves_with_every_change_and_not_with_a_read_or_the_access_log(manager_user):
    child = ChildFactory()
    before = figures_state("default")
    assert Child.objects.filter(pk=child.pk).exists()
    AccessLog.objects.create(user=manager_user, child=child, channel="web", what="The child's page")
    assert figures_state("default") == before
    ChildFactory()
    first = figures_state("default")
    assert first[0] > before[0]
    ChildFactory()  # the same transaction: its row counts one more change
    second = figures_state("default")
    assert second[0] > first[0] and second[1] == first[1]


def test_the_api_serves_the_kept_document_until_a_record_changes(token_client):
    """GIVEN a child in care from 4 April 2016 with a review held on 3 May (1 review in
    2016-17) WHEN the figures are asked for twice THEN the second answer is the first, read
    from the cache without counting the reviews again; WHEN a second review is held on 10 August
    THEN the next answer counts 2."""
    client = token_client("figures")
    child = ChildFactory()
    period_of_care(child=child, start_date=date(2016, 4, 4), legal_status="C2")
    review(child=child, parts=date(2016, 5, 3))
    first = client.get(FIGURES).json()
    assert first["figures"]["lac_reviews_held"]["value"] == 1
    with CaptureQueriesContext(connection) as kept:
        assert client.get(FIGURES).json() == first
    assert not [query for query in kept.captured_queries if "reviews_lacreview" in query["sql"]]
    review(child=child, parts=date(2016, 8, 10))
    assert client.get(FIGURES).json()["figures"]["lac_reviews_held"]["value"] == 2


def test_the_nightly_fold_keeps_the_state_in_one_row():
    ChildFactory()
    FiguresChange.objects.bulk_create([FiguresChange(xid=3, weight=4), FiguresChange(xid=5, weight=2)])
    before = figures_state("default")
    rows = FiguresChange.objects.count()
    assert rows >= 3  # the two above and this transaction's own
    assert figures_changes_fold() == rows - 1
    assert FiguresChange.objects.count() == 1
    assert figures_state("default") == before
    assert figures_changes_fold() == 0
    assert figures_state("default") == before
