"""The one writer of a conference's cached due dates, and of when each open plan's next review
is due: ``conference_due_dates_refresh`` derives them from the dated facts through
``conferences.due_dates`` and the timescale settings."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q

from conferences.due_dates import child_stage_due_date, conference_due_values, plan_next_review
from conferences.models import (
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    ConferenceStatus,
)
from iro_service.core.db import update_columns
from iro_service.timescales.dates import (
    extra_non_working_days,
)
from iro_service.timescales.selectors import timescale_settings
from iro_service.timescales.services import due_dates_sweep

# --- due dates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _HeldHistory:
    """Each child's held conferences, oldest first, for finding "the previous conference"."""

    dates: dict[int, list[date]]

    def previous(self, child_id: int, before: date) -> date | None:
        dates = self.dates.get(child_id, [])
        index = bisect.bisect_left(dates, before)
        return dates[index - 1] if index else None


def _held_history(child_ids: Iterable[int]) -> _HeldHistory:
    rows = ConferenceChild.objects.filter(
        conference__status=ConferenceStatus.HELD, child_id__in=list(child_ids)
    )
    dates: dict[int, list[date]] = defaultdict(list)
    for child_id, held_on in rows.order_by("child_id", "conference__date").values_list(
        "child_id", "conference__date"
    ):
        dates[child_id].append(held_on)
    return _HeldHistory(dates=dict(dates))


# Conferences refreshed together by the nightly sweep: every conference at once held 1.6
# million of them and their 2.7 million children's rows in memory nationally (7.9 GB).
SWEEP_BATCH = 20_000


SWEEP_NAME = "conferences-due-dates"


def conference_due_dates_sweep_nightly() -> int:
    """The nightly job; return how many rows changed. A conference's due dates are worked out
    from its facts and its children's earlier conferences, refreshed in the same transaction as
    every change to them, and from the calendar (the settings and the non-working days). While
    the calendar is the one the last sweep worked to, only the conferences changed since it
    began, and every conference of their children, are looked at again, as a safety net; after
    a change to the calendar, every conference."""
    return due_dates_sweep(
        name=SWEEP_NAME, everything=conference_due_dates_refresh, changed_since=_changed_since_refresh
    )


def _changed_since_refresh(since) -> int:
    """The conferences changed since ``since`` and every conference of their children (a
    changed conference can be the "previous conference" of a later one)."""
    children = ConferenceChild.objects.filter(conference__updated_at__gte=since).values("child_id")
    ids = (
        Conference.objects.filter(Q(updated_at__gte=since) | Q(children__child_id__in=children))
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    return conference_due_dates_refresh(conference_ids=ids)


def conference_due_dates_refresh(*, conference_ids: Iterable[int] | None = None) -> int:
    """Recompute the cached due dates of the given conferences (all of them when None) from the
    facts and the current timescale settings, with when their children's open plans are next
    due a review (every plan's when None); return how many rows changed.

    The one place due dates are written. Runs nightly (settings and non-working days change)
    and after every change to a conference, for it and the later conferences of its children.
    A stood-down conference is not held, so it never counts as "the previous conference"."""
    if conference_ids is not None:
        ids = list(conference_ids)
        batches = (ids[start : start + SWEEP_BATCH] for start in range(0, len(ids), SWEEP_BATCH))
        return sum(_conference_due_dates_refresh(batch) for batch in batches)
    changed, after = 0, 0
    while batch := list(
        Conference.objects.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH]
    ):
        changed += _conference_due_dates_refresh(batch)
        after = batch[-1]
    # Every plan as well, for the children with a plan and no conference (an imported plan).
    after = 0
    while batch := list(
        _plans_to_refresh()
        .filter(child_id__gt=after)
        .order_by("child_id")
        .values_list("child_id", flat=True)
        .distinct()[:SWEEP_BATCH]
    ):
        changed += plan_next_reviews_refresh(child_ids=batch)
        after = batch[-1]
    return changed


def _plans_to_refresh():
    """The plans whose next review is cached: the open ones, and ended ones still holding one."""
    return ChildProtectionPlan.objects.filter(Q(end_date__isnull=True) | Q(next_review_due__isnull=False))


def plan_next_reviews_refresh(*, child_ids: Iterable[int]) -> int:
    """Recompute when the open plans of the given children are next due a review conference;
    return how many plans changed. Called with every conference refreshed, and after a plan is
    started or ended or imported without one."""
    ids = sorted(set(child_ids))
    return sum(
        _plan_next_reviews_batch(ids[start : start + SWEEP_BATCH])
        for start in range(0, len(ids), SWEEP_BATCH)
    )


@transaction.atomic
def _plan_next_reviews_batch(child_ids: list[int]) -> int:
    return _plan_next_reviews_refresh(child_ids, _held_history(child_ids))


def _plan_next_reviews_refresh(child_ids: list[int], history: _HeldHistory) -> int:
    changed = []
    rows = _plans_to_refresh().filter(child_id__in=child_ids)
    for pk, child_id, start_date, end_date, counted_from, due in rows.values_list(
        "pk", "child_id", "start_date", "end_date", "next_review_counted_from", "next_review_due"
    ):
        values = (None, None)
        if end_date is None:
            held = history.dates.get(child_id)
            values = plan_next_review(start_date=start_date, last_held=held[-1] if held else None)
        if values != (counted_from, due):
            changed.append((pk, *values))
    return update_columns(ChildProtectionPlan, changed, ["next_review_counted_from", "next_review_due"])


@transaction.atomic
def _conference_due_dates_refresh(conference_ids: list[int]) -> int:
    settings_row = timescale_settings()
    extra = extra_non_working_days()
    conferences = list(Conference.objects.select_related("strategy_discussion").filter(pk__in=conference_ids))
    if not conferences:
        return 0
    links = list(
        ConferenceChild.objects.filter(conference__in=[c.pk for c in conferences]).select_related("child")
    )
    child_ids = list({link.child_id for link in links})
    history = _held_history(child_ids)
    links_by_conference: dict[int, list[ConferenceChild]] = defaultdict(list)
    for link in links:
        links_by_conference[link.conference_id].append(link)

    changed_conferences, changed_links = [], []
    for conference in conferences:
        child_dues = []
        for link in links_by_conference[conference.pk]:
            due = child_stage_due_date(
                conference=conference,
                stage=link.stage,
                child=link.child,
                previous_held=history.previous(link.child_id, conference.date),
                settings_row=settings_row,
                extra=extra,
            )
            if due is not None:
                child_dues.append(due)
            if link.due_date != due:
                link.due_date = due
                changed_links.append(link)
        values = conference_due_values(
            conference=conference, child_dues=child_dues, settings_row=settings_row, extra=extra
        )
        if any(getattr(conference, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(conference, field, value)
            changed_conferences.append(conference)
    # bulk_update leaves updated_at alone: refreshing a cache must not make an editor's open
    # form look stale.
    fields = ["due_date", "parent_report_due", "chair_report_due", "record_due"]
    update_columns(
        Conference, [(c.pk, *(getattr(c, field) for field in fields)) for c in changed_conferences], fields
    )
    update_columns(ConferenceChild, [(link.pk, link.due_date) for link in changed_links], ["due_date"])
    changed_plans = _plan_next_reviews_refresh(child_ids, history)
    return len(changed_conferences) + len(changed_links) + changed_plans
