"""The consultations app's home-page panel: the in-app safety notices not yet read."""

from __future__ import annotations

from consultations import selectors
from iro_service.core.home import Panel
from iro_service.people.selectors import staff_member_of


def safety_panel(request) -> Panel | None:
    """For the IRO and team manager told that a child said they do not feel safe: until they
    open the child's consultations. One query (two with the staff record)."""
    if not request.user.has_perm("consultations.view_answer"):
        return None
    staff = staff_member_of(request.user)
    if staff is None:
        return None
    notices = list(selectors.unread_safety_notices(staff=staff).restrict(request.user))
    if not notices:
        return None
    return Panel("consultations/home_panel.html", {"notices": notices})
