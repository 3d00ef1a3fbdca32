"""The emails about an alert: to each addressee of its current stage (with their own response
link), and a reminder before each stage is due. Each email is claimed by an ``AlertEmail`` row,
committed before it is sent, so that running the jobs again (or twice at once) sends nothing
twice; a failed send removes its claim so that the retry sends it."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse

from iro_service.core.formats import long_date
from iro_service.timescales.dates import extra_non_working_days
from iro_service.timescales.selectors import timescale_settings
from qa_alerts.due_dates import reminder_day
from qa_alerts.models import (
    AlertEmail,
    AlertKind,
    AlertResponse,
    AlertStage,
    AlertStatus,
    EmailKind,
    QaAlert,
    ResponseLink,
)
from qa_alerts.services.responses import response_link_issue


def _recipients(alert: QaAlert, stage: AlertStage | None) -> list[str]:
    if alert.stage == 0:
        return list(dict.fromkeys(e for e in (alert.practitioner_email, alert.team_manager_email) if e))
    return [stage.addressee_email] if stage is not None and stage.addressee_email else []


def _children_line(alert: QaAlert) -> str:
    # Child IDs only: email is not a safe place for children's names.
    ids = ", ".join(link.child.local_child_id for link in alert.children.all())
    return f"Child ID{'s' if ',' in ids else ''}: {ids}"


def _body(
    alert: QaAlert, stage: AlertStage | None, *, url: str | None, reminder: bool, settings_row=None
) -> str:
    categories = ", ".join(concern.category.name for concern in alert.concerns.all())
    lines = [
        f"{alert.raised_by.full_name}, Independent Reviewing Officer, raised QA alert {alert.reference} "
        f"on {long_date(alert.raised_on)}.",
        _children_line(alert),
        f"Kind: {alert.get_kind_display()}",
    ]
    if categories:
        lines.append(f"Concerns: {categories}")
    lines += ["", alert.description, ""]
    if stage is not None:
        if stage.number:
            lines.append(f"It has been escalated to you as {stage.name.lower()}.")
        lines.append(f"A response is due by {long_date(stage.due_on)}.")
        if reminder:
            lines.insert(0, "Reminder: no response to this alert has been received yet.\n")
    if url:
        lines += [
            "",
            "Respond here (the link works once, and until "
            f"{(settings_row or timescale_settings()).qa_link_valid_days} days from this email):",
            url,
        ]
    return "\n".join(lines)


def _claim(alert: QaAlert, kind: str, stage: int, recipient: str) -> AlertEmail | None:
    try:
        with transaction.atomic():
            return AlertEmail.objects.create(alert=alert, kind=kind, stage=stage, recipient=recipient)
    except IntegrityError:
        return None  # already sent (or being sent by a concurrent run)


def _send_claimed(claim: AlertEmail, *, subject: str, body_for, with_link: bool) -> int:
    """Send the claimed email; on failure remove the claim (and its link) and raise, so that the
    task's retry sends it."""
    link = token = None
    if with_link:
        with transaction.atomic():
            link, token = response_link_issue(alert=claim.alert, stage=claim.stage, recipient=claim.recipient)
    url = f"{settings.SITE_URL}{reverse('qa_alerts:respond', args=[token])}" if token else None
    try:
        send_mail(subject, body_for(url), None, [claim.recipient])
    except Exception:
        claim.delete()
        if link is not None:
            ResponseLink.objects.filter(pk=link.pk).delete()
        raise
    return 1


# What an alert's email shows (``_body``): who raised it, its team, its children, its concerns.
_EMAIL_RELATED = ("raised_by", "team")
_EMAIL_PREFETCH = ("children__child", "concerns__category")


def _alert_for_email(pk: int) -> QaAlert | None:
    return (
        QaAlert.objects.select_related(*_EMAIL_RELATED)
        .prefetch_related(*_EMAIL_PREFETCH)
        .filter(pk=pk)
        .first()
    )


