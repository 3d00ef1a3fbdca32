"""Writes of targets and comparators, each with ``full_clean`` and in its history (who changed it
is recorded by simple-history's request middleware, or the ``user`` given to a script)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from iro_service.core.imports import CsvTable, Problems
from iro_service.core.versioning import refuse_if_changed_since
from reports.figures import REGISTRY
from reports.models import COMPARABLE_KINDS, Comparator, ComparatorSource, Target

COMPARATOR_CSV_COLUMNS = ("FIGURE", "YEAR", "SOURCE", "VALUE", "PUBLISHED_BY")


def target_set(
    *,
    figure_key: str,
    year: int,
    value: Decimal,
    direction: str,
    amber_margin: Decimal,
    note: str = "",
    seen_updated_at: datetime | None = None,
) -> Target:
    """Set figure ``figure_key``'s target for reporting ``year``, creating it or changing the one
    there. ``seen_updated_at`` is the version the editor started from: if someone else changed
    the target since, the change is refused rather than silently overwriting theirs."""
    with transaction.atomic():
        target = Target.objects.select_for_update().filter(figure_key=figure_key, year=year).first()
        if target is None:
            target = Target(figure_key=figure_key, year=year)
        else:
            refuse_if_changed_since(target, seen_updated_at, what="target")
        target.value, target.direction, target.amber_margin, target.note = (
            value,
            direction,
            amber_margin,
            note,
        )
        target.full_clean()
        target.save()
    return target


def comparator_set(
    *, figure_key: str, year: int, source: str, value: Decimal, published_by: str = ""
) -> Comparator:
    """Set one published comparator (creating it or replacing the value there)."""
    with transaction.atomic():
        comparator = (
            Comparator.objects.select_for_update()
            .filter(figure_key=figure_key, year=year, source=source)
            .first()
        )
        if comparator is None:
            comparator = Comparator(figure_key=figure_key, year=year, source=source)
        comparator.value, comparator.published_by = value, published_by
        comparator.full_clean()
        comparator.save()
    return comparator


def comparator_delete(*, comparator: Comparator) -> None:
    """Remove a comparator entered by mistake (its history keeps what it was)."""
    comparator.delete()


@dataclass(frozen=True)
class ComparatorImport:
    """What a comparator upload did: how many comparators it created and how many it changed."""

    created: int
    updated: int


def _source_parse(raw: str) -> str | None:
    wanted = raw.strip().lower().replace("_", " ")
    for value, label in ComparatorSource.choices:
        if wanted in (value.replace("_", " "), label.lower()):
            return value
    return None


def _year_parse(raw: str) -> int | None:
    # "2017" or "2016-17" (as reports name the year); both mean 1 April 2016 to 31 March 2017.
    text = raw.strip()
    if text.isdigit() and len(text) == 4:
        return int(text)
    first, _, second = text.partition("-")
    if first.isdigit() and second.isdigit() and len(first) == 4 and len(second) in (2, 4):
        end = int(second) if len(second) == 4 else int(first[:2] + second)
        if end == int(first) + 1:
            return end
    return None


def comparators_import_csv(*, upload, name: str = "comparators.csv") -> ComparatorImport:
    """Import comparators from a CSV with the columns FIGURE, YEAR, SOURCE, VALUE and
    PUBLISHED_BY (one row per figure, year and source). Every row is checked first; if any is
    wrong, ``ImportRejected`` lists every problem by row and field and nothing is written."""
    problems = Problems()
    rows: dict[tuple[str, int, str], tuple[Decimal, str, int]] = {}
    source = upload if hasattr(upload, "read") else io.BytesIO(upload)
    for row_number, row in CsvTable(source, name=name, columns=COMPARATOR_CSV_COLUMNS).rows(problems):
        where = f"row {row_number}"
        key = row["FIGURE"]
        figure = REGISTRY.get(key)
        if not key:
            problems.add(name, where, "FIGURE", "The figure key is missing.")
        elif figure is None:
            problems.add(name, where, "FIGURE", f"There is no figure with the key {key!r}.")
        elif figure.kind not in COMPARABLE_KINDS:
            problems.add(name, where, "FIGURE", f"{key} is a breakdown: it has no single number to compare.")
        year = _year_parse(row["YEAR"])
        if year is None:
            problems.add(
                name, where, "YEAR", f"{row['YEAR']!r} is not a reporting year like 2017 or 2016-17."
            )
        elif not 2000 <= year <= 2100:
            problems.add(name, where, "YEAR", "The year must be between 2000 and 2100.")
        source_value = _source_parse(row["SOURCE"])
        if source_value is None:
            problems.add(
                name,
                where,
                "SOURCE",
                f"{row['SOURCE']!r} is not a comparator: use statistical_neighbours or england.",
            )
        try:
            value = Decimal(row["VALUE"].rstrip("%").strip())
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            value = None
            problems.add(name, where, "VALUE", f"{row['VALUE']!r} is not a number.")
        else:
            if value < 0 or value >= Decimal("10000000"):
                problems.add(name, where, "VALUE", "The value must be a number from 0 to 9,999,999.9.")
                value = None
        published_by = row["PUBLISHED_BY"]
        if len(published_by) > 200:
            problems.add(name, where, "PUBLISHED_BY", "Keep it to 200 characters.")
        if figure is not None and year is not None and source_value is not None and value is not None:
            identity = (key, year, source_value)
            if identity in rows:
                problems.add(
                    name,
                    where,
                    "FIGURE",
                    f"The same figure, year and source are on row {rows[identity][2]} too.",
                )
            else:
                rows[identity] = (value.quantize(Decimal("0.1")), published_by, row_number)
    if not problems and not rows:
        problems.add(name, "", "", "The file has no rows of comparators under its header.")
    problems.reject_if_any()
    created = updated = 0
    with transaction.atomic():
        existing = {
            (c.figure_key, c.year, c.source): c
            for c in Comparator.objects.select_for_update().filter(
                figure_key__in={k for k, _, _ in rows}, year__in={y for _, y, _ in rows}
            )
        }
        for (key, year, source_value), (value, published_by, row_number) in rows.items():
            comparator = existing.get((key, year, source_value))
            if comparator is None:
                comparator = Comparator(figure_key=key, year=year, source=source_value)
                created += 1
            elif comparator.value == value and comparator.published_by == published_by:
                continue
            else:
                updated += 1
            comparator.value, comparator.published_by = value, published_by
            try:
                comparator.full_clean()
            except ValidationError as error:
                # Checked above already; a rule added to the model later still names its row.
                late = Problems()
                for field_name, messages in error.message_dict.items():
                    for message in messages:
                        late.add(name, f"row {row_number}", field_name.upper(), message)
                late.reject_if_any()
            comparator.save()
    return ComparatorImport(created=created, updated=updated)
