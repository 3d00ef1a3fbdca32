"""Due dates of LAC reviews and their paperwork (domain.md section 2). Every expected date was
counted by hand on a calendar; the comment by each shows the count."""

from datetime import date

import pytest
from django.db.models import F

from iro_service.timescales.selectors import timescale_settings
from iro_service.timescales.services import non_working_day_add
from reviews import services
from reviews.due_dates import paperwork_due, review_due
from reviews.models import LacReview, PeriodOfCare
from tests.factories.reviews import period_of_care, review

pytestmark = pytest.mark.django_db


def test_first_review_due_20_working_days_after_coming_into_care():
    # Mon 4 Apr 2016 + 20 WD: 5-8 Apr (4), 11-15 (9), 18-22 (14), 25-29 (19); Mon 2 May is
    # the early May bank holiday; Tue 3 May (20).
    period = period_of_care(start_date=date(2016, 4, 4))
    assert period.next_review_due == date(2016, 5, 3)


def test_first_review_over_christmas_skips_the_bank_holidays():
    # Fri 16 Dec 2016 + 20 WD: 19-23 Dec (5); 26, 27 bank holidays; 28-30 (8); 2 Jan
    # substitute day; 3-6 Jan (12); 9-13 (17); 16, 17, 18 (20).
    period = period_of_care(start_date=date(2016, 12, 16))
    assert period.next_review_due == date(2017, 1, 18)


def test_second_review_due_three_months_after_first():
    period = period_of_care(start_date=date(2016, 4, 4))
    first = review(child=period.child, parts=date(2016, 4, 28))
    period.refresh_from_db()
    assert (first.sequence, first.due_date) == (1, date(2016, 5, 3))
    assert period.next_review_due == date(2016, 7, 28)


def test_later_reviews_due_six_months_after_the_one_before():
    period = period_of_care(start_date=date(2016, 4, 4))
    review(child=period.child, parts=date(2016, 4, 28))
    second = review(child=period.child, parts=date(2016, 7, 20))
    third = review(child=period.child, parts=date(2017, 1, 12))
    period.refresh_from_db()
    assert (second.sequence, second.due_date) == (2, date(2016, 7, 28))
    assert (third.sequence, third.due_date) == (3, date(2017, 1, 20))
    assert period.next_review_due == date(2017, 7, 12)


def test_a_late_review_moves_the_clock():
    """GIVEN a second review due by 28 July 2016 but held late on 10 August
    THEN it is late (10 Aug > 28 Jul) and the third is due 6 months from 10 August, not from
    the date the second was due."""
    period = period_of_care(start_date=date(2016, 4, 4))
    review(child=period.child, parts=date(2016, 4, 28))
    second = review(child=period.child, parts=date(2016, 8, 10), late_reason="Carer ill")
    period.refresh_from_db()
    assert not second.is_on_time
    assert second.late_reason == "Carer ill"
    assert period.next_review_due == date(2017, 2, 10)
    assert LacReview.objects.filter(review_date__gt=F("due_date")).count() == 1


def test_a_two_part_review_counts_the_next_from_part_1_never_part_2():
    """GIVEN a second review held in two parts, 20 July and 3 August 2016
    THEN its date is 20 July (part 1) and the third is due 20 January 2017, not 3 February:
    the seed's error cannot happen."""
    period = period_of_care(start_date=date(2016, 4, 4))
    review(child=period.child, parts=date(2016, 4, 28))
    second = review(child=period.child, parts=[date(2016, 7, 20), date(2016, 8, 3)])
    period.refresh_from_db()
    assert second.review_date == date(2016, 7, 20)
    assert [p.date for p in second.parts.order_by("part_number")] == [date(2016, 7, 20), date(2016, 8, 3)]
    assert period.next_review_due == date(2017, 1, 20)


def test_a_child_who_leaves_and_comes_back_restarts_the_cycle():
    """GIVEN a child reviewed twice in a first period which ends on 1 September 2016
    WHEN they come back into care on Monday 3 October 2016
    THEN the next review is a first review again, due 20 working days later: 4-7 Oct (4),
    10-14 (9), 17-21 (14), 24-28 (19), Mon 31 Oct (20)."""
    period = period_of_care(start_date=date(2016, 4, 4))
    review(child=period.child, parts=date(2016, 4, 28))
    review(child=period.child, parts=date(2016, 7, 20))
    services.period_of_care_end(period=period, end_date=date(2016, 9, 1), reason_ceased="E4A")
    period.refresh_from_db()
    assert period.next_review_due is None
    again = period_of_care(child=period.child, start_date=date(2016, 10, 3))
    assert again.next_review_due == date(2016, 10, 31)
    first_again = review(child=period.child, parts=date(2016, 10, 27))
    assert (first_again.sequence, first_again.period_id) == (1, again.pk)


