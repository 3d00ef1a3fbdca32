"""The conferences app's home-page panels: a chair's coming conferences and overdue records, and
business support's paperwork counts."""

from __future__ import annotations

from django.utils import timezone

from conferences import selectors
from iro_service.core.home import Panel
from iro_service.people.selectors import staff_member_of
from iro_service.timescales.dates import add_working_days
from iro_service.timescales.selectors import timescale_settings


def chair_panel(request) -> Panel | None:
    """For a chair: conferences in the reminder window, ones to record, records overdue."""
    if not request.user.has_perm("conferences.record_conference"):
        return None
    chair = staff_member_of(request.user)
    if chair is None:
        return None
    today = timezone.localdate()
    horizon = add_working_days(today, timescale_settings().reminder_working_days)
    counts = {
        "upcoming": selectors.conferences_upcoming(on=today, until=horizon, chair=chair)
        .restrict(request.user)
        .count(),
        "not_recorded": selectors.conferences_not_recorded(on=today, chair=chair)
        .restrict(request.user)
        .count(),
        "overdue": selectors.records_overdue(on=today, chair=chair).restrict(request.user).count(),
    }
    if not any(counts.values()):
        return None
    return Panel("conferences/home_chair_panel.html", {**counts, "horizon": horizon})


def business_support_panel(request) -> Panel | None:
    """For business support: reports outstanding and records to distribute."""
    if not request.user.has_perm("conferences.track_conference_paperwork"):
        return None
    today = timezone.localdate()
    counts = {
        "reports": selectors.reports_outstanding(on=today).restrict(request.user).count(),
        "records": selectors.records_to_distribute().restrict(request.user).count(),
    }
    if not any(counts.values()):
        return None
    return Panel("conferences/home_support_panel.html", counts)
