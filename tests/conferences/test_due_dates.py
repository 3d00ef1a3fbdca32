"""Due dates of conferences, reports and records, worked out by hand from domain.md section 3
and the working-day rules (England bank holidays, substitute days, Easter)."""

from datetime import date

import pytest

from conferences.models import ChildProtectionPlan, ConferenceType
from conferences.services import (
    ChildDecision,
    conference_book,
    conference_due_dates_refresh,
    conference_record,
    conference_stand_down,
    strategy_discussion_record,
)
from iro_service.timescales.selectors import timescale_settings
from tests.factories import ChildFactory, FamilyMembershipFactory, StaffMemberFactory
from tests.factories.conferences import family_with_children

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair():
    return StaffMemberFactory(first_name="Helen", last_name="Ashworth")


def book_initial(family, children, *, discussed, on, chair, conference_type=ConferenceType.INITIAL):
    discussion = strategy_discussion_record(family=family, on=discussed, children=children)
    return conference_book(
        family=family,
        conference_type=conference_type,
        on=on,
        chair=chair,
        children=[(child, "initial") for child in children],
        strategy_discussion=discussion,
    )


def hold_initial(family, children, *, discussed, on, chair, categories=("NEG",)):
    conference = book_initial(family, children, discussed=discussed, on=on, chair=chair)
    return conference_record(
        conference=conference,
        decisions={child.pk: ChildDecision("plan_started", tuple(categories)) for child in children},
    )


def test_initial_due_15_working_days_after_a_strategy_discussion_before_christmas(chair):
    """Fri 16 Dec 2016 + 15 working days, skipping Mon 26 Dec (Boxing Day), Tue 27 Dec
    (substitute Christmas Day) and Mon 2 Jan (substitute New Year's Day): 19-23 Dec (5),
    28-30 Dec (8), 3-6 Jan (12), 9-11 Jan (15) = Wed 11 Jan 2017."""
    family, children = family_with_children("Amy")
    conference = book_initial(
        family, children, discussed=date(2016, 12, 16), on=date(2017, 1, 10), chair=chair
    )
    assert conference.due_date == date(2017, 1, 11)
    assert conference.children.get().due_date == date(2017, 1, 11)


def test_initial_due_date_over_easter_and_may_day(chair):
    """Thu 6 Apr 2017 + 15 working days, skipping Good Friday 14 Apr, Easter Monday 17 Apr and
    the May Day bank holiday 1 May: 7, 10-13 Apr (5), 18-21 (9), 24-28 (14), 2 May (15)."""
    family, children = family_with_children("Amy")
    conference = book_initial(family, children, discussed=date(2017, 4, 6), on=date(2017, 4, 26), chair=chair)
    assert conference.due_date == date(2017, 5, 2)


def test_initial_report_timescales_over_easter(chair):
    """Initial conference Tue 18 Apr 2017. Parents 2 working days before: not Mon 17 (Easter
    Monday), not Fri 14 (Good Friday): Thu 13 (1), Wed 12 (2). Chair 1 working day before: Thu 13.
    Record within 10 working days: 19-21 (3), 24-28 (8), 2-3 May (10) = Wed 3 May."""
    family, children = family_with_children("Amy")
    conference = book_initial(family, children, discussed=date(2017, 4, 3), on=date(2017, 4, 18), chair=chair)
    assert conference.parent_report_due == date(2017, 4, 12)
    assert conference.chair_report_due == date(2017, 4, 13)
    assert conference.record_due == date(2017, 5, 3)


def test_review_report_and_record_timescales_over_christmas(chair):
    """A review on Tue 3 Jan 2017: the report to parents and chair 3 working days before, not
    Mon 2 Jan (substitute day): Fri 30 Dec (1), Thu 29 (2), Wed 28 Dec (3). Record within 10
    working days: 4-6 Jan (3), 9-13 (8), 16-17 (10) = Tue 17 Jan."""
    family, children = family_with_children("Amy")
    hold_initial(family, children, discussed=date(2016, 9, 20), on=date(2016, 10, 3), chair=chair)
    review = conference_book(
        family=family,
        conference_type=ConferenceType.FIRST_REVIEW,
        on=date(2017, 1, 3),
        chair=chair,
        children=[(children[0], "first_review")],
    )
    assert review.parent_report_due == date(2016, 12, 28)
    assert review.chair_report_due == date(2016, 12, 28)
    assert review.record_due == date(2017, 1, 17)
    # First review within 3 months of the initial on 3 Oct 2016.
    assert review.due_date == date(2017, 1, 3)


