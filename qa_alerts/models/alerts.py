"""An alert: what the IRO raised, about which children and concerns, and its escalation stages."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from iro_service.core.db import CurrentDate
from iro_service.core.restriction import RestrictedQuerySet
from iro_service.people.codes import JobRole
from iro_service.people.models import Child, Family, StaffMember, Team
from qa_alerts.codes import (
    AlertContext,
    AlertKind,
    AlertOutcome,
    AlertStatus,
    CategoryContext,
)

# The longest text of each kind, owned here; the forms draw their character counts from them.
DESCRIPTION_LIMIT = 4000
NOTE_LIMIT = 2000


class ConcernCategory(models.Model):
    """A kind of concern an alert can raise (drift and delay, timeliness of reports...). A list
    managers keep: the defaults are the seed's two lists (5.9.4 and 6.13); a category no longer
    used is made inactive, never deleted, because old alerts still name it."""

    code = models.SlugField(
        max_length=40,
        unique=True,
        help_text="The stable key the figures and the API use, e.g. drift_delay.",
        error_messages={"unique": "There is already a category with that key"},
    )
    name = models.CharField(
        max_length=80, unique=True, error_messages={"unique": "There is already a category with that name"}
    )
    context = models.CharField(
        "offered for", max_length=8, choices=CategoryContext.choices, default=CategoryContext.ANY
    )
    is_active = models.BooleanField("in use", default=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Where it comes in the list.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "concern categories"

    def __str__(self) -> str:
        return self.name


class QaAlert(models.Model):
    """An IRO's quality-assurance alert about a child's case (or the children of one family at a
    conference): good practice to share, or a concern that needs a response by a due date and
    escalates stage by stage until it is resolved."""

    child_path = "children__child"

    raised_by = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        related_name="qa_alerts_raised",
        limit_choices_to={"job_role": JobRole.IRO},
    )
    raised_on = models.DateField("date raised")
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    context = models.CharField(
        max_length=8,
        choices=AlertContext.choices,
        help_text="Worked out from the children's status on the day the alert was raised.",
    )
    description = models.TextField(max_length=DESCRIPTION_LIMIT)
    family = models.ForeignKey(
        Family,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="qa_alerts",
        help_text="For an alert about the children of one family at a conference.",
    )
    review = models.ForeignKey(
        "reviews.LacReview", on_delete=models.SET_NULL, null=True, blank=True, related_name="qa_alerts"
    )
    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.SET_NULL, null=True, blank=True, related_name="qa_alerts"
    )

    # Whom it is addressed to: often not users of this system.
    practitioner_name = models.CharField(max_length=120)
    practitioner_email = models.EmailField()
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="qa_alerts")
    team_manager_name = models.CharField(max_length=120)
    team_manager_email = models.EmailField()

    status = models.CharField(max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    stage = models.PositiveSmallIntegerField(
        default=0, help_text="0: the practitioner; then the escalation stages."
    )
    highest_stage = models.PositiveSmallIntegerField(default=0)
    # Cached: stage 0's due date, written only by services.alert_due_dates_refresh.
    response_due = models.DateField("first response due by", null=True, blank=True)
    first_response_on = models.DateField("first response received", null=True, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=32, choices=AlertOutcome.choices, blank=True)
    outcome_detail = models.TextField(max_length=NOTE_LIMIT, blank=True)

    # The version an editor started from: a change is refused if the alert changed since.
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        verbose_name = "QA alert"
        permissions = [
            ("record_alert_response", "Can record a response to a QA alert"),
            ("escalate_qaalert", "Can escalate, refer and resolve QA alerts"),
            ("view_alert_board", "Can see the QA alert board and overview"),
            ("manage_alert_lists", "Can change the concern categories, themes and escalation stages"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(raised_on__lte=CurrentDate()), name="qa_alert_not_raised_in_future"
            ),
            models.CheckConstraint(
                condition=(Q(kind="good_practice") & Q(status="noted") & Q(stage=0))
                | (Q(kind="concern") & Q(status__in=["open", "resolved"])),
                name="qa_alert_status_fits_kind",
            ),
            models.CheckConstraint(
                condition=(Q(status="resolved") & Q(resolved_on__isnull=False) & ~Q(outcome=""))
                | (~Q(status="resolved") & Q(resolved_on__isnull=True) & Q(outcome="")),
                name="qa_alert_resolved_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("raised_on")),
                name="qa_alert_resolved_after_raised",
            ),
            models.CheckConstraint(
                condition=Q(first_response_on__isnull=True) | Q(first_response_on__gte=F("raised_on")),
                name="qa_alert_response_after_raised",
            ),
            models.CheckConstraint(condition=Q(highest_stage__gte=F("stage")), name="qa_alert_highest_stage"),
            models.CheckConstraint(
                condition=Q(review__isnull=True) | Q(conference__isnull=True),
                name="qa_alert_one_source",
            ),
        ]
        indexes = [
            models.Index(fields=["raised_on"], name="qa_alert_raised_idx"),
            models.Index(fields=["raised_by", "raised_on"], name="qa_alert_iro_idx"),
            models.Index(fields=["status", "stage"], name="qa_alert_open_idx", condition=Q(status="open")),
        ]

    def __str__(self) -> str:
        return (
            f"QA alert {self.reference}: {self.get_kind_display().lower()} raised {self.raised_on:%d %b %Y}"
        )

    def get_absolute_url(self) -> str:
        return reverse("qa_alerts:alert-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """How people quote an alert in emails and calls."""
        return f"QA-{self.pk}"

    @property
    def is_concern(self) -> bool:
        return self.kind == AlertKind.CONCERN

    @property
    def is_open(self) -> bool:
        return self.status == AlertStatus.OPEN


class AlertChild(models.Model):
    """A child an alert is about. One child, or the children of one family at a conference."""

    child_path = "child"

    alert = models.ForeignKey(QaAlert, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="qa_alerts")
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["alert_id", "child_id"]
        verbose_name_plural = "alert children"
        constraints = [models.UniqueConstraint(fields=["alert", "child"], name="qa_alert_child_once")]
        indexes = [models.Index(fields=["child", "alert"], name="qa_alert_child_idx")]

    def __str__(self) -> str:
        return f"{self.child} on {self.alert}"


class AlertConcern(models.Model):
    """One category of concern an alert raises (several per alert)."""

    child_path = "alert__children__child"

    alert = models.ForeignKey(QaAlert, on_delete=models.CASCADE, related_name="concerns")
    category = models.ForeignKey(ConcernCategory, on_delete=models.PROTECT, related_name="alert_concerns")
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["alert_id", "category_id"]
        constraints = [models.UniqueConstraint(fields=["alert", "category"], name="qa_alert_category_once")]

    def __str__(self) -> str:
        return f"{self.category} on {self.alert}"


class AlertStage(models.Model):
    """One stage an alert reached: stage 0 is the practitioner (with their team manager), the
    later ones the escalation stages of the settings, each with whom it went to and its own
    due date. The stage's name is kept as it was, so a later change of the settings does not
    rewrite history."""

    child_path = "alert__children__child"

    alert = models.ForeignKey(QaAlert, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=60)
    addressee_name = models.CharField(max_length=120, blank=True)
    addressee_email = models.EmailField(blank=True)
    started_on = models.DateField()
    # Cached from started_on: written only by services.alert_due_dates_refresh.
    due_on = models.DateField("response due by")
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["alert_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "number"], name="qa_alert_stage_once"),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("started_on")), name="qa_alert_stage_due_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Stage {self.number} ({self.name}) of {self.alert}"
