"""The qa_alerts app's home-page panel: an IRO's open, overdue alerts and unread notices."""

from __future__ import annotations

from django.utils import timezone

from iro_service.core.home import Panel
from iro_service.people.selectors import staff_member_of
from qa_alerts import selectors


def iro_panel(request) -> Panel | None:
    """For an IRO who raises alerts: open and overdue alerts, and notices not yet read. Two queries."""
    if not request.user.has_perm("qa_alerts.add_qaalert"):
        return None
    iro = staff_member_of(request.user)
    if iro is None:
        return None
    counts = selectors.iro_alert_counts(iro=iro, today=timezone.localdate())
    if not any(counts.values()):
        return None
    return Panel("qa_alerts/home_panel.html", counts)
