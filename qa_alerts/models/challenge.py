"""Challenge meetings: the alerts, children and themes discussed and the actions agreed."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from iro_service.core.db import CurrentDate
from iro_service.core.restriction import RestrictedQuerySet
from iro_service.people.models import Child
from qa_alerts.models.alerts import DESCRIPTION_LIMIT, NOTE_LIMIT, QaAlert


class ChallengeTheme(models.Model):
    """A theme discussed at challenge meetings (seed 5.10.3): a list managers keep."""

    name = models.CharField(
        max_length=160, unique=True, error_messages={"unique": "There is already a theme with that name"}
    )
    is_active = models.BooleanField("in use", default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChallengeMeeting(models.Model):
    """A challenge meeting of IROs with the assistant director and the agency decision maker
    (seed 5.10): the alerts and cases brought, the themes discussed and the actions agreed."""

    held_on = models.DateField("date of the meeting")
    attendees = models.TextField(max_length=NOTE_LIMIT, help_text="Who attended, one per line.")
    alerts = models.ManyToManyField(
        QaAlert, blank=True, related_name="challenge_meetings", through="ChallengeMeetingAlert"
    )
    children = models.ManyToManyField(
        Child, blank=True, related_name="challenge_meetings", through="ChallengeMeetingCase"
    )
    themes = models.ManyToManyField(
        ChallengeTheme, blank=True, related_name="meetings", through="ChallengeMeetingTheme"
    )
    notes = models.TextField(max_length=DESCRIPTION_LIMIT, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(held_on__lte=CurrentDate()), name="challenge_meeting_not_in_future"
            ),
        ]

    def __str__(self) -> str:
        return f"Challenge meeting on {self.held_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("qa_alerts:challenge-detail", args=[self.pk])


class ChallengeMeetingAlert(models.Model):
    """An alert brought to a challenge meeting."""

    child_path = "alert__children__child"

    meeting = models.ForeignKey(ChallengeMeeting, on_delete=models.CASCADE)
    alert = models.ForeignKey(QaAlert, on_delete=models.PROTECT)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting_id", "alert_id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "alert"], name="challenge_alert_once")]

    def __str__(self) -> str:
        return f"{self.alert} at {self.meeting}"


class ChallengeMeetingCase(models.Model):
    """A child's case brought to a challenge meeting (with or without an alert)."""

    child_path = "child"

    meeting = models.ForeignKey(ChallengeMeeting, on_delete=models.CASCADE)
    child = models.ForeignKey(Child, on_delete=models.PROTECT)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting_id", "child_id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "child"], name="challenge_case_once")]

    def __str__(self) -> str:
        return f"{self.child} at {self.meeting}"


class ChallengeMeetingTheme(models.Model):
    """A theme discussed at a challenge meeting."""

    meeting = models.ForeignKey(ChallengeMeeting, on_delete=models.CASCADE)
    theme = models.ForeignKey(ChallengeTheme, on_delete=models.PROTECT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting_id", "theme_id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "theme"], name="challenge_theme_once")]

    def __str__(self) -> str:
        return f"{self.theme} at {self.meeting}"


class ChallengeAction(models.Model):
    """An action agreed at a challenge meeting, with its owner, due date and completion."""

    meeting = models.ForeignKey(ChallengeMeeting, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(max_length=NOTE_LIMIT)
    owner = models.CharField(max_length=120, help_text="Who will do it.")
    due_on = models.DateField("due by")
    completed_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting_id", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__lte=CurrentDate()),
                name="challenge_action_not_completed_in_future",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description[:60]} ({self.owner})"
