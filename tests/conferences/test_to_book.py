"""Conferences to book by a day: initial conferences narrowed by a bound on the strategy
discussion's date, which never leaves out one the due-date rule says is due by that day;
reviews read from each open plan's cached next review."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conferences.due_dates import (
    initial_conference_counted_from_bound,
    initial_conference_due,
)
from conferences.selectors import conferences_to_book
from conferences.services import strategy_discussion_record
from iro_service.timescales.selectors import timescale_settings
from tests.conferences.test_due_dates import hold_initial
from tests.factories import StaffMemberFactory, UserFactory
from tests.factories.conferences import family_with_children

pytestmark = pytest.mark.django_db


def test_no_initial_due_by_a_day_counts_from_after_its_bound():
    settings_row = timescale_settings()
    for offset in range(366):
        due_by = date(2024, 1, 1) + timedelta(days=offset)
        bound = initial_conference_counted_from_bound(due_by=due_by, settings_row=settings_row)
        for back in range(40):
            discussed = due_by - timedelta(days=back)
            if initial_conference_due(counted_from=discussed, settings_row=settings_row) <= due_by:
                assert discussed <= bound, (due_by, discussed)


def test_to_book_by_a_day_is_the_whole_list_cut_at_that_day():
    """Amy's family: initial held 85 days ago, first review due 3 months after it (in a week or
    so). Ben's: held 20 days ago, due in about 70 days. Cara's: a strategy discussion 3 days
    ago and no conference booked, initial due 15 working days after it. By 14 days from today,
    Amy's review is due and Cara's initial may be; Ben's is not."""
    today = timezone.localdate()
    chair = StaffMemberFactory()
    user = UserFactory()
    for name, held in (("Amy", 85), ("Ben", 20)):
        family, children = family_with_children(name)
        on = today - timedelta(days=held)
        hold_initial(family, children, discussed=on - timedelta(days=5), on=on, chair=chair)
    cara_family, cara = family_with_children("Cara")
    strategy_discussion_record(family=cara_family, on=today - timedelta(days=3), children=cara)

    due_by = today + timedelta(days=14)
    whole = conferences_to_book(on=today, user=user)
    assert len(whole) == 3
    expected = [(i.kind, i.due, i.family) for i in whole if i.due and i.due <= due_by]
    cut = conferences_to_book(on=today, user=user, due_by=due_by)
    assert [(i.kind, i.due, i.family) for i in cut] == expected
    assert "Ben" not in {child.first_name for item in cut for child in item.children}
    assert "Amy" in {child.first_name for item in cut for child in item.children}


def test_a_slice_reads_its_own_rows_in_the_same_queries_however_long():
    """Five families: three whose initial was held 85 to 87 days ago (first reviews due in a
    week or so, the earliest held first due first) and two with a strategy discussion 3 and 4
    days ago and nothing booked (initials due in about three weeks, after the reviews). A slice
    of two (a review and an initial) and a slice of all five read the same number of queries;
    iterated whole, the list is the same as sliced whole, in the same order."""
    today = timezone.localdate()
    chair = StaffMemberFactory()
    user = UserFactory()
    for i, name in enumerate(("Amy", "Ben", "Cal")):
        family, children = family_with_children(name)
        on = today - timedelta(days=87 - i)
        hold_initial(family, children, discussed=on - timedelta(days=5), on=on, chair=chair)
    for back, name in ((3, "Dee"), (4, "Eve")):
        family, children = family_with_children(name)
        strategy_discussion_record(family=family, on=today - timedelta(days=back), children=children)

    whole = conferences_to_book(on=today, user=user)
    assert len(whole) == 5
    with CaptureQueriesContext(connection) as two:
        assert [i.kind for i in whole[2:4]] == ["Review", "Initial"]
    with CaptureQueriesContext(connection) as five:
        sliced = whole[0:5]
    assert len(two) == len(five)
    assert [(i.kind, i.due, i.family) for i in whole] == [(i.kind, i.due, i.family) for i in sliced]
    # The reviews due soonest first: Amy's initial was the earliest held.
    assert [i.children[0].first_name for i in sliced[:3]] == ["Amy", "Ben", "Cal"]
    assert {c.first_name for i in sliced if i.kind == "Initial" for c in i.children} == {"Dee", "Eve"}
