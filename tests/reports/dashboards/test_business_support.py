"""The business support dashboard pages each list of children on its own: a page reads and logs
the 50 rows it shows, a download holds and logs the whole list, and the counts by IRO are of
the whole backlog."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iro_service.audit.models import AccessChannel, AccessLog
from reports.dashboards.selectors import MeetingsToBook
from reviews.models import PeriodOfCare
from reviews.services import period_of_care_end
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory
from tests.factories.reviews import period_of_care, review

pytestmark = pytest.mark.django_db

URL = "reports:business-support"


def records_waiting(n: int):
    """``n`` children who were in care with Helen, each with a review held between 200 and
    200 - n days ago whose record she completed five days later and nobody has distributed:
    every record is out of timescale (due at most a few weeks after its review), the oldest
    review's first. Each left care (returned home, E11) a week after the review, so that no
    review is to book and the records are the only list naming them."""
    today = timezone.localdate()
    helen = StaffMemberFactory(first_name="Helen", last_name="Ashworth")
    children = []
    for i in range(n):
        child = ChildFactory(first_name="Child", last_name=f"{i:03d}")
        held = today - timedelta(days=200 - i)
        IroAllocationFactory(child=child, iro=helen, start_date=held - timedelta(days=30))
        period = period_of_care(child=child, start_date=held - timedelta(days=30))
        review(child=child, parts=held, chair=helen, record_completed=held + timedelta(days=5))
        period_of_care_end(period=period, end_date=held + timedelta(days=7), reason_ceased="E11")
        children.append(child)
    return helen, children


def logged(what: str, channel=AccessChannel.WEB, after: int = 0) -> set[int]:
    """The children logged as seen by ``what`` in the entries after the one numbered ``after``
    (the log is append-only: a test reads past a mark)."""
    rows = AccessLog.objects.filter(what=what, channel=channel, pk__gt=after)
    return set(rows.values_list("child_id", flat=True))


def test_review_records_are_paged_and_only_the_page_shown_is_logged(client, support_user):
    # 52 records: page 1 is the 50 oldest due (children 000 to 049), page 2 the last 2.
    _helen, children = records_waiting(52)
    client.force_login(support_user)

    first = client.get(reverse(URL))
    assert first.status_code == 200
    tables = {t.name: t for t in first.context["tables"]}
    shown = tables["review-records"]
    assert [row[1].value for row in shown.rows] == [c.local_child_id for c in children[:50]]
    assert shown.pagination["count"] == 52
    assert (
        "Showing <strong>1</strong> to <strong>50</strong> of <strong>52</strong>" in first.content.decode()
    )
    assert logged("Business support dashboard") == {c.pk for c in children[:50]}
    # Helen's counts are of the whole backlog, not of the page: 52 out of timescale, 52 waiting.
    helen_row = next(row for row in tables["by-iro"].rows if row[0].value == "Helen Ashworth")
    assert [c.value for c in helen_row[1:3]] == [52, 52]

    mark = AccessLog.objects.latest("pk").pk
    second = client.get(reverse(URL), {"review-records-page": 2})
    tables = {t.name: t for t in second.context["tables"]}
    assert [row[1].value for row in tables["review-records"].rows] == [
        c.local_child_id for c in children[50:]
    ]
    assert logged("Business support dashboard", after=mark) == {c.pk for c in children[50:]}


def test_a_download_holds_and_logs_the_whole_list(client, support_user):
    _helen, children = records_waiting(52)
    client.force_login(support_user)
    response = client.get(reverse(URL), {"download": "csv", "table": "review-records"})
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = lines.index(
        ["Child", "Child ID", "Review", "Chair", "Record completed", "Record due", "Days overdue"]
    )
    assert [line[1] for line in lines[header + 1 :]] == [c.local_child_id for c in children]
    assert logged("Download: business support backlog", AccessChannel.EXPORT) == {c.pk for c in children}
    # The page's own log is not written by a download.
    assert logged("Business support dashboard") == set()


def test_a_page_of_the_backlog_makes_the_same_queries_for_more_records(client, support_user):
    records_waiting(3)
    client.force_login(support_user)
    client.get(reverse(URL))  # the first request fills the caches (the timescale settings)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse(URL), {"review-records-page": 1})
    records_waiting(60)  # a second IRO's records: more than a page
    with CaptureQueriesContext(connection) as large:
        client.get(reverse(URL), {"review-records-page": 2})
    assert len(large) == len(small)


def test_an_unknown_table_or_page_is_answered_not_failed(client, support_user):
    records_waiting(2)
    client.force_login(support_user)
    assert client.get(reverse(URL), {"download": "csv", "table": "nonsense"}).status_code == 404
    # A page past the end or not a number shows the last or the first page, as every list does.
    response = client.get(reverse(URL), {"review-records-page": "99"})
    assert response.status_code == 200
    assert len({t.name: t for t in response.context["tables"]}["review-records"].rows) == 2
    assert client.get(reverse(URL), {"review-records-page": "x"}).status_code == 200


def test_the_meetings_to_book_page_across_the_reviews_and_the_conferences():
    # Three periods then two conferences to book ("A" and "B"): positions 0-2 and 3-4.
    periods = [period_of_care(child=ChildFactory(), start_date=timezone.localdate()) for _ in range(3)]
    meetings = MeetingsToBook(
        PeriodOfCare.objects.filter(pk__in=[p.pk for p in periods]).order_by("pk"), ["A", "B"]
    )
    assert len(meetings) == 5
    assert meetings[2:4] == [periods[2], "A"]
    assert meetings[0:2] == periods[:2]
    assert meetings[3:5] == ["A", "B"]
    assert meetings[4] == "B"


def test_the_meetings_to_book_iterated_whole_read_each_list_once():
    # A download iterates the whole list: the periods read at once, not one query a row (two
    # queries: the count, which list() asks for first, and the rows).
    periods = [period_of_care(child=ChildFactory(), start_date=timezone.localdate()) for _ in range(3)]
    meetings = MeetingsToBook(
        PeriodOfCare.objects.filter(pk__in=[p.pk for p in periods]).order_by("pk"), ["A", "B"]
    )
    with CaptureQueriesContext(connection) as queries:
        assert list(meetings) == [*periods, "A", "B"]
    assert len(queries) == 2