def alert_emails_send(*, alert_pk: int) -> int:
    """Email the alert to each addressee of its current stage who has not had it: the
    practitioner and team manager when it is raised, each escalation stage's addressee after.
    A concern's email carries the recipient's own response link. Returns the number sent."""
    alert = _alert_for_email(alert_pk)
    if alert is None or alert.status == AlertStatus.RESOLVED:
        return 0
    stage = AlertStage.objects.filter(alert=alert, number=alert.stage).first()
    concern = alert.kind == AlertKind.CONCERN
    subject = (
        f"QA alert {alert.reference}: response needed by {long_date(stage.due_on)}"
        if concern and stage
        else f"QA alert {alert.reference}: good practice noted by the IRO service"
    )
    sent = 0
    for recipient in _recipients(alert, stage):
        claim = _claim(alert, EmailKind.ADDRESSED, alert.stage, recipient)
        if claim is None:
            continue
        sent += _send_claimed(
            claim,
            subject=subject,
            body_for=lambda url: _body(alert, stage if concern else None, url=url, reminder=False),
            with_link=concern,
        )
    return sent


def alert_emails_catch_up() -> int:
    """Send the emails a broker outage kept from going when alerts were raised or escalated:
    every open (or good practice) alert whose current stage has an addressee not yet emailed."""
    emailed = AlertEmail.objects.filter(
        alert=OuterRef("pk"), kind=EmailKind.ADDRESSED, stage=OuterRef("stage")
    )
    pending = (
        QaAlert.objects.filter(status__in=[AlertStatus.OPEN, AlertStatus.NOTED])
        .filter(~Exists(emailed))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(alert_emails_send(alert_pk=pk) for pk in pending)


# Stages reminded together: their alerts and the reminders already sent are read in six
# queries a batch, not five a stage (38,000 stages on the first night nationally).
REMINDER_BATCH = 500


def alert_reminders_send(*, on: date) -> int:
    """Remind each addressee of an open alert's current stage, on the reminder day before the
    stage is due (the reminder setting in working days), when no response has come at that
    stage. Once per stage and addressee; a day missed (the job did not run) is caught up until
    the stage is due. Returns the number sent."""
    settings_row = timescale_settings()
    extra = extra_non_working_days()
    answered = AlertResponse.objects.filter(alert=OuterRef("alert_id"), stage=OuterRef("number"))
    stage_ids = list(
        AlertStage.objects.filter(
            alert__status=AlertStatus.OPEN,
            due_on__gte=on,
            due_on__lte=_latest_due_reminded(on, settings_row=settings_row, extra=extra),
            number=F("alert__stage"),
        )
        .filter(~Exists(answered))
        .order_by("alert_id")
        .values_list("pk", flat=True)
    )
    batches = (
        stage_ids[start : start + REMINDER_BATCH] for start in range(0, len(stage_ids), REMINDER_BATCH)
    )
    return sum(_reminders_send(batch, on=on, settings_row=settings_row, extra=extra) for batch in batches)


def _latest_due_reminded(on: date, *, settings_row, extra: frozenset[date]) -> date:
    """The last due day whose reminder day is ``on`` or before: a later due day never has an
    earlier reminder day, so the stages to remind are those due from ``on`` to this day."""
    latest = on
    while reminder_day(due_on=latest + timedelta(days=1), settings_row=settings_row, extra=extra) <= on:
        latest += timedelta(days=1)
    return latest


def _reminders_send(stage_ids: list[int], *, on: date, settings_row, extra: frozenset[date]) -> int:
    stages = list(
        AlertStage.objects.filter(pk__in=stage_ids)
        .select_related(*(f"alert__{name}" for name in _EMAIL_RELATED))
        .prefetch_related(*(f"alert__{name}" for name in _EMAIL_PREFETCH))
        .order_by("alert_id")
    )
    # Those already reminded are skipped here; the claim still stops a concurrent run.
    reminded = set(
        AlertEmail.objects.filter(
            kind=EmailKind.REMINDER, alert__in=[stage.alert_id for stage in stages]
        ).values_list("alert_id", "stage", "recipient")
    )
    sent = 0
    for stage in stages:
        if reminder_day(due_on=stage.due_on, settings_row=settings_row, extra=extra) > on:
            continue
        alert = stage.alert
        for recipient in _recipients(alert, stage):
            if (alert.pk, stage.number, recipient) in reminded:
                continue
            claim = _claim(alert, EmailKind.REMINDER, stage.number, recipient)
            if claim is None:
                continue
            sent += _send_claimed(
                claim,
                subject=f"Reminder: QA alert {alert.reference} needs a response by {long_date(stage.due_on)}",
                body_for=lambda url, alert=alert, stage=stage: _body(
                    alert, stage, url=url, reminder=True, settings_row=settings_row
                ),
                with_link=True,
            )
    return sent
