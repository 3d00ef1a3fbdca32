"""Writing an import: the due dates of each planned period (``_DueDates``), what each chunk of
children needs created and updated (``_care_chunks``, counted in the tally), and the bulk
inserts and updates with their history rows (``_write``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from iro_service.audit.services import bulk_create_recorded
from iro_service.core.db import analyze
from iro_service.core.imports import Tally
from iro_service.people.models import Child
from iro_service.timescales.dates import extra_non_working_days
from iro_service.timescales.selectors import timescale_settings
from reviews.due_dates import (
    REVIEW_DUE_FIELDS,
    paperwork_due,
    period_due_dates,
)
from reviews.models import Episode, LacReview, PeriodOfCare, ReviewPart
from reviews.ssda903._common import (
    BATCH,
    CHILD_FIELDS,
    EPISODE_VALUE_FIELDS,
    LEGAL_STATUS,
    REASON,
    REVIEW_CACHE_FIELDS,
    EpisodeRow,
    HeaderRow,
    PlannedPeriod,
    ReviewRow,
    _child_values,
)
from reviews.ssda903.held import _Held
from reviews.ssda903.periods import _match_periods

# Children whose care history is written together: bounds the model instances in memory.
CHUNK_CHILDREN = 2000


@dataclass
class _Plan:
    """What the import will write: children by ID (their details are in the header rows, so
    that no model instances are held for the whole file), and the planned periods (with
    episodes and reviews) of each child whose care history the file touches."""

    new_children: list[str] = field(default_factory=list)
    changed_children: list[str] = field(default_factory=list)
    periods: dict[str, list[PlannedPeriod]] = field(default_factory=dict)


class _DueDates:
    """The due-date functions of ``reviews.due_dates``, remembered per date: half a million
    reviews fall on a few thousand distinct days, and the working-day arithmetic is the
    import's largest cost otherwise."""

    def __init__(self):
        self.settings = timescale_settings()
        self.extra = frozenset(extra_non_working_days())
        self._paperwork: dict[date, object] = {}

    def paperwork(self, held_on: date):
        found = self._paperwork.get(held_on)
        if found is None:
            found = self._paperwork[held_on] = paperwork_due(
                review_date=held_on, settings=self.settings, extra=self.extra
            )
        return found

    def period(self, period: PlannedPeriod):
        """(short breaks, next due while open, first review due, [(review, cached fields)])."""
        dues = period_due_dates(
            period_start=period.start,
            period_open=period.end is None,
            legal_statuses=[episode.values[LEGAL_STATUS] for episode in period.episodes],
            review_dates=[review.held_on for review in period.reviews],
            settings=self.settings,
            extra=self.extra,
            paperwork=self.paperwork,
        )
        reviews = [
            (review, tuple(getattr(due, name) for name in REVIEW_DUE_FIELDS))
            for review, due in zip(period.reviews, dues.reviews, strict=True)
        ]
        return dues.is_short_breaks, dues.next_review_due, dues.first_review_due, reviews


@dataclass
class _Chunk:
    """What one chunk of children needs written."""

    new_periods: list[tuple[PlannedPeriod, dict]] = field(default_factory=list)
    changed_periods: dict[int, dict] = field(default_factory=dict)
    new_episodes: list[tuple[PlannedPeriod, EpisodeRow]] = field(default_factory=list)
    changed_episodes: dict[int, tuple[PlannedPeriod, EpisodeRow]] = field(default_factory=dict)
    new_reviews: list[tuple[str, PlannedPeriod, ReviewRow, tuple]] = field(default_factory=list)
    changed_reviews: dict[int, tuple[PlannedPeriod, ReviewRow, tuple]] = field(default_factory=dict)


def _care_chunks(plan: _Plan, held: _Held, tally: Tally):
    """Work out, a chunk of children at a time, what to create and update, counting it in the
    tally. Yields one _Chunk per CHUNK_CHILDREN children so that model instances are only ever
    built for one chunk."""
    due = _DueDates()
    chunk = _Chunk()
    in_chunk = 0
    for child_id, periods in plan.periods.items():
        existing = held.children.get(child_id)
        child_pk = existing[0] if existing else None
        held_periods = held.periods.get(child_pk, [])
        _match_periods(periods, held_periods)
        held_by_pk = {row[0]: row for row in held_periods}
        for period in periods:
            short_breaks, next_due, first_due, reviews = due.period(period)
            wanted = {
                "start_date": period.start,
                "end_date": period.end,
                "is_short_breaks": short_breaks,
                "next_review_due": next_due,
                "first_review_due": first_due,
            }
            before = held_by_pk.get(period.pk)
            if before is None:
                tally.add("periods of care", "created")
                chunk.new_periods.append((period, {"child_id": child_id, **wanted}))
            elif tuple(before[1:]) != tuple(wanted.values()):
                tally.add("periods of care", "updated")
                chunk.changed_periods[period.pk] = wanted
            else:
                tally.add("periods of care", "unchanged")
            for episode in period.episodes:
                if episode.pk is None:
                    tally.add("episodes", "created")
                    chunk.new_episodes.append((period, episode))
                elif _episode_changed(episode, held, period):
                    tally.add("episodes", "updated")
                    chunk.changed_episodes[episode.pk] = (period, episode)
                elif episode.row:
                    tally.add("episodes", "unchanged")
            for review, cached in reviews:
                if review.pk is None:
                    tally.add("reviews", "created")
                    chunk.new_reviews.append((child_id, period, review, cached))
                    continue
                before_period, before_code, before_cached = review.before
                if before_period != period.pk or before_code != review.code or before_cached != cached:
                    tally.add("reviews", "updated")
                    chunk.changed_reviews[review.pk] = (period, review, cached)
                elif review.row:
                    tally.add("reviews", "unchanged")
        in_chunk += 1
        if in_chunk == CHUNK_CHILDREN:
            yield chunk
            chunk, in_chunk = _Chunk(), 0
    yield chunk