def test_short_breaks_first_review_in_three_months_then_six_monthly():
    period = period_of_care(start_date=date(2016, 4, 4), legal_status="V3", placement="U6")
    assert period.is_short_breaks
    assert period.next_review_due == date(2016, 7, 4)
    review(child=period.child, parts=date(2016, 7, 1))
    period.refresh_from_db()
    # Second review of short breaks: 6 months, not 3.
    assert period.next_review_due == date(2017, 1, 1)


def test_a_change_from_short_breaks_to_a_care_order_uses_the_ordinary_timescales():
    period = period_of_care(start_date=date(2016, 4, 4), legal_status="V3")
    services.episode_change(
        period=period,
        start_date=date(2016, 4, 11),
        reason_for_new_episode="L",
        legal_status="C1",
        category_of_need="N1",
        placement="U6",
    )
    period.refresh_from_db()
    assert not period.is_short_breaks
    assert period.next_review_due == date(2016, 5, 3)


def test_recording_an_earlier_review_afterwards_renumbers_the_later_ones():
    period = period_of_care(start_date=date(2016, 4, 4))
    later = review(child=period.child, parts=date(2016, 7, 20))
    assert later.sequence == 1
    review(child=period.child, parts=date(2016, 4, 28))
    later.refresh_from_db()
    assert (later.sequence, later.due_date) == (2, date(2016, 7, 28))


@pytest.mark.parametrize(
    ("held_on", "sw_report", "decisions", "record"),
    [
        # Fri 16 Dec 2016. SW report 3 WD before: Thu 15, Wed 14, Tue 13. Decisions 5 WD:
        # 19-23 Dec. Record 20 WD: 18 Jan 2017 (see the Christmas count above).
        (date(2016, 12, 16), date(2016, 12, 13), date(2016, 12, 23), date(2017, 1, 18)),
        # Tue 3 Jan 2017. SW report: Mon 2 Jan is a substitute bank holiday, so Fri 30 (1),
        # Thu 29 (2), Wed 28 Dec (3). Decisions: 4, 5, 6, 9, 10 Jan. Record: 4-6 (3),
        # 9-13 (8), 16-20 (13), 23-27 (18), 30, 31 Jan (20).
        (date(2017, 1, 3), date(2016, 12, 28), date(2017, 1, 10), date(2017, 1, 31)),
        # Thu 13 Apr 2017. Decisions: Good Friday and Easter Monday skipped: 18, 19, 20, 21,
        # 24 Apr. Record: 18-21 (4), 24-28 (9), 1 May bank holiday, 2-5 May (13), 8-12 (18),
        # 15, 16 May (20).
        (date(2017, 4, 13), date(2017, 4, 10), date(2017, 4, 24), date(2017, 5, 16)),
    ],
)
def test_paperwork_due_dates_around_bank_holidays(held_on, sw_report, decisions, record):
    due = paperwork_due(review_date=held_on, settings=timescale_settings())
    assert (due.sw_report, due.decisions, due.record) == (sw_report, decisions, record)


def test_cached_paperwork_dates_are_stored_on_the_review():
    period = period_of_care(start_date=date(2016, 12, 1))
    held = review(child=period.child, parts=date(2016, 12, 16))
    assert (held.sw_report_due, held.decisions_due, held.record_due) == (
        date(2016, 12, 13),
        date(2016, 12, 23),
        date(2017, 1, 18),
    )


def test_the_nightly_refresh_picks_up_a_new_non_working_day():
    """GIVEN a child in care from 4 April 2016, first review due 3 May
    WHEN a manager adds 5 April 2016 as a non-working day and the nightly job runs
    THEN the due date moves one working day later, to Wednesday 4 May."""
    period = period_of_care(start_date=date(2016, 4, 4))
    non_working_day_add(day=date(2016, 4, 5), description="Council closure")
    assert services.due_dates_refresh_all() >= 1
    period.refresh_from_db()
    assert period.next_review_due == date(2016, 5, 4)


