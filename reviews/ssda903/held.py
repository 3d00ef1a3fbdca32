"""What is already held for the children in the file, read in batches as plain tuples and rows
(``_Held``), for the import to merge the file with."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from iro_service.people.models import Child
from reviews.models import Episode, LacReview, PeriodOfCare
from reviews.ssda903._common import (
    BATCH,
    CHILD_FIELDS,
    EPISODE_MODEL_FIELDS,
    EPISODE_VALUE_FIELDS,
    REVIEW_CACHE_FIELDS,
    EpisodeRow,
    ReviewRow,
)


@dataclass
class _Held:
    """What is already held for the children in the file, as plain tuples (cheap to keep for
    100,000 children; model instances would not be)."""

    children: dict[str, tuple] = field(default_factory=dict)
    episodes: dict[int, list[EpisodeRow]] = field(default_factory=lambda: defaultdict(list))
    episodes_by_pk: dict[int, EpisodeRow] = field(default_factory=dict)
    periods: dict[int, list[tuple[int, date, date | None, bool, date | None, date | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    reviews: dict[int, list[ReviewRow]] = field(default_factory=lambda: defaultdict(list))


def _load_held(child_ids: list[str]) -> _Held:
    held = _Held()
    # Codes and dates repeat across hundreds of thousands of rows: keep one object for each
    # distinct value instead of one per row (a national re-import holds a million values).
    pool: dict = {}

    def share(value):
        return value if value is None else pool.setdefault(value, value)

    for start in range(0, len(child_ids), BATCH):
        chunk = child_ids[start : start + BATCH]
        for row in Child.objects.filter(local_child_id__in=chunk).values_list(
            "local_child_id", "pk", *CHILD_FIELDS
        ):
            held.children[row[0]] = row[1:]
    pks = [row[0] for row in held.children.values()]
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        for row in PeriodOfCare.objects.filter(child_id__in=chunk).values_list(
            "child_id",
            "pk",
            "start_date",
            "end_date",
            "is_short_breaks",
            "next_review_due",
            "first_review_due",
        ):
            held.periods[row[0]].append(tuple(share(value) for value in row[1:]))
        for row in Episode.objects.filter(period__child_id__in=chunk).values_list(
            "period__child_id", "pk", "period_id", "start_date", *EPISODE_MODEL_FIELDS
        ):
            child_pk, pk, period_pk, start, *rest = row
            by_name = dict(zip(EPISODE_MODEL_FIELDS, (share(value) for value in rest), strict=True))
            values = tuple(by_name[name] for name in EPISODE_VALUE_FIELDS)
            episode = EpisodeRow(
                0, start, values, by_name["end_date"], by_name["reason_ceased"], pk, period_pk
            )
            held.episodes[child_pk].append(episode)
            held.episodes_by_pk[pk] = episode
        for child_pk, pk, period_pk, held_on, code, *cached in LacReview.objects.filter(
            child_id__in=chunk
        ).values_list(
            "child_id", "pk", "period_id", "review_date", "participation_code", *REVIEW_CACHE_FIELDS
        ):
            code = share(code)
            before = (period_pk, code, tuple(share(value) for value in cached))
            held.reviews[child_pk].append(ReviewRow(0, share(held_on), code, pk, before))
    return held
