"""update_columns: the cache writer behind the conference due-date refresh."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conferences.models import Conference
from iro_service.core.db import update_columns
from tests.factories.conferences import ConferenceFactory

pytestmark = pytest.mark.django_db


def test_writes_each_rows_values_nulls_included_and_leaves_updated_at_alone():
    first, second = ConferenceFactory(), ConferenceFactory()
    before = {c.pk: c.updated_at for c in (first, second)}
    rows = [(first.pk, date(2017, 1, 9), None), (second.pk, None, date(2017, 2, 1))]
    assert update_columns(Conference, rows, ["due_date", "record_due"]) == 2
    for pk, due, record_due in rows:
        saved = Conference.objects.get(pk=pk)
        assert (saved.due_date, saved.record_due, saved.updated_at) == (due, record_due, before[pk])


def test_one_statement_per_page_of_rows():
    conferences = [ConferenceFactory() for _ in range(5)]
    rows = [(c.pk, date(2017, 1, 2)) for c in conferences]
    with CaptureQueriesContext(connection) as queries:
        update_columns(Conference, rows, ["due_date"], page=2)
    # 5 rows in pages of 2: 3 statements.
    assert len(queries) == 3
    assert set(Conference.objects.values_list("due_date", flat=True)) == {date(2017, 1, 2)}
