"""Import an SSDA903 return (header, episodes and reviews tables) into periods of care, episodes
and LAC reviews.

How it works, and why:

1. **Read and check every row** a row at a time (a national file never sits in memory as
   text), collecting every problem with its file, row, column and a plain message.
2. **Merge with what is already held** for the same children. The import is idempotent: a
   child is matched by ``CHILD`` (the local child ID), an episode by child and ``DECOM``, a
   review by child and date, so importing the same file twice changes nothing and importing
   the next year's file adds to the history. Records already held that the file does not
   mention are kept. The merged episodes of each child are grouped into periods of care
   (a period ends with an episode whose reason ceased is not X1) and checked as a whole.
3. **Any problem rejects the whole file**: nothing is written. Otherwise everything is written
   in one transaction with bulk inserts and updates, each with its history rows.

Due dates are worked out with the same pure functions the refresh service uses
(``reviews.due_dates``), from the merged facts, so that a period of care written here has the
same cached dates ``period_due_dates_refresh`` would give it.

Imported reviews have one part (the review date), the participation code and no chair: the
return does not say who chaired them.

The steps live in the modules of this package: ``reader`` (1), ``held`` and ``periods`` (2),
``writer`` (3); this module runs them (``import_903``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from django.db import IntegrityError, transaction
from django.utils import timezone

from iro_service.audit.models import ExchangeFormat
from iro_service.audit.services import data_import_run
from iro_service.core.dfe import SSDA903, dfe_rules_run, file_texts, validator_python
from iro_service.core.imports import CsvTable, ImportRejected, Problem, Problems, Tally, parse_dmy
from iro_service.timescales.dates import collection_year
from reviews.ssda903._common import (
    BATCH,
    CHILD_FIELDS,
    EPISODE_MODEL_FIELDS,
    EPISODE_VALUE_FIELDS,
    LEGAL_STATUS,
    PERIOD_FIELDS,
    REASON,
    REVIEW_CACHE_FIELDS,
    RNE,
    EpisodeRow,
    HeaderRow,
    PlannedPeriod,
    ReviewRow,
    _child_values,
)
from reviews.ssda903.held import _load_held
from reviews.ssda903.periods import _assign_reviews, _check_joined_periods, _group_periods
from reviews.ssda903.reader import _CodeBook, _read_episodes, _read_header, _read_reviews
from reviews.ssda903.tables import (
    EPISODES,
    EPISODES_COLUMNS,
    HEADER,
    HEADER_COLUMNS,
    REVIEWS,
    REVIEWS_COLUMNS,
)
from reviews.ssda903.writer import CHUNK_CHILDREN, _care_chunks, _Plan, _write

__all__ = [
    "BATCH",
    "CHILD_FIELDS",
    "CHUNK_CHILDREN",
    "EPISODE_MODEL_FIELDS",
    "EPISODE_VALUE_FIELDS",
    "LEGAL_STATUS",
    "PERIOD_FIELDS",
    "REASON",
    "REVIEW_CACHE_FIELDS",
    "RNE",
    "EpisodeRow",
    "HeaderRow",
    "PlannedPeriod",
    "ReviewRow",
    "import_903",
]


def import_903(
    files: Mapping[str, Path | BinaryIO],
    *,
    dry_run: bool = False,
    user=None,
    names: Mapping[str, str] | None = None,
    exchange=None,
) -> Tally:
    """Import the three tables (keyed by ``header.csv``, ``episodes.csv``, ``reviews.csv``; the
    reviews table may be missing). Raises ImportRejected, having written nothing but the
    history entry, if any row has a problem. ``dry_run`` checks only. ``exchange`` is the
    history entry of a queued import, finished here."""
    names = dict(names or {})
    return data_import_run(
        data_format=ExchangeFormat.SSDA903,
        files=[names.get(key, key) for key in (HEADER, EPISODES, REVIEWS) if key in files],
        dry_run=dry_run,
        user=user,
        run=lambda: _import(files, dry_run=dry_run, user=user),
        exchange=exchange,
        dfe_check=lambda: _dfe_check(files),
    )


def _dfe_check(files: Mapping[str, Path | BinaryIO]):
    """The DfE's rules run on the tables as they came. An SSDA903 file does not say its
    collection year: it is the year of the latest date the episodes and reviews hold (the
    return is made for the year it ends with). Tables with no readable date are not checked:
    the project's own checks say what is wrong with them."""
    if validator_python() is None:  # switched off: the files need not be read again
        return None
    texts = file_texts(files)
    latest = None
    for table, columns in ((EPISODES, ("DECOM", "DEC")), (REVIEWS, ("REVIEW",))):
        try:
            for row in csv.DictReader(io.StringIO(texts.get(table, ""))):
                for column in columns:
                    try:
                        day = parse_dmy(row.get(column) or "")
                    except ValueError:
                        continue
                    latest = day if latest is None or day > latest else latest
        except csv.Error:
            # A table CSV cannot read (a huge field, a stray line break) gives its dates up to
            # there; the project's own reader reports the row.
            continue
    if latest is None:
        return None
    return dfe_rules_run(return_kind=SSDA903, year=collection_year(latest), files=texts)


