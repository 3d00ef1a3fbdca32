"""Reminders: the nightly email to each IRO of the reviews due and records out of timescale."""

from __future__ import annotations

from datetime import date

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from iro_service.core.formats import long_date
from reviews import selectors
from reviews.models import IroReminder


@transaction.atomic
def iro_reminders_send(*, on: date | None = None) -> int:
    """The nightly reminder: each IRO in post with an email address gets the reviews due within
    the reminder window and their records out of timescale. Once a day per IRO (the
    IroReminder row), so running the job twice sends nothing twice. Returns emails sent."""
    on = on or timezone.localdate()
    reminders = selectors.iro_reminders(on=on)
    already = set(IroReminder.objects.filter(sent_on=on).values_list("iro_id", flat=True))
    sent = 0
    for reminder in reminders:
        iro = reminder.iro
        if iro.pk in already or not iro.email or not (reminder.reviews_due or reminder.records_overdue):
            continue
        # Claim the day's reminder first, in its own committed transaction: an email cannot be
        # taken back, so it is never sent from inside a transaction that could roll back, and
        # a concurrent run that loses the race for the claim sends nothing.
        with transaction.atomic():
            claim, created = IroReminder.objects.get_or_create(
                iro=iro,
                sent_on=on,
                defaults={
                    "reviews_due": len(reminder.reviews_due),
                    "records_overdue": len(reminder.records_overdue),
                },
            )
        if not created:
            continue
        context = {"reminder": reminder, "on": on}
        try:
            send_mail(
                subject=f"Your reviews due and records out of timescale, {long_date(on)}",
                message=render_to_string("reviews/email/iro_reminder.txt", context),
                from_email=None,
                recipient_list=[iro.email],
            )
        except Exception:
            claim.delete()  # so that the task's retry sends it
            raise
        sent += 1
    return sent