def _episode_changed(episode: EpisodeRow, held: _Held, period: PlannedPeriod) -> bool:
    before = held.episodes_by_pk[episode.pk]
    return (
        before.values != episode.values
        or before.end != episode.end
        or before.reason_ceased != episode.reason_ceased
        or before.period_pk != period.pk
    )


def _write(plan: _Plan, held: _Held, header: dict[str, HeaderRow], tally: Tally, user) -> None:
    child_pks = {child_id: row[0] for child_id, row in held.children.items()}
    for start in range(0, len(plan.new_children), BATCH):
        rows = [
            Child(
                local_child_id=child_id,
                **dict(zip(CHILD_FIELDS, _child_values(header[child_id]), strict=True)),
            )
            for child_id in plan.new_children[start : start + BATCH]
        ]
        bulk_create_recorded(Child, rows, user=user, reason=REASON)
        child_pks.update({child.local_child_id: child.pk for child in rows})
    _bulk_change(
        Child,
        {
            child_pks[child_id]: dict(zip(CHILD_FIELDS, _child_values(header[child_id]), strict=True))
            for child_id in plan.changed_children
        },
    )
    for chunk in _care_chunks(plan, held, tally):
        # Changes before creations, so that the no-overlap constraints never see an episode or
        # period still open that the file ends: a period that ends is shortened before the next
        # one is created, an episode that ends is ended before the next one is added.
        _bulk_change(PeriodOfCare, chunk.changed_periods, user)
        periods = [
            PeriodOfCare(**{**values, "child_id": child_pks[values["child_id"]]})
            for _, values in chunk.new_periods
        ]
        bulk_create_recorded(PeriodOfCare, periods, user=user, reason=REASON)
        for (period, _), row in zip(chunk.new_periods, periods, strict=True):
            period.pk = row.pk
        _bulk_change(
            Episode,
            {
                pk: {"period_id": period.pk, **_episode_fields(episode)}
                for pk, (period, episode) in chunk.changed_episodes.items()
            },
            user,
        )
        bulk_create_recorded(
            Episode,
            [_episode_model(period, episode) for period, episode in chunk.new_episodes],
            user=user,
            reason=REASON,
        )
        reviews = [
            LacReview(
                child_id=child_pks[child_id],
                period_id=period.pk,
                review_date=review.held_on,
                participation_code=review.code,
                **dict(zip(REVIEW_CACHE_FIELDS, cached, strict=True)),
            )
            for child_id, period, review, cached in chunk.new_reviews
        ]
        bulk_create_recorded(LacReview, reviews, user=user, reason=REASON)
        bulk_create_recorded(
            ReviewPart,
            [ReviewPart(review_id=review.pk, part_number=1, date=review.review_date) for review in reviews],
            user=user,
            reason=REASON,
        )
        _bulk_change(
            LacReview,
            {
                pk: {
                    "period_id": period.pk,
                    "participation_code": review.code,
                    **dict(zip(REVIEW_CACHE_FIELDS, cached, strict=True)),
                }
                for pk, (period, review, cached) in chunk.changed_reviews.items()
            },
            user,
        )
    analyze(Child, PeriodOfCare, Episode, LacReview, ReviewPart)


def _bulk_change(model, changes: dict[int, dict], user=None) -> None:
    """Apply ``changes`` ({pk: {field: value}}) to whole rows read back from the database, so
    that the history rows bulk_update_with_history writes hold every field, not only those
    changed."""
    if not changes:
        return
    now = timezone.now()
    has_updated_at = any(f.name == "updated_at" for f in model._meta.concrete_fields)
    names = sorted({name for values in changes.values() for name in values})
    fields = [name.removesuffix("_id") if name.endswith("_id") else name for name in names]
    if has_updated_at:
        fields.append("updated_at")
    pks = list(changes)
    for start in range(0, len(pks), BATCH):
        rows = model.objects.in_bulk(pks[start : start + BATCH])
        for pk, row in rows.items():
            for name, value in changes[pk].items():
                setattr(row, name, value)
            if has_updated_at:
                row.updated_at = now
        bulk_update_with_history(
            list(rows.values()),
            model,
            fields,
            batch_size=BATCH,
            default_user=user,
            default_change_reason=REASON,
        )


def _episode_fields(episode: EpisodeRow) -> dict:
    return {
        "end_date": episode.end,
        "reason_ceased": episode.reason_ceased,
        **dict(zip(EPISODE_VALUE_FIELDS, episode.values, strict=True)),
    }


def _episode_model(period: PlannedPeriod, episode: EpisodeRow) -> Episode:
    return Episode(period_id=period.pk, start_date=episode.start, **_episode_fields(episode))
