"""The conferences app's links on a child's summary page (``ConferencesConfig.child_links``; the
hook is described in ``iro_service.people.links``)."""

from __future__ import annotations

from django.urls import reverse

from iro_service.people.links import ChildLink


def child_links(request, child) -> list[ChildLink]:
    """The child's conferences and plans, and the page of each household the child lives in now,
    for those who may open them (the permission their views check). No query: the summary page
    has loaded the child's households."""
    if not request.user.has_perm("conferences.view_conference"):
        return []
    links = [
        ChildLink(
            "Conferences and plans",
            reverse("conferences:child-record", args=[child.pk]),
            "Child protection conferences about the child, in every household, and their plans",
        )
    ]
    for membership in child.family_memberships.all():
        if membership.end_date is None:
            family = membership.family
            links.append(
                ChildLink(
                    f"Household: {family.name} ({family.reference})",
                    reverse("conferences:family-detail", args=[family.pk]),
                    "The household's conferences, chairs and each child's plans",
                )
            )
    return links
