"""The retention schedule's dates, each worked out by hand."""

from datetime import UTC, date, datetime

import pytest

from retention.schedule import (
    ChildFacts,
    RetentionRule,
    anniversary,
    child_disposal,
    is_due,
    operational_cutoffs,
    periods_from_settings,
    years_before,
)


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        # An ordinary birthday: the same day and month.
        (date(2001, 6, 15), 75, date(2076, 6, 15)),
        # Born 29 Feb 2000; 2075 is not a leap year. The legal birthday of a leapling in a common
        # year is 1 March, and it is the later of the two readings (28 Feb would erase a day
        # early), so 1 March 2075.
        (date(2000, 2, 29), 75, date(2075, 3, 1)),
        # 2076 is a leap year: the anniversary is 29 February itself.
        (date(2000, 2, 29), 76, date(2076, 2, 29)),
        # 28 February is never moved.
        (date(2001, 2, 28), 75, date(2076, 2, 28)),
        # The 26th birthday of a child born 29 Feb 2004: 2030 is common, so 1 March 2030.
        (date(2004, 2, 29), 26, date(2030, 3, 1)),
    ],
)
def test_anniversaries_worked_out_by_hand(day, years, expected):
    assert anniversary(day, years) == expected


PERIODS = periods_from_settings()


def test_a_looked_after_child_is_kept_until_the_75th_anniversary_of_birth():
    """Born 29 Feb 2000, in care once: 75th anniversary 1 March 2075 (see above). The 26th
    birthday (1 March 2026) is earlier, so the looked-after rule names the date."""
    disposal = child_disposal(ChildFacts(born=date(2000, 2, 29), looked_after=True), periods=PERIODS)
    assert (disposal.on, disposal.rule) == (date(2075, 3, 1), RetentionRule.LOOKED_AFTER)
    assert not is_due(disposal, today=date(2075, 2, 28))
    assert is_due(disposal, today=date(2075, 3, 1))


def test_a_looked_after_child_who_died_before_18_is_kept_15_years_from_the_death():
    """Born 3 May 2005, died in care 10 Oct 2012 (aged 7). 15 years beginning with 10 Oct 2012
    end on 9 Oct 2027, so the record may go from 10 Oct 2027. The 26th birthday, 3 May 2031,
    is later, and every child's record is kept until then: 3 May 2031."""
    facts = ChildFacts(born=date(2005, 5, 3), looked_after=True, died=date(2012, 10, 10))
    disposal = child_disposal(facts, periods=PERIODS)
    assert (disposal.on, disposal.rule) == (date(2031, 5, 3), RetentionRule.CHILD)


def test_the_death_rule_names_the_date_when_it_is_the_later():
    """Born 1 Jan 1990, died in care 31 Dec 2007 (the day before 18): 15th anniversary of the
    death 31 Dec 2022; 26th birthday 1 Jan 2016. The later, 31 Dec 2022, by the death rule."""
    facts = ChildFacts(born=date(1990, 1, 1), looked_after=True, died=date(2007, 12, 31))
    disposal = child_disposal(facts, periods=PERIODS)
    assert (disposal.on, disposal.rule) == (date(2022, 12, 31), RetentionRule.LOOKED_AFTER_DIED)


def test_a_death_at_18_or_later_keeps_the_75_year_rule():
    """Born 1 Jan 1990, died 1 Jan 2008, on the 18th birthday: not "before 18", so the 75th
    anniversary of birth, 1 Jan 2065."""
    facts = ChildFacts(born=date(1990, 1, 1), looked_after=True, died=date(2008, 1, 1))
    assert child_disposal(facts, periods=PERIODS).on == date(2065, 1, 1)


def test_a_child_protection_record_is_kept_until_the_26th_birthday():
    """Born 17 May 2010, on a plan, never in care: 17 May 2036."""
    disposal = child_disposal(ChildFacts(born=date(2010, 5, 17)), periods=PERIODS)
    assert (disposal.on, disposal.rule) == (date(2036, 5, 17), RetentionRule.CHILD)


def test_an_hsb_referral_keeps_the_record_75_years():
    """Born 1 Jan 2000, not in care, referred for HSB on 1 Sep 2014: 1 Sep 2089, later than the
    26th birthday (1 Jan 2026)."""
    facts = ChildFacts(born=date(2000, 1, 1), latest_hsb_referral=date(2014, 9, 1))
    disposal = child_disposal(facts, periods=PERIODS)
    assert (disposal.on, disposal.rule) == (date(2089, 9, 1), RetentionRule.HSB)


def test_an_open_record_is_never_due():
    facts = ChildFacts(born=date(1900, 1, 1), looked_after=True, open_record=True)
    disposal = child_disposal(facts, periods=PERIODS)
    assert disposal.on is None
    assert not is_due(disposal, today=date(2100, 1, 1))


def test_operational_cutoffs_worked_out_by_hand():
    """At 03:00 UTC on 4 Dec 2026 with the defaults: attempts 90 days back (5 Sep 2026);
    sessions 12 hours and 30 days back (3 Nov 2026, 15:00); tokens 365 days (4 Dec 2025);
    consultation links 90 days (5 Sep 2026); the access log six years (4 Dec 2020)."""
    now = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
    cutoffs = operational_cutoffs(now=now, periods=PERIODS)
    assert cutoffs.sign_in_attempts == datetime(2026, 9, 5, 3, 0, tzinfo=UTC)
    assert cutoffs.ended_sessions == datetime(2026, 11, 3, 15, 0, tzinfo=UTC)
    assert cutoffs.api_tokens == datetime(2025, 12, 4, 3, 0, tzinfo=UTC)
    assert cutoffs.consultation_links == datetime(2026, 9, 5, 3, 0, tzinfo=UTC)
    assert cutoffs.access_log == datetime(2020, 12, 4, 3, 0, tzinfo=UTC)


def test_six_years_before_29_february_is_28_february():
    assert years_before(datetime(2028, 2, 29, tzinfo=UTC), 6) == datetime(2022, 2, 28, tzinfo=UTC)
