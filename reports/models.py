"""Models of the reports app. The figures service, dashboards, the REST figures API and the annual
report job.

The figures themselves are never stored: they are computed from the records by the figures
service (``reports.figures``). What is stored here is what managers set beside them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
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
            ("view_return_quality", "Can see the records of the year that break the DfE's return rules"),
        ]

    def __str__(self) -> str:
        return f"{self.figure_key} {self.year - 1}-{self.year % 100:02d}: {self.value}"

    def clean(self) -> None:
        if self.figure_key:  # a missing key is the field's own "required" error
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
        if self.figure_key:  # a missing key is the field's own "required" error
            _figure_key_check(self.figure_key)


# --- the IRO annual report ------------------------------------------------------------------
# A year's report has versions: one draft at a time that managers write, and finalised ones whose
# every figure and word is frozen in ``snapshot``. The documents are assembled by a background
# job (``AnnualReportRun``), section by section, from the figures service or from the snapshot.


class AnnualReport(models.Model):
    """The IRO annual report for one reporting year: 1 April ``year_end - 1`` to 31 March
    ``year_end`` (the 2016-17 report has ``year_end`` 2017). The IRO Handbook asks for one a year,
    for the Corporate Parenting Board."""

    year_end = models.PositiveSmallIntegerField(
        "year ending 31 March",
        unique=True,
        error_messages={"unique": "There is already a report for that year"},
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year_end"]
        permissions = [
            ("write_annual_report", "Can write the annual report and generate its documents"),
            ("finalise_annual_report", "Can finalise the annual report"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_end__gte=2000, year_end__lte=2100), name="annual_report_year_sensible"
            )
        ]

    def __str__(self) -> str:
        return f"IRO annual report {self.year_end - 1}-{str(self.year_end)[2:]}"

    @property
    def label(self) -> str:
        """The year as the reports print it: 2016-17."""
        return f"{self.year_end - 1}-{str(self.year_end)[2:]}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINALISED = "finalised", "Finalised"


class AnnualReportVersion(models.Model):
    """One version of a year's report. A draft reads the live figures; finalising freezes every
    figure, table, chart and text into ``snapshot``, so that later changes to the records never
    alter it. A new draft may be started from a finalised version (its text and
    recommendations copied)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="later_versions"
    )
    snapshot = models.JSONField(null=True, blank=True, help_text="Every section as finalised.")
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="annual_report_version_number_once"),
            # Two drafts of one year would be two places to write the same report.
            models.UniqueConstraint(
                fields=["report"], condition=Q(status="draft"), name="annual_report_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", snapshot__isnull=True, finalised_at__isnull=True)
                | Q(status="finalised", snapshot__isnull=False, finalised_at__isnull=False),
                name="annual_report_finalised_has_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report}, version {self.number} ({self.get_status_display().lower()})"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class AnnualReportText(models.Model):
    """The text a manager writes for one section of a version, beside that section's figures.
    Saved as a draft as often as they like; ``updated_at`` is the version an editor started
    from, so that a second editor's save cannot silently overwrite the first's."""

    version = models.ForeignKey(AnnualReportVersion, on_delete=models.CASCADE, related_name="texts")
    section = models.CharField(max_length=40, help_text="The key of the section.")
    text = models.TextField(max_length=20000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["version_id", "section"]
        constraints = [
            models.UniqueConstraint(fields=["version", "section"], name="annual_report_text_once"),
        ]

    def __str__(self) -> str:
        return f"{self.section} of {self.version}"


class Recommendation(models.Model):
    """A recommendation a version of the report makes for the year ahead. The next year's report
    picks up those of the previous year's finalised report and says how far each has come
    (``RecommendationProgress``)."""

    version = models.ForeignKey(AnnualReportVersion, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=2000)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The same recommendation in the version this one was copied from.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="recommendation_number_once"),
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number} of {self.version}"


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"