def test_first_review_3_months_and_later_reviews_6_months_clamped_to_month_end(chair):
    """GIVEN an initial conference on 30 Nov 2016
    THEN the first review is due 28 Feb 2017 (30 Nov + 3 months, clamped);
    WHEN the first review is held on 28 Feb 2017
    THEN the next review is due 28 Aug 2017 (6 months after the previous conference)."""
    family, children = family_with_children("Amy")
    hold_initial(family, children, discussed=date(2016, 11, 14), on=date(2016, 11, 30), chair=chair)
    first = conference_book(
        family=family,
        conference_type=ConferenceType.FIRST_REVIEW,
        on=date(2017, 2, 28),
        chair=chair,
        children=[(children[0], "first_review")],
    )
    assert first.due_date == date(2017, 2, 28)
    conference_record(conference=first, decisions={children[0].pk: ChildDecision("plan_continued")})
    later = conference_book(
        family=family,
        conference_type=ConferenceType.REVIEW,
        on=date(2017, 8, 1),
        chair=chair,
        children=[(children[0], "review")],
    )
    assert later.due_date == date(2017, 8, 28)


def _next_review(child):
    return ChildProtectionPlan.objects.values_list("next_review_counted_from", "next_review_due").get(
        child=child
    )


def test_each_open_plan_is_next_due_a_review_from_its_last_held_conference(chair):
    """GIVEN Amy's plan started at an initial conference held on 30 Nov 2016
    THEN her first review is counted from it and due 28 Feb 2017 (3 months, clamped);
    WHEN the first review is held on 28 Feb 2017 THEN the next is due 28 Aug 2017 (6 months);
    WHEN a later review on 1 Aug 2017 ends the plan THEN no review is due on it."""
    family, children = family_with_children("Amy")
    amy = children[0]
    hold_initial(family, children, discussed=date(2016, 11, 14), on=date(2016, 11, 30), chair=chair)
    assert _next_review(amy) == (date(2016, 11, 30), date(2017, 2, 28))
    first = conference_book(
        family=family,
        conference_type=ConferenceType.FIRST_REVIEW,
        on=date(2017, 2, 28),
        chair=chair,
        children=[(amy, "first_review")],
    )
    assert _next_review(amy) == (date(2016, 11, 30), date(2017, 2, 28))  # booked, not held
    conference_record(conference=first, decisions={amy.pk: ChildDecision("plan_continued")})
    assert _next_review(amy) == (date(2017, 2, 28), date(2017, 8, 28))
    later = conference_book(
        family=family,
        conference_type=ConferenceType.REVIEW,
        on=date(2017, 8, 1),
        chair=chair,
        children=[(amy, "review")],
    )
    conference_record(
        conference=later, decisions={amy.pk: ChildDecision("plan_ended", end_reason="no_longer_at_risk")}
    )
    assert _next_review(amy) == (None, None)
    assert conference_due_dates_refresh() == 0


def test_the_refresh_of_everything_covers_a_plan_with_no_conference(chair):
    """A plan written without a conference (as an import may) has no next review until the
    refresh of everything: started 1 Jun 2016 with none held, its first review is due 1 Sep."""
    amy = ChildFactory(first_name="Amy")
    ChildProtectionPlan.objects.create(child=amy, start_date=date(2016, 6, 1), categories=["NEG"])
    assert _next_review(amy) == (None, None)
    assert conference_due_dates_refresh() == 1
    assert _next_review(amy) == (date(2016, 6, 1), date(2016, 9, 1))


