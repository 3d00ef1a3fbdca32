"""Export the SSDA903 return for a collection year (1 April to 31 March) as the three CSV tables.

Scope, following the DfE's rules for the return as at 31 March:

- **episodes.csv**: every episode open at any time in the year: it started on or before
  31 March and had not ended before 1 April. An episode that ended after 31 March is written
  as still open (DEC and REC blank), as it was on the census date; episodes starting after the
  year are left out.
- **header.csv**: every child with at least one of those episodes.
- **reviews.csv**: every LAC review of those children held in the year, except the reviews of
  a child looked after only under short breaks (V3, V4) in the year: the return does not
  collect them (the DfE's rule 399), nor MOTHER and the episodes' postcodes and URN, which are
  left blank for them (rules 214, 398, 399). Those reviews are held here all the same, and an
  import of the return does not bring them back.

Rows are written in the order of the child ID and date, a chunk at a time from the database.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from iro_service.audit.models import AccessChannel, ExchangeDirection, ExchangeFormat, ExchangeOutcome
from iro_service.audit.services import access_log_record_many, data_exchange_record
from iro_service.core.dfe import SSDA903, dfe_rules_run
from iro_service.core.imports import Tally, format_dmy, write_csv
from iro_service.people.models import Child
from iro_service.timescales.dates import collection_year_bounds
from reviews.models import Episode, LacReview
from reviews.ssda903.tables import (
    EPISODE_FIELDS,
    EPISODES,
    EPISODES_COLUMNS,
    HEADER,
    HEADER_COLUMNS,
    REVIEWS,
    REVIEWS_COLUMNS,
    sex_out,
)

CHUNK = 5000
SHORT_BREAKS = ("V3", "V4")


def _episodes_in_year(first: date, last: date):
    return Episode.objects.filter(start_date__lte=last).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first)
    )


def export_903(*, year: int, directory: Path, request=None, user=None, check: bool = True) -> Tally:
    """Write header.csv, episodes.csv and reviews.csv for ``year`` into ``directory``. With a
    ``request`` (the managers' page) or a ``user`` (a command run for a named account), every
    child exported is put in the access log. With ``check`` the DfE's rules of the year are
    run on the files and what they find is kept with the export (``tally.exchange``)."""
    user = user if user is not None else getattr(request, "user", None)
    started = timezone.now()
    first, last = collection_year_bounds(year)
    directory.mkdir(parents=True, exist_ok=True)
    episodes = _episodes_in_year(first, last)
    # A child looked after only under short breaks (V3, V4) in the year has no MOTHER in the
    # return: the DfE does not collect it (its rule 399).
    not_only_short_breaks = Exists(
        episodes.filter(period__child=OuterRef("pk")).exclude(legal_status__in=SHORT_BREAKS)
    )
    children = (
        Child.objects.filter(Exists(episodes.filter(period__child=OuterRef("pk"))))
        .annotate(not_only_short_breaks=not_only_short_breaks)
        .order_by("local_child_id")
        .values_list(
            "pk",
            "local_child_id",
            "sex",
            "date_of_birth",
            "ethnicity",
            "upn",
            "is_mother",
            "mother_child_dob",
            "not_only_short_breaks",
        )
    )
    child_pks: list[int] = []

    def header_rows():
        for pk, child_id, sex, born, ethnicity, upn, is_mother, mc_dob, counted in children.iterator(
            chunk_size=CHUNK
        ):
            child_pks.append(pk)
            mother = "" if is_mother is None or not counted else ("1" if is_mother else "0")
            mc_dob = mc_dob if counted else None
            yield [child_id, sex_out(sex, year), format_dmy(born), ethnicity, upn, mother, format_dmy(mc_dob)]

    def episode_rows():
        names = [name for _, name in EPISODE_FIELDS]
        rows = episodes.order_by("period__child__local_child_id", "start_date").values_list(
            "period__child__local_child_id", "start_date", *names
        )
        for child_id, start, *values in rows.iterator(chunk_size=CHUNK):
            cells = dict(zip(names, values, strict=True))
            if cells["end_date"] is not None and cells["end_date"] > last:
                # Open at the census date: why it ended, and why the placement changed then,
                # are the next year's return.
                cells["end_date"], cells["reason_ceased"], cells["reason_place_change"] = None, "", ""
            cells["end_date"] = format_dmy(cells["end_date"])
            if cells["legal_status"] in SHORT_BREAKS:
                # Not collected for short breaks (DfE rules 398 and 214), whatever is held.
                cells["home_postcode"] = cells["placement_postcode"] = cells["urn"] = ""
            yield [child_id, format_dmy(start), *(cells[name] for name in names)]

    def review_rows():
        rows = (
            LacReview.objects.filter(review_date__range=(first, last))
            .filter(Exists(episodes.filter(period__child=OuterRef("child"))))
            # Not collected for a child looked after only under short breaks (rule 399).
            .filter(
                Exists(
                    episodes.filter(period__child=OuterRef("child")).exclude(legal_status__in=SHORT_BREAKS)
                )
            )
            .order_by("child__local_child_id", "review_date")
            .values_list("child__local_child_id", "child__date_of_birth", "review_date", "participation_code")
        )
        for child_id, born, held_on, code in rows.iterator(chunk_size=CHUNK):
            yield [child_id, format_dmy(born), format_dmy(held_on), code]

    tally = Tally()
    tally.add("children", "exported", write_csv(directory / HEADER, HEADER_COLUMNS, header_rows()))
    tally.add("episodes", "exported", write_csv(directory / EPISODES, EPISODES_COLUMNS, episode_rows()))
    tally.add("reviews", "exported", write_csv(directory / REVIEWS, REVIEWS_COLUMNS, review_rows()))
    if user is not None:
        access_log_record_many(
            request=request,
            user=user,
            child_ids=child_pks,
            what=f"SSDA903 export {year}",
            channel=AccessChannel.EXPORT,
        )
    dfe = None
    if check:
        texts = {name: (directory / name).read_text(encoding="utf-8") for name in (HEADER, EPISODES, REVIEWS)}
        dfe = dfe_rules_run(return_kind=SSDA903, year=year, files=texts)
    tally.exchange = data_exchange_record(
        data_format=ExchangeFormat.SSDA903,
        direction=ExchangeDirection.EXPORT,
        outcome=ExchangeOutcome.EXPORTED,
        files=[HEADER, EPISODES, REVIEWS],
        started_at=started,
        user=user,
        collection_year=year,
        counts={kind: {"exported": counts["exported"]} for kind, counts in tally.as_dict().items()},
        dfe=dfe,
    )
    return tally
