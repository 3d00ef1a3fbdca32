"""The reviews app's home-page panel: an IRO's reminders (the same lists the nightly email sends)."""

from __future__ import annotations

from django.utils import timezone

from iro_service.audit.services import access_log_record_list
from iro_service.core.home import Panel
from iro_service.people.codes import JobRole
from iro_service.people.selectors import staff_member_of
from iro_service.timescales.selectors import timescale_settings
from reviews import selectors


def iro_reminders_panel(request) -> Panel | None:
    """For a signed-in IRO: reviews due within the reminder window and records out of timescale."""
    if not request.user.has_perm("reviews.view_lacreview"):
        return None
    member = staff_member_of(request.user)
    if member is None or member.job_role != JobRole.IRO:
        return None
    today = timezone.localdate()
    reminders = selectors.iro_reminders(on=today, iro=member, user=request.user)
    if not reminders:
        return None
    reminder = reminders[0]
    access_log_record_list(
        request=request,
        child_ids=[period.child_id for period in reminder.reviews_due]
        + [review.child_id for review in reminder.records_overdue],
        what="Home: reminders",
    )
    return Panel(
        "reviews/home_panel.html",
        {"reminder": reminder, "today": today, "days": timescale_settings().reminder_working_days},
    )