def test_a_stood_down_conference_does_not_move_the_clock(chair):
    """GIVEN an initial conference held on 1 Jun 2016 and the first review booked for 1 Sep
    WHEN the first review is stood down (no interpreter) and rearranged for 8 Sep
    THEN the rearranged review is still due 1 Sep 2016 (3 months after 1 Jun), and after it is
    held on 8 Sep the next review is due 8 Mar 2017, counted from the held one."""
    family, children = family_with_children("Amy")
    hold_initial(family, children, discussed=date(2016, 5, 16), on=date(2016, 6, 1), chair=chair)
    first = conference_book(
        family=family,
        conference_type=ConferenceType.FIRST_REVIEW,
        on=date(2016, 9, 1),
        chair=chair,
        children=[(children[0], "first_review")],
    )
    rearranged = conference_stand_down(
        conference=first, reason="no_interpreter", rearranged_on=date(2016, 9, 8)
    )
    first.refresh_from_db()
    assert first.status == "stood_down"
    assert first.rearranged_as == rearranged
    assert rearranged.due_date == date(2016, 9, 1)
    conference_record(conference=rearranged, decisions={children[0].pk: ChildDecision("plan_continued")})
    later = conference_book(
        family=family,
        conference_type=ConferenceType.REVIEW,
        on=date(2017, 3, 1),
        chair=chair,
        children=[(children[0], "review")],
    )
    assert later.due_date == date(2017, 3, 8)


def test_pre_birth_conference_due_by_28_weeks_gestation(chair):
    """Expected birth 10 Sep 2016; 28 weeks' gestation is 12 weeks (84 days) before: 18 Jun 2016."""
    family, _ = family_with_children()
    unborn = ChildFactory(first_name="Baby", date_of_birth=None, expected_date_of_birth=date(2016, 9, 10))
    FamilyMembershipFactory(family=family, child=unborn, start_date=date(2016, 3, 1))
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[unborn])
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL_PRE_BIRTH,
        on=date(2016, 6, 15),
        chair=chair,
        children=[(unborn, "initial_pre_birth")],
        strategy_discussion=discussion,
    )
    assert conference.due_date == date(2016, 6, 18)


def test_receiving_in_due_15_working_days_after_transfer_notified(chair):
    """Transfer notified Fri 9 Sep 2022; 15 working days, skipping the state funeral on Mon 19
    Sep 2022: Mon 3 Oct 2022."""
    family, children = family_with_children("Amy")
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL_RECEIVING_IN,
        on=date(2022, 9, 30),
        chair=chair,
        children=[(children[0], "initial")],
        transfer_notified_on=date(2022, 9, 9),
    )
    assert conference.due_date == date(2022, 10, 3)


def test_combined_conference_due_when_its_most_pressing_child_is_due(chair):
    """GIVEN Amy on a plan from an initial conference on 20 May 2016 (first review due 20 Aug)
    and her new sibling Ben in a section 47 enquiry from a strategy discussion on 10 Aug 2016
    (initial due 1 Sep: 15 working days skipping the August bank holiday on 29 Aug)
    WHEN a "1st Review / Initial" conference is booked for both
    THEN Amy's stage is due 20 Aug, Ben's 1 Sep, and the conference 20 Aug 2016."""
    family, (amy,) = family_with_children("Amy")
    hold_initial(family, [amy], discussed=date(2016, 5, 3), on=date(2016, 5, 20), chair=chair)
    ben = ChildFactory(first_name="Ben", date_of_birth=date(2012, 2, 2))
    FamilyMembershipFactory(family=family, child=ben, start_date=date(2016, 8, 1))
    discussion = strategy_discussion_record(family=family, on=date(2016, 8, 10), children=[ben])
    combined = conference_book(
        family=family,
        conference_type=ConferenceType.FIRST_REVIEW_AND_INITIAL,
        on=date(2016, 8, 19),
        chair=chair,
        children=[(amy, "first_review"), (ben, "initial")],
        strategy_discussion=discussion,
    )
    dues = {link.child.first_name: link.due_date for link in combined.children.select_related("child")}
    assert dues == {"Amy": date(2016, 8, 20), "Ben": date(2016, 9, 1)}
    assert combined.due_date == date(2016, 8, 20)


def test_changing_a_setting_is_picked_up_by_the_refresh(chair):
    """The nightly refresh re-derives every cached due date from the settings of the day."""
    family, children = family_with_children("Amy")
    conference = book_initial(
        family, children, discussed=date(2016, 12, 16), on=date(2017, 1, 10), chair=chair
    )
    settings_row = timescale_settings()
    settings_row.icpc_days_from_strategy = 10
    settings_row.save()
    assert conference_due_dates_refresh() == 2  # the conference row and Amy's row
    conference.refresh_from_db()
    # 10 working days after 16 Dec 2016: 19-23 (5), 28-30 (8), 3-4 Jan (10).
    assert conference.due_date == date(2017, 1, 4)
    assert conference_due_dates_refresh() == 0


