"""The append-only access log: who viewed which child's record, when, and through what."""

from django.conf import settings
from django.db import models

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
