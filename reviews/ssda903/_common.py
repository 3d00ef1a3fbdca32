"""What the reader, the merge and the writer of an SSDA903 import share: the rows read from the
file (or already held), the field orders of the tuples that stand for them, and the constants
of the write."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reviews.due_dates import (
    PERIOD_DUE_FIELDS,
    REVIEW_DUE_FIELDS,
)
from reviews.ssda903.tables import (
    EPISODE_FIELDS,
)

BATCH = 5000
# The reason written on every history row the import creates or changes.
REASON = "SSDA903 import"


@dataclass(slots=True)
class HeaderRow:
    row: int
    sex: str
    dob: date | None
    ethnicity: str
    upn: str
    is_mother: bool | None
    mother_child_dob: date | None


@dataclass(slots=True)
class EpisodeRow:
    """An episode, read from the file (``row`` > 0) or already held (``row`` 0, ``pk`` set)."""

    row: int
    start: date
    values: tuple
    end: date | None
    reason_ceased: str
    pk: int | None = None
    period_pk: int | None = None


@dataclass(slots=True)
class ReviewRow:
    row: int
    held_on: date
    code: str
    pk: int | None = None
    # For a review already held: (period, code, cached fields) as they are in the database.
    before: tuple | None = None


@dataclass
class PlannedPeriod:
    start: date
    end: date | None
    episodes: list[EpisodeRow]
    reviews: list[ReviewRow] = field(default_factory=list)
    pk: int | None = None


def _where(row: int) -> str:
    return f"row {row}"


# An episode's codes and text, in this order, as a tuple (a dict per episode would cost three
# times the memory for a national file).
EPISODE_VALUE_FIELDS = tuple(name for _, name in EPISODE_FIELDS if name not in ("end_date", "reason_ceased"))
RNE, LEGAL_STATUS = 0, 1
CHILD_FIELDS = ("sex", "date_of_birth", "ethnicity", "upn", "is_mother", "mother_child_dob")
EPISODE_MODEL_FIELDS = tuple(name for _, name in EPISODE_FIELDS)
# A period of care as the importer compares it: its dates, then the cached ones due_dates owns.
PERIOD_FIELDS = ("start_date", "end_date", *PERIOD_DUE_FIELDS)
REVIEW_CACHE_FIELDS = REVIEW_DUE_FIELDS


def _child_values(row: HeaderRow) -> tuple:
    return (row.sex, row.dob, row.ethnicity, row.upn, row.is_mother, row.mother_child_dob)
