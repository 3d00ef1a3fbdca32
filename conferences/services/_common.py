"""Private helpers shared by the services modules: the plan a child is on at a date, locking a
conference against a stale edit, refreshing the due dates around a changed conference, and the
DfE's CIN census rules a saved record's children are checked against."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from conferences import selectors
from conferences.models import (
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
)
from conferences.services.refresh import conference_due_dates_refresh
from iro_service.core.dfe import DfeWarning
from iro_service.core.versioning import refuse_if_changed_since
from iro_service.people.models import Child
from iro_service.timescales.dates import collection_year


def _open_plan(child: Child, on: date) -> ChildProtectionPlan | None:
    """The plan ``child`` is on at a conference held on ``on`` (started before it, not ended
    before it)."""
    return (
        ChildProtectionPlan.objects.filter(child=child, start_date__lt=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .order_by("-start_date")
        .first()
    )


def _lock_conference(conference: Conference, seen_updated_at: datetime | None) -> Conference:
    # of=("self",): the chair may be blank (imported conferences), and PostgreSQL cannot lock
    # the nullable side of an outer join; only the conference row needs the lock.
    locked = (
        Conference.objects.select_for_update(of=("self",))
        .select_related("family", "chair")
        .get(pk=conference.pk)
    )
    refuse_if_changed_since(locked, seen_updated_at, what="conference")
    return locked


def _refresh_around(conference: Conference) -> None:
    """Refresh ``conference`` and every conference of its children on or after its date: a
    change to whether or when it was held moves their "previous conference"."""
    child_ids = ConferenceChild.objects.filter(conference=conference).values("child_id")
    later = Conference.objects.filter(children__child_id__in=child_ids, date__gte=conference.date)
    ids = set(later.values_list("pk", flat=True)) | {conference.pk}
    conference_due_dates_refresh(conference_ids=ids)


def _dfe_warnings(*, child_ids, on: date) -> list[DfeWarning]:
    """The DfE's CIN census rules that the children's records, as saved, break in the census
    of the collection year of ``on`` (the date of the record saved): warnings given back with
    the record (``dfe_warnings``) for the page and the API to show; they never stop the save."""
    return selectors.children_dfe_warnings(
        child_ids=child_ids, year=collection_year(on), as_of=timezone.localdate()
    )
