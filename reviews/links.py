"""The reviews app's links on a child's summary page (``ReviewsConfig.child_links``; the hook is
described in ``iro_service.people.links``)."""

from __future__ import annotations

from django.urls import reverse

from iro_service.people.links import ChildLink


def child_links(request, child) -> list[ChildLink]:
    """The child's care page, for those who may open it (the permission its view checks). No
    query: whether the child has been in care is the page's to say."""
    if not request.user.has_perm("reviews.view_lacreview"):
        return []
    return [
        ChildLink(
            "Care and reviews",
            reverse("reviews:care-record", args=[child.pk]),
            "Periods of care, reviews and their records, the IRO's visits, permanence plans, "
            "Children's Guardians and referrals for legal advice",
        )
    ]
