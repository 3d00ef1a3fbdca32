"""The HSB app's link on a child's summary page (``HsbConfig.child_links``; the hook is described
in ``iro_service.people.links``)."""

from __future__ import annotations

from hsb.selectors import child_hsb_link
from iro_service.people.links import ChildLink


def child_links(request, child) -> list[ChildLink]:
    """The child's HSB records, only for those the HSB selectors allow (the HSB lead, managers
    who see every record, an IRO who chairs a meeting about the child). For everyone else no
    link at all: even the existence of an HSB referral is restricted."""
    link = child_hsb_link(user=request.user, child=child)
    if link is None:
        return []
    return [
        ChildLink(link["label"], link["url"], "Referrals, threshold decisions, HSB meetings and assessments")
    ]
