"""The retention schedule: when each record may be disposed of, derived from dated facts.

The one place a retention period is applied, as ``timescales/dates.py`` is for due dates: the
nightly prune, the "Records due for disposal" page and the disposal itself all ask here. The
periods are settings (``RETENTION_*``, README "Environment variables"); the defaults are the
project's reading of the law and common practice, for each council's information governance
team to confirm (docs/security.md, "Retention").

Children's records are kept whole: a child's disposal date is the latest date any rule that
applies to the child gives, so nothing about a child goes while any part must stay.

- **Looked after** (the child has had a period of care): until the 75th anniversary of the
  birth; if the child died before 18, for 15 years beginning with the date of death (Care
  Planning, Placement and Case Review (England) Regulations 2010, reg. 50).
- **Every child** (child protection and any other record, looked after or not): until the
  26th birthday (common council practice for child protection records of a child not looked
  after; local policy may differ).
- **Harmful sexual behaviour**: 75 years after the latest referral.
- A child with an open period of care or an open child protection plan is never due.

Dates: "until the Nth anniversary" means up to the start of that day (Family Law Reform Act
1969, s. 9: an age is attained at the start of the anniversary), so the anniversary is the
disposal date. A child born on 29 February has the anniversary on 1 March in a year that is
not a leap year: the later of the two readings, so no record is disposed of a day early.
"15 years beginning with the date of death" ends the day before the 15th anniversary, which
is therefore the disposal date.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models


class RetentionRule(models.TextChoices):
    """The rule that gave a child's record its disposal date (the latest of those that apply)."""

    LOOKED_AFTER = "looked_after", "Looked-after child: 75th anniversary of birth (CPPCR 2010, reg. 50)"
    LOOKED_AFTER_DIED = (
        "looked_after_died",
        "Looked-after child who died before 18: 15 years after death (CPPCR 2010, reg. 50)",
    )
    CHILD = "child", "Child not looked after (child protection): 26th birthday (local policy)"
    HSB = "hsb", "Harmful sexual behaviour: 75 years after the latest referral (local policy)"


@dataclass(frozen=True)
class RetentionPeriods:
    """The periods of the schedule, in years (children) and days (operational records)."""

    looked_after_age: int
    looked_after_after_death_years: int
    child_age: int
    hsb_years: int
    sign_in_attempt_days: int
    ended_session_days: int
    api_token_days: int
    consultation_link_days: int
    access_log_years: int


def periods_from_settings() -> RetentionPeriods:
    """The periods the council has set (or the defaults)."""
    return RetentionPeriods(
        looked_after_age=settings.RETENTION_LOOKED_AFTER_AGE,
        looked_after_after_death_years=settings.RETENTION_LOOKED_AFTER_AFTER_DEATH_YEARS,
        child_age=settings.RETENTION_CHILD_PROTECTION_AGE,
        hsb_years=settings.RETENTION_HSB_YEARS,
        sign_in_attempt_days=settings.RETENTION_SIGN_IN_ATTEMPT_DAYS,
        ended_session_days=settings.RETENTION_ENDED_SESSION_DAYS,
        api_token_days=settings.RETENTION_API_TOKEN_DAYS,
        consultation_link_days=settings.RETENTION_CONSULTATION_LINK_DAYS,
        access_log_years=settings.RETENTION_ACCESS_LOG_YEARS,
    )


def anniversary(day: date, years: int) -> date:
    """The ``years``-th anniversary of ``day``; 29 February's is 1 March in a common year."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return day.replace(year=year)


def years_before(moment: datetime, years: int) -> datetime:
    """``moment`` ``years`` years earlier (29 February to 28 February): the cut-off before which
    operational records kept for ``years`` years are old enough to go."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


@dataclass(frozen=True)
class ChildFacts:
    """The dated facts about one child that the schedule needs, read from each app's records."""

    # The date of birth, or the expected date for a child not yet born (or never born).
    born: date
    looked_after: bool = False
    # The date a care episode ended with reason E2 (died), or a plan ended because the child
    # died: the earliest recorded.
    died: date | None = None
    latest_hsb_referral: date | None = None
    # An open period of care or child protection plan: the record is live, never due.
    open_record: bool = False


@dataclass(frozen=True)
class Disposal:
    """When a child's whole record may be disposed of, and the rule that set the date."""

    on: date | None  # None: not while the record is open
    rule: RetentionRule


def child_disposal(facts: ChildFacts, *, periods: RetentionPeriods | None = None) -> Disposal:
    """The disposal date of a child's whole record: the latest date a rule that applies gives."""
    periods = periods or periods_from_settings()
    dates: list[tuple[date, RetentionRule]] = [
        (anniversary(facts.born, periods.child_age), RetentionRule.CHILD)
    ]
    if facts.looked_after:
        if facts.died is not None and facts.died < anniversary(facts.born, 18):
            dates.append(
                (
                    anniversary(facts.died, periods.looked_after_after_death_years),
                    RetentionRule.LOOKED_AFTER_DIED,
                )
            )
        else:
            dates.append((anniversary(facts.born, periods.looked_after_age), RetentionRule.LOOKED_AFTER))
    if facts.latest_hsb_referral is not None:
        dates.append((anniversary(facts.latest_hsb_referral, periods.hsb_years), RetentionRule.HSB))
    # The latest date wins; on a tie, the rule listed last (the more specific) names it.
    on, rule = max(reversed(dates), key=lambda pair: pair[0])
    return Disposal(on=None if facts.open_record else on, rule=rule)


def is_due(disposal: Disposal, *, today: date) -> bool:
    return disposal.on is not None and disposal.on <= today


@dataclass(frozen=True)
class OperationalCutoffs:
    """For each kind of operational record, the moment before which it has been kept long enough."""

    sign_in_attempts: datetime
    ended_sessions: datetime
    api_tokens: datetime
    consultation_links: datetime
    access_log: datetime


def operational_cutoffs(*, now: datetime, periods: RetentionPeriods | None = None) -> OperationalCutoffs:
    """The cut-offs of the nightly prune at ``now``."""
    periods = periods or periods_from_settings()
    return OperationalCutoffs(
        sign_in_attempts=now - timedelta(days=periods.sign_in_attempt_days),
        # A session lasts at most SESSION_ABSOLUTE_HOURS; its record is kept that long and then
        # the period, so that a live session's record is never taken.
        ended_sessions=now
        - timedelta(hours=settings.SESSION_ABSOLUTE_HOURS, days=periods.ended_session_days),
        api_tokens=now - timedelta(days=periods.api_token_days),
        consultation_links=now - timedelta(days=periods.consultation_link_days),
        access_log=years_before(now, periods.access_log_years),
    )
