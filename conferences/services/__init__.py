"""Writes for the conferences app: workflows that change its models, named <entity>_<action>.

Every write validates first and changes nothing if anything is wrong: each service runs in one
transaction and raises ``ValidationError({field: message})`` with a message that says what to do.
Due dates are never set by hand: ``conference_due_dates_refresh`` derives them from the dated
facts through the timescales module.

The services live in one module per part of the work: ``refresh`` (the due-date cache),
``booking`` (strategy discussions, booking, standing down), ``assessments`` (a section 47
enquiry's assessment), ``recording`` (a held conference
and its plans), ``child_views`` (the child's views on the record), ``paperwork`` (reports and
records), ``appeals`` and ``reminders``; private helpers they share are in ``_common``. Import
them from here: ``conferences.services``.
"""

from conferences.services.appeals import appeal_record, appeal_update
from conferences.services.assessments import section47_assessment_record
from conferences.services.booking import conference_book, conference_stand_down, strategy_discussion_record
from conferences.services.child_views import conference_child_view_record
from conferences.services.paperwork import (
    conference_record_distribute,
    conference_records_distribute,
    conference_reports_record,
)
from conferences.services.recording import (
    AgencyAttendance,
    ChildDecision,
    ChildDecisionError,
    conference_record,
    cp_plan_end,
    cp_plan_start,
)
from conferences.services.refresh import (
    conference_due_dates_refresh,
    conference_due_dates_sweep_nightly,
    plan_next_reviews_refresh,
)
from conferences.services.reminders import conference_reminders_send

__all__ = [
    "AgencyAttendance",
    "ChildDecision",
    "ChildDecisionError",
    "appeal_record",
    "appeal_update",
    "conference_book",
    "conference_child_view_record",
    "conference_due_dates_refresh",
    "conference_due_dates_sweep_nightly",
    "conference_record",
    "conference_record_distribute",
    "conference_records_distribute",
    "conference_reminders_send",
    "conference_reports_record",
    "conference_stand_down",
    "cp_plan_end",
    "cp_plan_start",
    "plan_next_reviews_refresh",
    "section47_assessment_record",
    "strategy_discussion_record",
]
