"""Reminder emails to chairs and business support, each claimed for the day before it is sent
so that running the job again sends nothing twice."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction

from conferences import selectors
from conferences.models import (
    Conference,
    ConferenceReminder,
    ReminderKind,
)
from iro_service.audit.services import claims_honour, claims_take
from iro_service.core.formats import first_and_more, long_date
from iro_service.core.restriction import restrict_to_staff
from iro_service.core.roles import Role
from iro_service.people.models import StaffMember
from iro_service.timescales.dates import (
    add_working_days,
)
from iro_service.timescales.selectors import timescale_settings

# --- reminders ------------------------------------------------------------------------------


def conference_reminders_send(*, on: date) -> int:
    """Email each chair their conferences in the next reminder window and their overdue
    records, and business support the reports outstanding and records to distribute. Returns
    the number of emails sent. Idempotent: each email is claimed for the day by a
    ConferenceReminder row before it is sent, so running the job again (or twice at once)
    sends nothing twice."""
    settings_row = timescale_settings()
    horizon = add_working_days(on, settings_row.reminder_working_days)
    # Each chair's email leaves out the conferences about a child hidden from that chair (a
    # restricted child the chair is not named for), as their pages do.
    upcoming = restrict_to_staff(selectors.conferences_upcoming(on=on, until=horizon), "chair_id")
    overdue = restrict_to_staff(selectors.records_overdue(on=on), "chair_id")
    by_chair: dict[int, dict[str, list[Conference]]] = defaultdict(lambda: {"upcoming": [], "overdue": []})
    chairs: dict[int, StaffMember] = {}
    for conference in upcoming:
        by_chair[conference.chair_id]["upcoming"].append(conference)
        chairs[conference.chair_id] = conference.chair
    for conference in overdue:
        if conference.chair_id is None:
            continue
        by_chair[conference.chair_id]["overdue"].append(conference)
        chairs[conference.chair_id] = conference.chair
    emails = []
    for chair_id, lists in by_chair.items():
        chair = chairs[chair_id]
        address = chair.email or (chair.user.email if chair.user_id else "")
        if address:
            emails.append(
                _Email(
                    kind=ReminderKind.CHAIR,
                    recipients=[address],
                    subject="Your child protection conferences",
                    body=partial(_chair_body, lists=lists, horizon=horizon),
                )
            )
    reports = selectors.reports_outstanding(on=on).filter(date__lte=horizon)
    records = selectors.records_to_distribute()
    support = list(
        get_user_model()
        .objects.filter(groups__name=Role.BUSINESS_SUPPORT, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
    if support and (reports.exists() or records.exists()):
        emails.append(
            _Email(
                kind=ReminderKind.PAPERWORK,
                recipients=support,
                subject="Child protection conference paperwork",
                body=lambda: (
                    f"Conferences up to {long_date(horizon)} still waiting for a social worker's "
                    f"report: {reports.count()}\n"
                    f"Conference records waiting to be distributed: {records.count()}\n"
                ),
            )
        )
    return _reminders_send_once(emails, on=on)


@dataclass(frozen=True)
class _Email:
    """One reminder to send, its body written only once it is claimed (a run that finds the
    day's reminders sent writes none)."""

    kind: str
    recipients: list[str]
    subject: str
    body: Callable[[], str]

    @property
    def recipient(self) -> str:
        return ",".join(self.recipients)[:254]


def _chair_body(*, lists: dict[str, list[Conference]], horizon: date) -> str:
    upcoming, upcoming_more = first_and_more(lists["upcoming"])
    overdue, overdue_more = first_and_more(lists["overdue"])
    lines = [f"Conferences you chair up to {long_date(horizon)}:"]
    lines += [f"- {c.date:%d %b %Y}: {c.get_conference_type_display()}, {c.family.name}" for c in upcoming]
    if upcoming_more:
        lines.append(f"- and {upcoming_more} more in My conferences")
    lines += ["", "Records overdue:"]
    lines += [
        f"- {c.family.name}, conference {c.date:%d %b %Y}, due {c.record_due:%d %b %Y}" for c in overdue
    ]
    if overdue_more:
        lines.append(f"- and {overdue_more} more in My conferences")
    return "\n".join(lines)


def _reminders_send_once(emails: list[_Email], *, on: date) -> int:
    """Send each reminder unless it has already gone today; the number sent now.

    The claims are committed before any email goes, all in one step: an email cannot be taken
    back, so it must never be sent from inside a transaction that could still roll back, and a
    concurrent run that loses the race for a claim sends nothing for it. If sending fails, the
    claims not yet sent are removed and the error raised (``claims_honour``), so that the task's
    retry sends them."""
    with transaction.atomic():
        claims = claims_take(
            ConferenceReminder,
            [{"kind": email.kind, "recipient": email.recipient, "sent_on": on} for email in emails],
            key=["kind", "recipient"],
        )
    # One email a claim: two chairs sharing an address get the first one's, as before.
    claimed = []
    for email in emails:
        pk = claims.pop((email.kind, email.recipient), None)
        if pk is not None:
            claimed.append((pk, partial(_email_send, email)))
    return claims_honour(ConferenceReminder, claimed)


def _email_send(email: _Email) -> None:
    send_mail(email.subject, email.body(), None, email.recipients)
