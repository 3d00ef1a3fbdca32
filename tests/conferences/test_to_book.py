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
    initial_conference_latest_discussion,
)
from conferences.selectors import conferences_to_book
from conferences.services import strategy_discussion_record
from iro_service.timescales.dates import extra_non_working_days
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


def test_the_initials_due_by_a_day_are_those_discussed_by_its_latest_discussion():
    """For every day of 2024 (its bank holidays included) and every discussion in the 40 days
    before it: the initial is due by the day exactly when the discussion is on or before the
    latest discussion worked out for it, which is what lets the list cut by the date."""
    settings_row = timescale_settings()
    extra = extra_non_working_days()
    for offset in range(366):
        due_by = date(2024, 1, 1) + timedelta(days=offset)
        latest = initial_conference_latest_discussion(due_by=due_by, settings_row=settings_row, extra=extra)
        for back in range(40):
            discussed = due_by - timedelta(days=back)
            due = initial_conference_due(counted_from=discussed, settings_row=settings_row, extra=extra)
            assert (due <= due_by) == (discussed <= latest), (due_by, discussed)


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


def test_pages_of_the_list_are_the_whole_list_in_due_order():
    """Reviews and initials interleaved by due day. An initial is due 15 working days after
    the discussion: 19 to 24 calendar days, weekends and up to three bank holidays between; a
    first review 3 months after the initial conference: 89 to 92 days. So, in days from today:
    Dee's discussion 20 days ago, due in -1 to 4; Amy's initial held 85 days ago, 4 to 7; Eve's
    discussion 10 days ago, 9 to 14; Ben's held 75, 14 to 17 (a tie with Eve's latest is
    ordered initial first); Fay's discussion yesterday, 18 to 23; Gus and Hal, one household,
    held 62, 27 to 30, one review for both; Cal's held 55, 34 to 37. Read two at a time, the
    pages are the whole list in that order, each in at most seven queries (the two kinds, the
    families, the children, the discussions with their enquiries and children)."""
    today = timezone.localdate()
    chair = StaffMemberFactory()
    user = UserFactory()
    for held, names in ((85, ("Amy",)), (75, ("Ben",)), (62, ("Gus", "Hal")), (55, ("Cal",))):
        family, children = family_with_children(*names)
        on = today - timedelta(days=held)
        hold_initial(family, children, discussed=on - timedelta(days=5), on=on, chair=chair)
    for back, name in ((20, "Dee"), (10, "Eve"), (1, "Fay")):
        family, children = family_with_children(name)
        strategy_discussion_record(family=family, on=today - timedelta(days=back), children=children)

    whole = conferences_to_book(on=today, user=user)
    assert len(whole) == 7
    listed = [(i.kind, tuple(c.first_name for c in i.children)) for i in whole]
    assert listed == [
        ("Initial", ("Dee",)),
        ("Review", ("Amy",)),
        ("Initial", ("Eve",)),
        ("Review", ("Ben",)),
        ("Initial", ("Fay",)),
        ("Review", ("Gus", "Hal")),
        ("Review", ("Cal",)),
    ]
    pages = []
    for start in range(0, 7, 2):
        with CaptureQueriesContext(connection) as queries:
            pages.extend((i.kind, tuple(c.first_name for c in i.children)) for i in whole[start : start + 2])
        assert len(queries) <= 7, start
    assert pages == listed
