"""When each LAC review and its paperwork are due (domain.md section 2), worked out from dated
facts with the functions of ``iro_service.timescales.dates``.

Pure functions: they read nothing from the database, so that the refresh service and the demo
loader (which computes thousands of dates in Python) share one rule. The statutory intervals are
named constants below; the local ones come from ``TimescaleSettings``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q

from iro_service.timescales.dates import add_months, add_working_days, working_days_before
from reviews.codes import SHORT_BREAK_LEGAL_STATUSES

# Care Planning, Placement and Case Review (England) Regulations 2010, regulation 33.
FIRST_REVIEW_WORKING_DAYS = 20
SECOND_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6
# A period of short breaks only: first review within 3 months, then 6-monthly.
SHORT_BREAKS_FIRST_REVIEW_MONTHS = 3


def review_due(
    *,
    sequence: int,
    period_start: date,
    previous_review_date: date | None,
    short_breaks: bool,
    extra: Iterable[date] | None = None,
) -> date:
    """The last day on which review number ``sequence`` of a period of care is on time.

    ``previous_review_date`` is the date of the review before it, which is the date of that
    review's part 1: a late review moves the clock, and later parts never do."""
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    if sequence == 1:
        if short_breaks:
            return add_months(period_start, SHORT_BREAKS_FIRST_REVIEW_MONTHS)
        return add_working_days(period_start, FIRST_REVIEW_WORKING_DAYS, extra=extra)
    if previous_review_date is None:
        raise ValueError("a second or later review needs the previous review's date")
    months = SECOND_REVIEW_MONTHS if sequence == 2 and not short_breaks else LATER_REVIEW_MONTHS
    return add_months(previous_review_date, months)


@dataclass(frozen=True)
class PaperworkDue:
    """The dates a review's paperwork is due, from the review's date and the local settings."""

    sw_report: date
    decisions: date
    record: date


def paperwork_due(*, review_date: date, settings, extra: Iterable[date] | None = None) -> PaperworkDue:
    return PaperworkDue(
        sw_report=working_days_before(review_date, settings.lac_sw_report_days_before, extra=extra),
        decisions=add_working_days(review_date, settings.lac_decisions_days, extra=extra),
        record=add_working_days(review_date, settings.lac_record_days, extra=extra),
    )


@dataclass(frozen=True)
class ReviewDates:
    sequence: int
    due: date


def period_review_schedule(
    *,
    period_start: date,
    review_dates: Sequence[date],
    short_breaks: bool,
    extra: Iterable[date] | None = None,
) -> tuple[list[ReviewDates], date]:
    """For the reviews of one period, held on ``review_dates`` (sorted), each one's sequence
    number and due date, and the due date of the next review still to be held."""
    extra_days = None if extra is None else frozenset(extra)
    schedule = []
    previous = None
    for index, held_on in enumerate(review_dates, start=1):
        due = review_due(
            sequence=index,
            period_start=period_start,
            previous_review_date=previous,
            short_breaks=short_breaks,
            extra=extra_days,
        )
        schedule.append(ReviewDates(sequence=index, due=due))
        previous = held_on
    next_due = review_due(
        sequence=len(review_dates) + 1,
        period_start=period_start,
        previous_review_date=previous,
        short_breaks=short_breaks,
        extra=extra_days,
    )
    return schedule, next_due


def fourth_birthday(date_of_birth: date) -> date:
    return add_months(date_of_birth, 48)


PN0 = "PN0"


def participation_age_mismatch(*, date_of_birth: date | None, review_date: date, code: str) -> str | None:
    """PN0 if and only if the child is under 4 on the review date; on the 4th birthday either is
    accepted (SSDA903 rules 440 and 441). Returns "under 4" when a child under 4 has another
    code, "4 or older" when an older child has PN0, and None when the code fits."""
    if not code or date_of_birth is None:
        return None
    birthday = fourth_birthday(date_of_birth)
    if review_date < birthday and code != PN0:
        return "under 4"
    if review_date > birthday and code == PN0:
        return "4 or older"
    return None


# "On time" for a review and its paperwork: the event happened on or before the day it was due;
# one not (yet) recorded is not on time. This one table drives both the database filters the
# figures count with and the checks the pages and the API show.
ON_TIME_FIELDS = {
    "review": ("review_date", "due_date"),
    "sw_report": ("sw_report_received", "sw_report_due"),
    "record": ("record_distributed", "record_due"),
}


