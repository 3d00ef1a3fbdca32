"""What happens to an alert: responses, referrals, transitions, response links, emails and notices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from iro_service.core.db import CurrentDate
from iro_service.core.restriction import RestrictedQuerySet
from iro_service.people.models import StaffMember
from qa_alerts.codes import (
    EmailKind,
    NoticeKind,
    ReferralKind,
    TransitionKind,
)
from qa_alerts.models.alerts import DESCRIPTION_LIMIT, NOTE_LIMIT, QaAlert


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