def test_the_nightly_refresh_works_in_batches_with_the_dates_and_history_of_one_period_at_a_time(
    monkeypatch,
):
    """GIVEN five children in care from Monday 4 April 2016 (first review due Tuesday 3 May, as
    counted above), one with a review held on 28 April (the next due 28 July, 3 months on)
    WHEN 5 April 2016 becomes a non-working day and the sweep runs in batches of two
    THEN every first review is due a working day later, Wednesday 4 May (each period's
    first_review_due, and the held review's due date), and each period and the review have one
    more history row; run again, nothing moves and no history is written."""
    from reviews.services import refresh

    periods = [period_of_care(start_date=date(2016, 4, 4)) for _ in range(5)]
    held = review(child=periods[0].child, parts=date(2016, 4, 28))
    non_working_day_add(day=date(2016, 4, 5), description="Council closure")
    monkeypatch.setattr(refresh, "REFRESH_BATCH", 2)
    history = {p.pk: p.history.count() for p in periods}
    review_history = held.history.count()
    assert services.due_dates_refresh_all() == 5
    held.refresh_from_db()
    assert held.due_date == date(2016, 5, 4)
    assert held.history.count() == review_history + 1
    for period in periods:
        period.refresh_from_db()
        assert period.first_review_due == date(2016, 5, 4)
        assert period.history.count() == history[period.pk] + 1
    # Period 0's next review follows the review held (28 April + 3 months), the others' the
    # first review's due date.
    assert [p.next_review_due for p in periods] == [date(2016, 7, 28)] + [date(2016, 5, 4)] * 4
    assert services.due_dates_refresh_all() == 5
    assert held.history.count() == review_history + 1
    assert [p.history.count() for p in periods] == [history[p.pk] + 1 for p in periods]


def test_the_refresh_is_idempotent():
    period = period_of_care(start_date=date(2016, 4, 4))
    review(child=period.child, parts=date(2016, 4, 28))
    history_before = LacReview.history.count() + PeriodOfCare.history.count()
    services.period_due_dates_refresh(period=period)
    services.period_due_dates_refresh(period=period)
    assert LacReview.history.count() + PeriodOfCare.history.count() == history_before


def test_review_due_refuses_a_later_review_without_the_previous_date():
    with pytest.raises(ValueError):
        review_due(sequence=2, period_start=date(2016, 4, 4), previous_review_date=None, short_breaks=False)


def test_the_nightly_job_looks_again_at_every_period_only_after_the_calendar_changes():
    """GIVEN two children in care from Monday 4 April 2016 (first review due Tuesday 3 May, as
    counted above)
    WHEN the nightly job first runs THEN it looks at both (no sweep has finished before);
    the next night, with nothing changed, at neither.
    WHEN one period's row changes without its dates being worked out (updated_at moves) and the
    other's cached date is overwritten without it THEN the job looks at the first alone and
    puts its date back, leaving the second as it is: only rows changed since the last sweep
    began can be out of date while the calendar stays the same.
    WHEN a manager adds 5 April 2016 as a non-working day THEN the job looks at both again and
    both first reviews move to Wednesday 4 May."""
    from django.utils import timezone

    changed, untouched = (period_of_care(start_date=date(2016, 4, 4)) for _ in range(2))
    assert services.due_dates_sweep_nightly() == 2
    assert services.due_dates_sweep_nightly() == 0
    PeriodOfCare.objects.filter(pk=changed.pk).update(
        next_review_due=date(2016, 5, 1), updated_at=timezone.now()
    )
    PeriodOfCare.objects.filter(pk=untouched.pk).update(next_review_due=date(2016, 5, 1))
    assert services.due_dates_sweep_nightly() == 1
    changed.refresh_from_db()
    untouched.refresh_from_db()
    assert (changed.next_review_due, untouched.next_review_due) == (date(2016, 5, 3), date(2016, 5, 1))
    non_working_day_add(day=date(2016, 4, 5), description="Council closure")
    assert services.due_dates_sweep_nightly() == 2
    changed.refresh_from_db()
    untouched.refresh_from_db()
    assert (changed.next_review_due, untouched.next_review_due) == (date(2016, 5, 4), date(2016, 5, 4))
