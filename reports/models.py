"""Models of the reports app. The figures service, dashboards, the REST figures API and the annual
report job.

The figures themselves are never stored: they are computed from the records by the figures
service (``reports.figures``). What is stored here is what managers set beside them.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

# --- targets and comparators (the dashboards and the annual report read them) ---------------

# Kinds of figure with one number to aim at or compare with (a series compares point by point).
COMPARABLE_KINDS = ("count", "rate", "series")


def _figure_key_check(key: str) -> None:
    from reports.figures import REGISTRY

    figure = REGISTRY.get(key)
    if figure is None:
        raise ValidationError({"figure_key": f"There is no figure with the key {key!r}."})
    if figure.kind not in COMPARABLE_KINDS:
        raise ValidationError(
            {"figure_key": f"{figure.label} is a breakdown: it has no single number to set a target for."}
        )


class TargetDirection(models.TextChoices):
    HIGHER = "higher", "Higher is better (for example reviews on time)"
    LOWER = "lower", "Lower is better (for example repeat plans)"


class TargetStatus(models.TextChoices):
    """A figure's standing against its target, always shown as a word (never colour alone)."""

    GREEN = "green", "Green: on target"
    AMBER = "amber", "Amber: close to target"
    RED = "red", "Red: off target"
    NO_DATA = "no_data", "No data for the period"


class Target(models.Model):
    """A manager's target for one performance figure in one reporting year (1 April to 31 March,
    named by the year it ends, as the DfE names its returns: 2017 is 2016-17). A figure within
    ``amber_margin`` of the target, on the wrong side of it, is amber; further away, red. Who set
    or changed it, and when, is in its history."""

    figure_key = models.CharField(
        "figure",
        max_length=64,
        help_text="The figure's key in the figures service, e.g. lac_reviews_on_time.",
    )
    year = models.PositiveSmallIntegerField(
        "reporting year", help_text="The year ending 31 March of this year: 2017 for 2016-17."
    )
    value = models.DecimalField(
        "target",
        max_digits=8,
        decimal_places=1,
        help_text="In the figure's own unit: a percentage or a count.",
    )
    direction = models.CharField(
        max_length=8, choices=TargetDirection.choices, default=TargetDirection.HIGHER
    )
    amber_margin = models.DecimalField(
        "amber margin",
        max_digits=8,
        decimal_places=1,
        default=Decimal("0"),
        help_text="How far on the wrong side of the target still counts as amber, in the figure's unit.",
    )
    note = models.CharField(max_length=300, blank=True, help_text="Why this target, or where it comes from.")
    # The version an editor started from: a change is refused if the target changed since.
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "figure_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["figure_key", "year"], name="reports_target_one_per_figure_and_year"
            ),
            models.CheckConstraint(
                condition=Q(amber_margin__gte=0), name="reports_target_amber_margin_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="reports_target_year_sensible"
            ),
        ]
        permissions = [
            ("view_performance_dashboard", "Can see the managers' performance dashboards"),
            ("view_business_support_dashboard", "Can see the business-support dashboard"),
            ("view_own_iro_page", "Can see their own IRO page"),
        ]

    def __str__(self) -> str:
        return f"{self.figure_key} {self.year - 1}-{self.year % 100:02d}: {self.value}"

    def clean(self) -> None:
        _figure_key_check(self.figure_key)

    def status_of(self, value) -> TargetStatus:
        """Where ``value`` (the figure's value, a number or None) stands against this target.
        The target itself and the edge of the amber margin both count in the better band."""
        if value is None:
            return TargetStatus.NO_DATA
        value = Decimal(str(value))
        # How far the value falls short of the target, in the direction that matters.
        shortfall = self.value - value if self.direction == TargetDirection.HIGHER else value - self.value
        if shortfall <= 0:
            return TargetStatus.GREEN
        if shortfall <= self.amber_margin:
            return TargetStatus.AMBER
        return TargetStatus.RED


class ComparatorSource(models.TextChoices):
    STATISTICAL_NEIGHBOURS = "statistical_neighbours", "Statistical neighbours"
    ENGLAND = "england", "England"


class Comparator(models.Model):
    """A published average that a figure is compared against in one reporting year, such as
    the statistical neighbours' 18.1% repeat plans or England's 8% multiple categories (seed
    report). Entered by managers or uploaded as a CSV; its history says who and when."""

    figure_key = models.CharField("figure", max_length=64)
    year = models.PositiveSmallIntegerField(
        "reporting year", help_text="The year ending 31 March of this year: 2017 for 2016-17."
    )
    source = models.CharField("compared with", max_length=32, choices=ComparatorSource.choices)
    value = models.DecimalField(max_digits=8, decimal_places=1, help_text="In the figure's own unit.")
    published_by = models.CharField(
        max_length=200, blank=True, help_text="Where the figure was published, e.g. DfE CIN census 2016-17."
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "figure_key", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["figure_key", "year", "source"], name="reports_comparator_one_per_figure_year_source"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="reports_comparator_year_sensible"
            ),
        ]

    def __str__(self) -> str:
        year = f"{self.year - 1}-{self.year % 100:02d}"
        return f"{self.figure_key} {year} {self.get_source_display()}: {self.value}"

    def clean(self) -> None:
        _figure_key_check(self.figure_key)
