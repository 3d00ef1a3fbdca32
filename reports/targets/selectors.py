"""Reads of targets and comparators. The dashboards and the annual report both come here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from reports.models import Comparator, ComparatorSource, Target, TargetStatus


@dataclass(frozen=True)
class FigureBenchmarks:
    """What one figure is measured against in one reporting year: the target (or None) and the
    published comparators, statistical neighbours before England."""

    key: str
    year: int
    target: Target | None = None
    comparators: tuple[Comparator, ...] = field(default=())

    def status_of(self, value) -> TargetStatus | None:
        """The target status of ``value``; None when no target is set."""
        return None if self.target is None else self.target.status_of(value)

    def comparator_lines(self) -> list[tuple[str, float]]:
        """(label, value) pairs, the shape ``reports.charts.TrendChart`` draws."""
        return [(c.get_source_display(), float(c.value)) for c in self.comparators]


_SOURCE_ORDER = {source: index for index, source in enumerate(ComparatorSource.values)}


def benchmarks_for_year(*, year: int, keys: Iterable[str] | None = None) -> dict[str, FigureBenchmarks]:
    """Every figure's target and comparators for reporting ``year`` (2017 is 2016-17), keyed by
    figure key; a figure with neither is absent. Two queries, however many figures."""
    targets = Target.objects.filter(year=year)
    comparators = Comparator.objects.filter(year=year)
    if keys is not None:
        keys = list(keys)
        targets, comparators = targets.filter(figure_key__in=keys), comparators.filter(figure_key__in=keys)
    by_key: dict[str, dict] = {}
    for target in targets:
        by_key.setdefault(target.figure_key, {"target": None, "comparators": []})["target"] = target
    for comparator in comparators:
        by_key.setdefault(comparator.figure_key, {"target": None, "comparators": []})["comparators"].append(
            comparator
        )
    return {
        key: FigureBenchmarks(
            key=key,
            year=year,
            target=parts["target"],
            comparators=tuple(sorted(parts["comparators"], key=lambda c: _SOURCE_ORDER[c.source])),
        )
        for key, parts in by_key.items()
    }


def figure_benchmarks(*, key: str, year: int) -> FigureBenchmarks:
    """Figure ``key``'s target and comparators for reporting ``year``; empty when none are set."""
    return benchmarks_for_year(year=year, keys=[key]).get(key, FigureBenchmarks(key=key, year=year))


def target_list(*, year: int | None = None) -> QuerySet[Target]:
    targets = Target.objects.all()
    return targets if year is None else targets.filter(year=year)


def comparator_list(*, year: int | None = None) -> QuerySet[Comparator]:
    comparators = Comparator.objects.all()
    return comparators if year is None else comparators.filter(year=year)


def target_history(*, target: Target) -> QuerySet:
    """Every version of a target, newest first, with who made it."""
    return target.history.select_related("history_user").order_by("-history_date", "-history_id")


def targets_history(*, year: int) -> QuerySet:
    """Every change to any target of reporting ``year``, newest first, with who made it."""
    return (
        Target.history.filter(year=year)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