def on_time_filter(what: str) -> Q:
    """Reviews whose ``what`` (review, sw_report or record) happened by its due date."""
    happened, due = ON_TIME_FIELDS[what]
    return Q(**{f"{happened}__lte": F(due)})


def late_filter(what: str) -> Q:
    """Reviews whose ``what`` happened, after its due date."""
    happened, due = ON_TIME_FIELDS[what]
    return Q(**{f"{happened}__gt": F(due)})


def is_on_time(review, what: str) -> bool:
    """The same rule as ``on_time_filter``, for a review already read."""
    happened, due = (getattr(review, name) for name in ON_TIME_FIELDS[what])
    return happened is not None and due is not None and happened <= due


def is_short_breaks_only(legal_statuses: Iterable[str]) -> bool:
    """A period of care is short breaks only when it has episodes and every one is V3 or V4."""
    statuses = set(legal_statuses)
    return bool(statuses) and statuses <= SHORT_BREAK_LEGAL_STATUSES


# The cached columns the function below works out, in the order it gives them.
REVIEW_DUE_FIELDS = (
    "sequence",
    "due_date",
    "sw_report_due",
    "decisions_due",
    "record_due",
    "next_review_due",
)
PERIOD_DUE_FIELDS = ("is_short_breaks", "next_review_due", "first_review_due")


@dataclass(frozen=True)
class ReviewDueDates:
    """One review's cached dates: its number in the period, when it was due, when its
    paperwork is due, and when the review after it is due."""

    review_date: date
    sequence: int
    due_date: date
    sw_report_due: date
    decisions_due: date
    record_due: date
    next_review_due: date

    def as_fields(self) -> dict:
        return {name: getattr(self, name) for name in REVIEW_DUE_FIELDS}


@dataclass(frozen=True)
class PeriodDueDates:
    """A period of care's cached dates, and those of each of its reviews (in date order)."""

    is_short_breaks: bool
    next_review_due: date | None  # None once the period has ended
    first_review_due: date
    reviews: list[ReviewDueDates]

    def as_fields(self) -> dict:
        return {name: getattr(self, name) for name in PERIOD_DUE_FIELDS}

    def review_held_on(self, day: date) -> ReviewDueDates:
        return next(review for review in self.reviews if review.review_date == day)


def period_due_dates(
    *,
    period_start: date,
    period_open: bool,
    legal_statuses: Iterable[str],
    review_dates: Sequence[date],
    settings,
    extra: Iterable[date] | None = None,
    paperwork: Callable[[date], PaperworkDue] | None = None,
) -> PeriodDueDates:
    """Every cached date of one period of care, from its facts: the start, whether it is still
    open, its episodes' legal statuses and the dates its reviews were held (sorted). The one
    rule the refresh service, the SSDA903 importer and the demo loader all use. ``paperwork``
    may be a memoised ``paperwork_due`` for callers that work out thousands of periods."""
    extra_days = None if extra is None else frozenset(extra)
    short_breaks = is_short_breaks_only(legal_statuses)
    schedule, next_due = period_review_schedule(
        period_start=period_start, review_dates=review_dates, short_breaks=short_breaks, extra=extra_days
    )
    if paperwork is None:

        def paperwork(held_on: date) -> PaperworkDue:
            return paperwork_due(review_date=held_on, settings=settings, extra=extra_days)

    # The review after each one is due from that review's date: the next review's due date in
    # the schedule, or the period's next due date after the last review held.
    following = [*(item.due for item in schedule), next_due][1:]
    reviews = []
    for held_on, item, after in zip(review_dates, schedule, following, strict=True):
        due = paperwork(held_on)
        reviews.append(
            ReviewDueDates(
                review_date=held_on,
                sequence=item.sequence,
                due_date=item.due,
                sw_report_due=due.sw_report,
                decisions_due=due.decisions,
                record_due=due.record,
                next_review_due=after,
            )
        )
    return PeriodDueDates(
        is_short_breaks=short_breaks,
        next_review_due=next_due if period_open else None,
        first_review_due=schedule[0].due if schedule else next_due,
        reviews=reviews,
    )
