"""Models of the qa_alerts app. IRO quality-assurance alerts, responses, escalation stages and
challenge meetings (domain.md section 5; seed 5.9, 5.10 and 6.13).

Dates are facts; the due dates (``QaAlert.response_due``, ``AlertStage.due_on``) are a cache
written by one function, ``qa_alerts.services.alert_due_dates_refresh`` (through
``qa_alerts.due_dates``), so that lists and figures compare columns in SQL.

An alert's state changes only through the services, each under a row lock on the alert, and each
change is a row of ``AlertTransition`` (who, when, from which stage to which).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from iro_service.core.db import CurrentDate
from iro_service.core.restriction import RestrictedQuerySet
from iro_service.people.codes import JobRole
from iro_service.people.models import Child, Family, StaffMember, Team
from qa_alerts.codes import (  # noqa: F401 (re-exported)
    FIRST_STAGE_NAME,
    AlertContext,
    AlertKind,
    AlertOutcome,
    AlertStatus,
    CategoryContext,
    EmailKind,
    NoticeKind,
    ReferralKind,
    TransitionKind,
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


class AlertResponse(models.Model):
    """A response to an alert from the person it was addressed to, recorded by the IRO or
    business support, or sent by the addressee through the link in the email. ``satisfactory``
    is the IRO's judgement: None until the IRO has read a response that came through the link."""

    child_path = "alert__children__child"

    alert = models.ForeignKey(QaAlert, on_delete=models.CASCADE, related_name="responses")
    stage = models.PositiveSmallIntegerField(help_text="The stage the alert was at.")
    received_on = models.DateField("date received")
    responder_name = models.CharField("who responded", max_length=120)
    summary = models.TextField(max_length=DESCRIPTION_LIMIT)
    satisfactory = models.BooleanField("resolves the concern", null=True, blank=True)
    through_link = models.BooleanField("sent through the email link", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["alert_id", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__lte=CurrentDate()), name="qa_response_not_in_future"
            ),
        ]

    def __str__(self) -> str:
        return f"Response to {self.alert} received {self.received_on:%d %b %Y}"


class AlertReferral(models.Model):
    """The IRO went beyond the council's escalation: to Cafcass, through the child's Children's
    Guardian, or for independent legal advice, each linked to the record of it on the child's
    care page."""

    child_path = "alert__children__child"

    alert = models.ForeignKey(QaAlert, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(max_length=16, choices=ReferralKind.choices)
    referred_on = models.DateField()
    cafcass_involvement = models.ForeignKey(
        "reviews.CafcassInvolvement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="qa_referrals",
    )
    legal_advice_referral = models.ForeignKey(
        "reviews.LegalAdviceReferral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="qa_referrals",
    )
    notes = models.TextField(max_length=NOTE_LIMIT, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["alert_id", "referred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="cafcass")
                    & Q(cafcass_involvement__isnull=False)
                    & Q(legal_advice_referral__isnull=True)
                )
                | (
                    Q(kind="legal_advice")
                    & Q(legal_advice_referral__isnull=False)
                    & Q(cafcass_involvement__isnull=True)
                ),
                name="qa_referral_linked_to_its_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.alert} on {self.referred_on:%d %b %Y}"


class AlertTransition(models.Model):
    """One change in an alert's life: raised, a response, an escalation (by hand, skipping a
    stage, or by the nightly job), a referral, the resolution. Who (None: the nightly job) and
    when. Written only by the services, in the same transaction as the change."""

    child_path = "alert__children__child"

    alert = models.ForeignKey(QaAlert, on_delete=models.CASCADE, related_name="transitions")
    kind = models.CharField(max_length=32, choices=TransitionKind.choices)
    from_stage = models.PositiveSmallIntegerField(null=True, blank=True)
    to_stage = models.PositiveSmallIntegerField(null=True, blank=True)
    on = models.DateField("date")
    reason = models.TextField(max_length=NOTE_LIMIT, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["alert_id", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="stage_skipped") | ~Q(reason=""), name="qa_transition_skip_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.alert}) on {self.on:%d %b %Y}"


class ResponseLink(models.Model):
    """A link in an email that lets the person an alert is addressed to answer it without an
    account. The token in the email is signed and carries a random secret of which only a hash is
    kept here; it works until ``expires_at``, and once: ``used_at`` is set by a conditional
    UPDATE, so two submissions at once cannot both be taken."""

    child_path = "alert__children__child"

    alert = models.ForeignKey(QaAlert, on_delete=models.CASCADE, related_name="links")
    stage = models.PositiveSmallIntegerField()
    recipient = models.EmailField()
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="qa_link_expires_after_created"
            ),
        ]

    def __str__(self) -> str:
        return f"Response link for {self.alert} to {self.recipient}"


class AlertEmail(models.Model):
    """That an email about an alert has gone: the alert to a stage's addressee (with its link),
    or a reminder before a stage is due. The row is written (and committed) before the email is
    sent, so a second run, even a concurrent one, sends nothing twice; a failed send removes it
    so that the retry sends it."""

    child_path = "alert__children__child"

    alert = models.ForeignKey(QaAlert, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=12, choices=EmailKind.choices)
    stage = models.PositiveSmallIntegerField()
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["alert_id", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "kind", "stage", "recipient"], name="qa_alert_email_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.alert} to {self.recipient}"


class AlertNotice(models.Model):
    """An in-app notice for the IRO who raised an alert ("a response has come in", "escalated
    automatically"). One per alert, stage and kind: a job run twice adds none."""

    child_path = "alert__children__child"

    alert = models.ForeignKey(QaAlert, on_delete=models.CASCADE, related_name="notices")
    iro = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="qa_notices")
    kind = models.CharField(max_length=24, choices=NoticeKind.choices)
    stage = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "kind", "stage", "iro"], name="qa_notice_once"),
        ]
        indexes = [
            models.Index(fields=["iro"], name="qa_notice_unread_idx", condition=Q(read_at__isnull=True))
        ]

    def __str__(self) -> str:
        return self.text


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