def _import(files: Mapping[str, Path | BinaryIO], *, dry_run: bool, user=None) -> Tally:
    problems = Problems()
    today = timezone.localdate()
    for required in (HEADER, EPISODES):
        if required not in files:
            problems.add(
                required, "", "", f"{required} is missing: an SSDA903 import needs {HEADER} and {EPISODES}."
            )
    problems.reject_if_any()
    codes = _CodeBook()
    header = _read_header(CsvTable(files[HEADER], name=HEADER, columns=HEADER_COLUMNS), problems, today)
    episodes = _read_episodes(
        CsvTable(files[EPISODES], name=EPISODES, columns=EPISODES_COLUMNS), problems, header, codes, today
    )
    reviews = (
        _read_reviews(
            CsvTable(files[REVIEWS], name=REVIEWS, columns=REVIEWS_COLUMNS), problems, header, today
        )
        if REVIEWS in files
        else {}
    )
    problems.reject_if_any()

    held = _load_held(list(header))
    plan = _Plan()
    tally = Tally()
    for child_id, row in header.items():
        existing = held.children.get(child_id)
        if existing is None:
            plan.new_children.append(child_id)
            tally.add("children", "created")
        elif tuple(existing[1:]) != _child_values(row):
            plan.changed_children.append(child_id)
            tally.add("children", "updated")
        else:
            tally.add("children", "unchanged")

        child_pk = existing[0] if existing else None
        file_episodes = episodes.pop(child_id, [])
        file_reviews = reviews.pop(child_id, [])
        if not file_episodes and not file_reviews:
            continue
        merged_episodes = {episode.start: episode for episode in held.episodes.get(child_pk, [])}
        for episode in file_episodes:
            before = merged_episodes.get(episode.start)
            if before is not None:
                episode.pk, episode.period_pk = before.pk, before.period_pk
                if episode.end is None and before.end is not None:
                    # A return writes an episode still open on its census date with DEC blank;
                    # the end a later year's return gave it stands.
                    episode.end, episode.reason_ceased = before.end, before.reason_ceased
            merged_episodes[episode.start] = episode
        planned = _group_periods(child_id, sorted(merged_episodes.values(), key=lambda e: e.start), problems)
        _check_joined_periods(child_id, planned, held.periods.get(child_pk, []), problems)
        merged_reviews = {review.held_on: review for review in held.reviews.get(child_pk, [])}
        for review in file_reviews:
            before = merged_reviews.get(review.held_on)
            if before is not None:
                review.pk, review.before = before.pk, before.before
            merged_reviews[review.held_on] = review
        _assign_reviews(child_id, planned, sorted(merged_reviews.values(), key=lambda r: r.held_on), problems)
        plan.periods[child_id] = planned
    problems.reject_if_any()
    if dry_run:
        for _ in _care_chunks(plan, held, tally):
            pass
        return tally
    try:
        with transaction.atomic():
            _write(plan, held, header, tally, user)
    except IntegrityError as error:
        # The checks above mirror the database's constraints; this is the backstop if a record
        # changed between reading and writing.
        raise ImportRejected(
            [
                Problem(
                    "",
                    "",
                    "",
                    "The import conflicts with records already held and was not written "
                    f"({str(error).splitlines()[0]}).",
                )
            ]
        ) from error
    return tally