def test_the_nightly_sweep_finds_the_previous_conference_in_an_earlier_batch(chair, monkeypatch):
    """The sweep works through the conferences a batch at a time: with one conference a batch,
    a review's previous conference is in an earlier batch. GIVEN an initial conference held on
    30 Nov 2016 and a first review booked for 28 Feb 2017 (due 28 Feb: 30 Nov + 3 months,
    clamped) WHEN a setting changes and the sweep runs THEN the initial's dates move (its row
    and Amy's), the review's stay due 28 Feb, and a second sweep changes nothing."""
    from conferences.services import refresh

    family, children = family_with_children("Amy")
    initial = hold_initial(family, children, discussed=date(2016, 11, 14), on=date(2016, 11, 30), chair=chair)
    first = conference_book(
        family=family,
        conference_type=ConferenceType.FIRST_REVIEW,
        on=date(2017, 2, 28),
        chair=chair,
        children=[(children[0], "first_review")],
    )
    monkeypatch.setattr(refresh, "SWEEP_BATCH", 1)
    settings_row = timescale_settings()
    settings_row.icpc_days_from_strategy = 10
    settings_row.save()
    assert conference_due_dates_refresh() == 2
    initial.refresh_from_db()
    first.refresh_from_db()
    # 10 working days after Mon 14 Nov 2016: 15-18 (4), 21-25 (9), Mon 28 Nov (10).
    assert initial.due_date == date(2016, 11, 28)
    assert first.due_date == date(2017, 2, 28)
    assert conference_due_dates_refresh() == 0


def test_the_nightly_job_looks_again_at_every_conference_only_after_the_calendar_changes(chair):
    """GIVEN Amy's and Ben's initial conferences, each booked for 10 Jan 2017 after a strategy
    discussion on Fri 16 Dec 2016 (due Wed 11 Jan, 15 working days, as counted above)
    WHEN the nightly job first runs THEN it looks at every conference and changes nothing.
    WHEN Amy's conference row changes without its dates being worked out (updated_at moves) and
    Ben's cached date is overwritten without it THEN the next night, with the calendar the
    same, the job puts Amy's back (1 row) and leaves Ben's: only rows changed since the last
    sweep began can be out of date while the calendar stays the same.
    WHEN the strategy-to-ICPC setting becomes 10 working days THEN the job looks at every
    conference: both are due Wed 4 Jan 2017 (19-23 Dec (5), 28-30 Dec (8), 3-4 Jan (10)), and
    4 rows change: each conference and each child's row."""
    from django.utils import timezone

    from conferences.models import Conference
    from conferences.services import conference_due_dates_sweep_nightly
    from iro_service.timescales.services import timescale_settings_update

    amy_family, amy = family_with_children("Amy")
    ben_family, ben = family_with_children("Ben")
    amys = book_initial(amy_family, amy, discussed=date(2016, 12, 16), on=date(2017, 1, 10), chair=chair)
    bens = book_initial(ben_family, ben, discussed=date(2016, 12, 16), on=date(2017, 1, 10), chair=chair)
    assert conference_due_dates_sweep_nightly() == 0
    Conference.objects.filter(pk=amys.pk).update(due_date=date(2017, 1, 1), updated_at=timezone.now())
    Conference.objects.filter(pk=bens.pk).update(due_date=date(2017, 1, 1))
    assert conference_due_dates_sweep_nightly() == 1
    amys.refresh_from_db()
    bens.refresh_from_db()
    assert (amys.due_date, bens.due_date) == (date(2017, 1, 11), date(2017, 1, 1))
    timescale_settings_update(changes={"icpc_days_from_strategy": 10})
    assert conference_due_dates_sweep_nightly() == 4
    amys.refresh_from_db()
    bens.refresh_from_db()
    assert (amys.due_date, bens.due_date) == (date(2017, 1, 4), date(2017, 1, 4))
