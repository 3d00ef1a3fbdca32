"""Writes for the qa_alerts app: workflows that change its models, named <entity>_<action>.

Every write validates first and changes nothing if anything is wrong: each service runs in one
transaction and raises ``ValidationError({field: message})``. Every change of an alert's state
takes a row lock on the alert and checks the state it expects under it, and is kept as an
``AlertTransition``. Emails are never sent inside a transaction: the services queue the job
that sends them once their change is committed.

One module per part of the work: ``raising`` (raising an alert, the due-date cache),
``responses`` (responses, the link without an account), ``escalation`` (by hand and by the
nightly job, referrals, resolution), ``notifications`` (emails and reminders), ``lists`` (what
managers keep) and ``challenge`` (challenge meetings). Import them from here.
"""

from qa_alerts.services.challenge import (
    challenge_action_add,
    challenge_action_complete,
    challenge_meeting_save,
)
from qa_alerts.services.escalation import (
    alert_escalate,
    alert_notices_read,
    alert_refer,
    alert_resolve,
    alert_stage_address,
    alerts_escalate_overdue,
)
from qa_alerts.services.lists import challenge_theme_save, concern_category_save, escalation_stages_update
from qa_alerts.services.notifications import alert_emails_catch_up, alert_emails_send, alert_reminders_send
from qa_alerts.services.raising import alert_context, alert_due_dates_refresh, alert_raise
from qa_alerts.services.responses import (
    LinkRefused,
    alert_response_judge,
    alert_response_record,
    alert_response_through_link,
    response_link_check,
    response_link_issue,
)

__all__ = [
    "LinkRefused",
    "alert_context",
    "alert_due_dates_refresh",
    "alert_emails_catch_up",
    "alert_emails_send",
    "alert_escalate",
    "alert_notices_read",
    "alert_raise",
    "alert_refer",
    "alert_reminders_send",
    "alert_resolve",
    "alert_response_judge",
    "alert_response_record",
    "alert_response_through_link",
    "alert_stage_address",
    "alerts_escalate_overdue",
    "challenge_action_add",
    "challenge_action_complete",
    "challenge_meeting_save",
    "challenge_theme_save",
    "concern_category_save",
    "escalation_stages_update",
    "response_link_check",
    "response_link_issue",
]
