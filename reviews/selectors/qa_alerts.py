"""Reads for the QA alerts app."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Q,
    QuerySet,
)

from reviews.models import (
    CafcassInvolvement,
    LegalAdviceReferral,
    PeriodOfCare,
)


def children_in_care_on(*, child_ids, on: date) -> set[int]:
    """Of ``child_ids``, the children looked after on ``on`` (as ``periods_in_care_on`` counts
    them: a period started by then and not ended by it). One query."""
    return set(
        PeriodOfCare.objects.filter(child_id__in=list(child_ids), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .values_list("child_id", flat=True)
    )


def guardians_of_children(*, child_ids) -> QuerySet[CafcassInvolvement]:
    """The Children's Guardians recorded for these children, newest first, with the child."""
    return (
        CafcassInvolvement.objects.filter(child_id__in=list(child_ids))
        .select_related("child")
        .order_by("-start_date", "pk")
    )


def legal_advice_referrals_of_children(*, child_ids) -> QuerySet[LegalAdviceReferral]:
    """The referrals for independent legal advice recorded for these children, newest first."""
    return (
        LegalAdviceReferral.objects.filter(child_id__in=list(child_ids))
        .select_related("child")
        .order_by("-date_referred", "pk")
    )
