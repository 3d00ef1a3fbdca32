"""Reminders: the nightly email to each IRO of the reviews due and records out of timescale."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from iro_service.audit.services import claims_honour, claims_take
from iro_service.core.formats import first_and_more, long_date
from reviews import selectors
from reviews.models import IroReminder


def iro_reminders_send(*, on: date | None = None) -> int:
    """The nightly reminder: each IRO in post with an email address gets the reviews due within
    the reminder window and their records out of timescale. Once a day per IRO (the
    IroReminder row), so running the job twice sends nothing twice. Returns emails sent."""
    on = on or timezone.localdate()
    reminders = [
        reminder
        for reminder in selectors.iro_reminders(on=on)
        if reminder.iro.email and (reminder.reviews_due or reminder.records_overdue)
    ]
    # Claim the day's reminders first, all in one committed transaction: an email cannot be
    # taken back, so it is never sent from inside a transaction that could roll back, and a
    # concurrent run that loses the race for a claim sends nothing for it. So the job itself
    # is not one transaction: its claims would be committed only after every email had gone.
    with transaction.atomic():
        claims = claims_take(
            IroReminder,
            [
                {
                    "iro": reminder.iro.pk,
                    "sent_on": on,
                    "reviews_due": len(reminder.reviews_due),
                    "records_overdue": len(reminder.records_overdue),
                }
                for reminder in reminders
            ],
            key=["iro"],
        )
    claimed = [
        (claims[(reminder.iro.pk,)], partial(_reminder_send, reminder, on=on))
        for reminder in reminders
        if (reminder.iro.pk,) in claims
    ]
    # A failed send removes its claim and those not yet sent, so that the task's retry sends them.
    return claims_honour(IroReminder, claimed)


def _reminder_send(reminder, *, on: date) -> None:
    reviews_listed, reviews_more = first_and_more(reminder.reviews_due)
    records_listed, records_more = first_and_more(reminder.records_overdue)
    context = {
        "reminder": reminder,
        "on": on,
        "reviews_listed": reviews_listed,
        "reviews_more": reviews_more,
        "records_listed": records_listed,
        "records_more": records_more,
    }
    send_mail(
        subject=f"Your reviews due and records out of timescale, {long_date(on)}",
        message=render_to_string("reviews/email/iro_reminder.txt", context),
        from_email=None,
        recipient_list=[reminder.iro.email],
    )
