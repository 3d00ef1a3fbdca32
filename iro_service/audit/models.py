"""The append-only access log: who viewed which child's record, when, and through what."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from iro_service.people.models import Child


class AccessChannel(models.TextChoices):
    WEB = "web", "Web page"
    API = "api", "REST API"
    EXPORT = "export", "Export or report"


class AccessLog(models.Model):
    """One view of a child's record. Rows are only ever inserted: a database trigger refuses
    UPDATE and DELETE (migration 0003), so not even the application can rewrite the log."""

    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="access_log")
    channel = models.CharField(max_length=8, choices=AccessChannel.choices)
    what = models.CharField(max_length=120, help_text="The page or API resource viewed.")
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["child", "-viewed_at"], name="accesslog_child_idx")]
        default_permissions = ("view",)

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