class RecommendationProgress(models.Model):
    """How far a recommendation of last year's report has come, as this year's report (one of
    its versions) tells it."""

    version = models.ForeignKey(AnnualReportVersion, on_delete=models.CASCADE, related_name="progress")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(
        max_length=20, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    note = models.TextField("what has happened", max_length=4000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        # Recommendations are numbered in the order they are added, so their ids keep that order.
        ordering = ["version_id", "recommendation_id"]
        verbose_name_plural = "recommendation progress"
        constraints = [
            models.UniqueConstraint(
                fields=["version", "recommendation"], name="recommendation_progress_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Progress on {self.recommendation} in {self.version}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being assembled"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class AnnualReportRun(models.Model):
    """One assembly of a version's documents by the background job: each section as it is built
    (``AnnualReportRunSection``, so that a job restarted after its worker died carries on rather
    than starts again), then the three files. A failed run names its section and leaves the
    version's last good documents as they were. ``attempts`` counts the times a worker started
    it: one that kills its worker every time is stopped after a few."""

    version = models.ForeignKey(AnnualReportVersion, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    printed_on = models.DateField(help_text="The date the documents give as the date of the report.")
    contents = models.JSONField(
        default=dict, blank=True, help_text="The managers' text as assembled (``texts``, by section)."
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text="The times a worker started it.")
    step = models.CharField(max_length=200, blank=True, help_text="What the job is doing now.")
    step_at = models.DateTimeField(
        null=True, blank=True, help_text="When the job last reported a step: its lease on the run."
    )
    failed_section = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    html = models.BinaryField(null=True, blank=True)
    docx = models.BinaryField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done")
                | Q(html__isnull=False, docx__isnull=False, pdf__isnull=False, finished_at__isnull=False),
                name="annual_report_run_done_has_files",
            ),
            # One job at a time per version: a second click finds the first.
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(status__in=["queued", "running"]),
                name="annual_report_one_run_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Assembly of {self.version} ({self.get_status_display().lower()})"


class AnnualReportRunSection(models.Model):
    """One section of a run as the job built it: its blocks, written (and committed) the moment
    the section is done. A worker killed part way loses only the section it was on; the run's
    next attempt reads these back instead of building them again. ``attempt`` is the attempt
    that built it."""

    run = models.ForeignKey(AnnualReportRun, on_delete=models.CASCADE, related_name="sections")
    section = models.CharField(max_length=40, help_text="The key of the section.")
    blocks = models.JSONField(default=list, blank=True)
    attempt = models.PositiveSmallIntegerField()
    built_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run_id", "pk"]
        constraints = [
            # Two workers on one run (a job sent twice) cannot save a section twice.
            models.UniqueConstraint(fields=["run", "section"], name="annual_report_run_section_once"),
        ]

    def __str__(self) -> str:
        return f"{self.section} of run {self.run_id}"


class DownloadFormat(models.TextChoices):
    HTML = "html", "Web page (HTML)"
    DOCX = "docx", "Word document"
    PDF = "pdf", "PDF"


class AnnualReportDownload(models.Model):
    """Who downloaded which of a report's documents, and when. The report shows no child, so the
    children's access log does not take it; this is its own log, only ever added to."""

    run = models.ForeignKey(AnnualReportRun, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_format = models.CharField("format", max_length=4, choices=DownloadFormat.choices)
    downloaded_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-downloaded_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.user} downloaded {self.file_format} of {self.run.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The download log is only ever added to: rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The download log is only ever added to: rows cannot be deleted.")


# --- what the figures cache knows of changes ------------------------------------------------


class FiguresChange(models.Model):
    """One row for each transaction that changed a table the figures read, written by a
    trigger on each such table (``reports.figures.changes``), so that a figures document can
    be kept until the records behind it change. ``weight`` is how many changing statements
    the row stands for: the nightly tidy folds old rows into the newest one, keeping both the
    total and the newest transaction, the two numbers a cached document is keyed by."""

    xid = models.BigIntegerField(primary_key=True)
    weight = models.PositiveIntegerField(default=1)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"Transaction {self.xid}: {self.weight} changes"
