"""The append-only access log: who viewed which child's record, when, and through what."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class AccessChannel(models.TextChoices):
    WEB = "web", "Web page"
    API = "api", "REST API"
    EXPORT = "export", "Export or report"


class AccessLog(models.Model):
    """One view of a child's record. Rows are only ever inserted: database triggers refuse
    UPDATE and DELETE (migration 0003) and TRUNCATE (0009), and the application connects as a
    role that may not disable them (``grant_application_role``), so it cannot rewrite the log."""

    child_path = "child"

    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="access_log")
    channel = models.CharField(max_length=8, choices=AccessChannel.choices)
    what = models.CharField(max_length=120, help_text="The page or API resource viewed.")
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # The rows one list, API page or export wrote together share a batch, so that the unusual
    # access report can count the children one export disclosed. Blank for a single view, and
    # for rows written before batches were kept.
    batch = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [
            models.Index(fields=["child", "-viewed_at"], name="accesslog_child_idx"),
            models.Index(fields=["user", "-viewed_at"], name="accesslog_user_idx"),
            models.Index(fields=["batch"], name="accesslog_batch_idx", condition=Q(batch__isnull=False)),
        ]
        default_permissions = ("view",)
        permissions = [
            (
                "export_subject_access",
                "Can export everything held about one child (a subject access request)",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} viewed {self.child_id} ({self.what}) at {self.viewed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The access log is append-only: rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The access log is append-only: rows cannot be deleted.")


class ApiScope(models.TextChoices):
    """What a REST client's token may do. A token carries one or more scopes; the user behind
    it must also hold the permissions for the records concerned."""

    FIGURES = "figures", "Read performance figures"
    READ = "read", "Read case records"
    WRITE = "write", "Record case data"


class ApiToken(models.Model):
    """A REST client's credential. Only a hash of the secret is stored: the plain token is shown
    once, when it is issued. Revoked tokens are kept for the audit trail."""

    name = models.CharField(max_length=120, help_text="Which system uses it, e.g. 'BI dashboard'.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = ArrayField(models.CharField(max_length=16, choices=ApiScope.choices))
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(scopes=[]), name="api_token_has_a_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ExchangeFormat(models.TextChoices):
    SSDA903 = "ssda903", "SSDA903 (children looked after)"
    CIN_CENSUS = "cin_census", "CIN census (child protection module)"


class ExchangeDirection(models.TextChoices):
    IMPORT = "import", "Import"
    EXPORT = "export", "Export"


class ExchangeOutcome(models.TextChoices):
    QUEUED = "queued", "Queued: not started yet"
    RUNNING = "running", "Running: not finished yet"
    IMPORTED = "imported", "Imported"
    CHECKED = "checked", "Checked only (dry run), no problems"
    REJECTED = "rejected", "Rejected: nothing written"
    EXPORTED = "exported", "Exported"
    FAILED = "failed", "Failed: nothing written"


class DataExchange(models.Model):
    """One import or export of a statutory return (SSDA903 or CIN census): who ran it, when, on
    which files, and what it did. Kept for every run, rejected ones included, because moving
    children's records in or out of the system is itself something to account for."""

    data_format = models.CharField("format", max_length=16, choices=ExchangeFormat.choices)
    direction = models.CharField(max_length=8, choices=ExchangeDirection.choices)
    outcome = models.CharField(max_length=16, choices=ExchangeOutcome.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank when run from the command line.",
    )
    run_by = models.CharField(
        max_length=150, help_text="The signed-in user, or the operating-system account for a command."
    )
    files = models.CharField(max_length=500, help_text="The file names read or written.")
    collection_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For an export: the year ending 31 March of this year."
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    counts = models.JSONField(
        default=dict,
        blank=True,
        help_text='Per kind of record, e.g. {"children": {"created": 3, "updated": 1, "unchanged": 0}}.',
    )
    dry_run = models.BooleanField(default=False, help_text="An import that only checks the files.")
    problem_count = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="For a queued import: how many times a worker has started it."
    )
    problems = models.JSONField(
        default=list, blank=True, help_text="The first problems found (file, where, field, message)."
    )
    dfe_summary = models.JSONField(
        "DfE rules summary",
        default=dict,
        blank=True,
        help_text="Which DfE validator and ruleset ran on the files, and each failing rule with its count. "
        "Empty when the DfE's rules were not run.",
    )
    dfe_findings = models.JSONField(
        "DfE rule failures",
        default=list,
        blank=True,
        help_text="The first rows failing a DfE rule (rule, message, file, row, child): warnings, "
        "which never block an import or export.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "import or export"
        default_permissions = ("view",)
        permissions = [
            ("import_returns", "Can import statutory returns (SSDA903, CIN census)"),
            ("export_returns", "Can export statutory returns"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_at__gte=models.F("started_at")),
                name="data_exchange_finishes_after_start",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["rejected", "failed"]) | Q(problem_count=0),
                name="data_exchange_problems_mean_rejected",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.get_data_format_display()} by {self.run_by}"

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()


class QueuedUpload(models.Model):
    """A file uploaded for an import that runs in the background, kept in the database (so the
    web server and the worker need no shared disk) only until the import has run: the import
    deletes it, whatever its outcome. No history on purpose: a copy of the return in a history
    table would keep children's data after it is needed."""

    exchange = models.ForeignKey(DataExchange, on_delete=models.CASCADE, related_name="uploads")
    table = models.CharField(max_length=20, help_text="Which file of the return: header.csv, census.xml, ...")
    name = models.CharField(max_length=255, help_text="The file's name on the uploader's computer.")
    content = models.BinaryField()

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["exchange", "table"], name="queued_upload_one_per_table")
        ]

    def __str__(self) -> str:
        return f"{self.name} for import {self.exchange_id}"
