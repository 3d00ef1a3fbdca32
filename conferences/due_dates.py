"""When each child protection conference and its paperwork are due (domain.md section 3),
worked out from dated facts with the functions of ``iro_service.timescales.dates``.

Pure functions: they read nothing from the database, so that the refresh service, the
"conferences to book" list, the CIN census export and the demo loader share one rule. The
national intervals are named constants below; the local ones come from ``TimescaleSettings``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from conferences.models import ChildStage, Conference, ConferenceType
from iro_service.people.models import Child
from iro_service.timescales.dates import add_months, add_working_days, working_days_before

# National timescales (Working Together to Safeguard Children), not local settings: the first
# review within 3 months of the initial conference, later reviews within 6 months of the last.
FIRST_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6
# A full-term pregnancy, for "by N weeks' gestation" counted back from the expected birth.
FULL_TERM_WEEKS = 40


def initial_conference_due(*, counted_from: date, settings_row, extra: Iterable[date] | None = None) -> date:
    """The last day for an initial conference counted from the strategy discussion (or, for the
    DfE's measure, the section 47 start): the local working-day timescale, 15 by default."""
    return add_working_days(counted_from, settings_row.icpc_days_from_strategy, extra=extra)


def review_conference_due(*, previous_held: date, first_review: bool) -> date:
    """The last day for a review conference: 3 months after the initial conference for the
    first review, 6 months after the previous conference for every later one."""
    return add_months(previous_held, FIRST_REVIEW_MONTHS if first_review else LATER_REVIEW_MONTHS)


def plan_next_review(*, start_date: date, last_held: date | None) -> tuple[date, date]:
    """The day an open plan's next review conference is counted from, and the day it is due by:
    from the child's last held conference, or the plan's start when none is held yet; the
    first review when that is the plan's own initial conference."""
    counted_from = last_held or start_date
    return counted_from, review_conference_due(
        previous_held=counted_from, first_review=counted_from == start_date
    )


def initial_conference_counted_from_bound(*, due_by: date, settings_row) -> date:
    """The latest strategy discussion from which an initial conference could be due by
    ``due_by``: every working day is at least a calendar day, so no later discussion can be."""
    return due_by - timedelta(days=settings_row.icpc_days_from_strategy)


def initial_conference_latest_discussion(
    *, due_by: date, settings_row, extra: Iterable[date] | None = None
) -> date:
    """The latest strategy discussion from which an initial conference is due by ``due_by``.
    The due date never falls as the discussion's date rises, so the discussions due by a day
    are exactly those on or before this one, and a list can be cut and ordered by the date."""
    day = initial_conference_counted_from_bound(due_by=due_by, settings_row=settings_row)
    while initial_conference_due(counted_from=day, settings_row=settings_row, extra=extra) > due_by:
        day -= timedelta(days=1)
    return day


def child_stage_due_date(
    *, conference: Conference, stage: str, child: Child, previous_held: date | None, settings_row, extra
) -> date | None:
    """The date by which ``child``'s conference at ``stage`` should be held, or None when the
    fact it counts from is not recorded."""
    if stage == ChildStage.INITIAL:
        if conference.conference_type == ConferenceType.INITIAL_RECEIVING_IN:
            if conference.transfer_notified_on is None:
                return None
            return add_working_days(
                conference.transfer_notified_on, settings_row.transfer_in_days, extra=extra
            )
        if conference.strategy_discussion is None:
            return None
        return initial_conference_due(
            counted_from=conference.strategy_discussion.date, settings_row=settings_row, extra=extra
        )
    if stage == ChildStage.INITIAL_PRE_BIRTH:
        if child.expected_date_of_birth is None:
            return None
        # "By 28 weeks' gestation": the day the mother is that many weeks pregnant.
        weeks_before_birth = FULL_TERM_WEEKS - settings_row.pre_birth_weeks_gestation
        return child.expected_date_of_birth - timedelta(weeks=weeks_before_birth)
    if previous_held is None:
        return None
    return review_conference_due(previous_held=previous_held, first_review=stage == ChildStage.FIRST_REVIEW)


def conference_due_values(*, conference: Conference, child_dues: list[date], settings_row, extra) -> dict:
    """The cached due-date columns of ``conference``, given its children's stage due dates."""
    initial = conference.is_initial
    return {
        # A combined conference is due when its most pressing child's stage is due.
        "due_date": min(child_dues) if child_dues else None,
        "parent_report_due": working_days_before(
            conference.date,
            settings_row.icpc_report_to_parents_days if initial else settings_row.rcpc_report_days,
            extra=extra,
        ),
        "chair_report_due": working_days_before(
            conference.date,
            settings_row.icpc_report_to_chair_days if initial else settings_row.rcpc_report_days,
            extra=extra,
        ),
        "record_due": add_working_days(conference.date, settings_row.cp_record_days, extra=extra),
    }
