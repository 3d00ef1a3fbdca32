"""The disposal register: one entry per child's record erased under the retention schedule."""

from django.conf import settings
from django.db import models

from retention.schedule import RetentionRule


class DisposalRecord(models.Model):
    """One child's whole record erased because its retention period had passed. It holds no
    personal data, so that it can be kept for ever as the council's evidence of what was
    disposed of, when, under which rule and on whose authority: no name, child ID, UPN or date
    of birth, and only the year the record fell due (the exact date would give the date of
    birth back: the 75th anniversary less 75 years). ``reference`` is this register's own.
    No history: an entry is only ever added."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    rule = models.CharField(max_length=24, choices=RetentionRule.choices)
    due_year = models.PositiveSmallIntegerField(help_text="The year the record fell due for disposal.")
    disposed_at = models.DateTimeField(auto_now_add=True)
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    counts = models.JSONField(
        default=dict, help_text='Rows erased per kind of record, e.g. {"Periods of care": 2}.'
    )

    class Meta:
        ordering = ["-disposed_at", "-pk"]
        verbose_name = "disposal register entry"
        verbose_name_plural = "disposal register"
        default_permissions = ("view",)
        permissions = [
            ("view_records_due", "Can see the children whose records are due for disposal"),
            ("dispose_child_record", "Can erase a child's whole record once it is due for disposal"),
        ]

    def __str__(self) -> str:
        return f"Disposal {self.reference}"
