"""Escalation: by the IRO (to the next stage, or skipping stages with a reason), by the nightly
job when a stage is due with no satisfactory response, naming a stage's addressee, referrals to
Cafcass or for legal advice, and resolution."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from iro_service.core.formats import long_date
from iro_service.core.jobs import enqueue
from iro_service.timescales.selectors import timescale_settings
from qa_alerts.due_dates import stage_due
from qa_alerts.models import (
    AlertNotice,
    AlertOutcome,
    AlertReferral,
    AlertResponse,
    AlertStage,
    AlertStatus,
    NoticeKind,
    QaAlert,
    ReferralKind,
    TransitionKind,
)
from qa_alerts.selectors import escalation_stage_names, stage_contact, stage_name
from qa_alerts.services._common import (
    _lock,
    _not_before_raised,
    _not_future,
    _notice,
    _require_open_concern,
    _transition,
)
from qa_alerts.services.responses import _resolve
from reviews import selectors as reviews_selectors


def _send_emails_after_commit(alert: QaAlert) -> None:
    from qa_alerts.tasks import alert_emails_send

    enqueue(alert_emails_send, alert.pk)


def _move_to_stage(
    alert: QaAlert, *, number: int, on: date, addressee_name: str, addressee_email: str, names
) -> AlertStage:
    stage = AlertStage(
        alert=alert,
        number=number,
        name=stage_name(number, names),
        addressee_name=addressee_name.strip(),
        addressee_email=addressee_email.strip(),
        started_on=on,
        due_on=stage_due(stage=number, started_on=on, settings_row=timescale_settings()),
    )
    stage.full_clean(exclude=["alert"])
    stage.save()
    alert.stage = number
    alert.highest_stage = max(alert.highest_stage, number)
    alert.save()
    return stage


@transaction.atomic
def alert_escalate(
    *,
    alert: QaAlert,
    to_stage: int,
    on: date,
    addressee_name: str = "",
    addressee_email: str = "",
    reason: str = "",
    by=None,
    seen_updated_at: datetime | None = None,
) -> QaAlert:
    """Escalate an open concern to ``to_stage``: the next stage, or a later one with the reason
    the stages between are skipped. The stage is the one the person chose, checked under the
    alert's lock, so two people escalating at once move it once: the second is told it is
    already there."""
    alert = _lock(alert, seen_updated_at)
    _require_open_concern(alert, "to_stage")
    names = escalation_stage_names()
    if alert.stage >= len(names):
        raise ValidationError(
            {
                "to_stage": f"The alert is already at the last stage ({stage_name(alert.stage, names)}): "
                "resolve it, refer it, or bring it to a challenge meeting."
            }
        )
    if to_stage > len(names):
        raise ValidationError({"to_stage": f"There are {len(names)} escalation stages: choose one of them."})
    if to_stage <= alert.stage:
        raise ValidationError(
            {
                "to_stage": f"The alert is already at stage {alert.stage} "
                f"({stage_name(alert.stage, names)}): choose a later stage."
            }
        )
    skipping = to_stage > alert.stage + 1
    if skipping and not reason.strip():
        raise ValidationError({"reason": "Give the reason for skipping a stage."})
    _not_future("on", on, "The date of the escalation")
    _not_before_raised("on", on, alert, "An escalation")
    if addressee_email.strip() and not addressee_name.strip():
        raise ValidationError({"addressee_name": "Enter the name of the person the alert is escalated to."})
    from_stage = alert.stage
    _move_to_stage(
        alert,
        number=to_stage,
        on=on,
        addressee_name=addressee_name,
        addressee_email=addressee_email,
        names=names,
    )
    _transition(
        alert,
        kind=TransitionKind.STAGE_SKIPPED if skipping else TransitionKind.ESCALATED,
        on=on,
        by=by,
        from_stage=from_stage,
        to_stage=to_stage,
        reason=reason.strip(),
    )
    _send_emails_after_commit(alert)
    return alert


def _no_response_to_wait_for(alert_ref="pk", stage_ref="stage") -> Exists:
    """A response at the alert's current stage that resolves the concern or is waiting for the
    IRO to judge it: while there is one, the stage is not escalated."""
    return Exists(
        AlertResponse.objects.filter(alert_id=OuterRef(alert_ref), stage=OuterRef(stage_ref)).filter(
            Q(satisfactory=True) | Q(satisfactory__isnull=True)
        )
    )


def alerts_escalate_overdue(*, on: date) -> int:
    """The nightly job: escalate each open concern whose stage was due before ``on`` with no
    satisfactory response (and none waiting for the IRO's judgement) to the next stage, with
    the addressee last used for the team at that stage, if any. Returns how many it escalated.

    Idempotent: the new stage is due after ``on``, so a second run finds nothing to do. Each
    alert is escalated in its own transaction under its lock, skipping one that someone is
    changing right now (the next run sees it again), and its condition is checked again under
    the lock, so the job and a person never both move an alert."""
    due = AlertStage.objects.filter(alert=OuterRef("pk"), number=OuterRef("stage"), due_on__lt=on)
    candidates = list(
        QaAlert.objects.filter(status=AlertStatus.OPEN)
        .filter(Exists(due))
        .filter(~_no_response_to_wait_for())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    names = escalation_stage_names()
    escalated = 0
    for pk in candidates:
        with transaction.atomic():
            alert = QaAlert.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if alert is None or alert.status != AlertStatus.OPEN:
                continue
            still_due = AlertStage.objects.filter(alert=alert, number=alert.stage, due_on__lt=on).exists()
            waiting = AlertResponse.objects.filter(alert=alert, stage=alert.stage).filter(
                Q(satisfactory=True) | Q(satisfactory__isnull=True)
            )
            if not still_due or waiting.exists():
                continue
            if alert.stage >= len(names):
                _notice(
                    alert,
                    kind=NoticeKind.LAST_STAGE_OVERDUE,
                    stage=alert.stage,
                    text=f"{alert.reference} is overdue at the last stage "
                    f"({stage_name(alert.stage, names)}): resolve it, refer it or bring it to a "
                    "challenge meeting.",
                )
                continue
            from_stage = alert.stage
            contact = stage_contact(team_id=alert.team_id, number=from_stage + 1)
            stage = _move_to_stage(
                alert,
                number=from_stage + 1,
                on=on,
                addressee_name=contact[0] if contact else "",
                addressee_email=contact[1] if contact else "",
                names=names,
            )
            _transition(
                alert,
                kind=TransitionKind.ESCALATED_AUTOMATICALLY,
                on=on,
                from_stage=from_stage,
                to_stage=stage.number,
                reason=f"No satisfactory response by {long_date(_due_of(alert, from_stage))}",
            )
            _notice(
                alert,
                kind=NoticeKind.ESCALATED,
                stage=stage.number,
                text=f"{alert.reference} was escalated to {stage.name}: no satisfactory response in time.",
            )
            if not stage.addressee_email:
                _notice(
                    alert,
                    kind=NoticeKind.NO_ADDRESSEE,
                    stage=stage.number,
                    text=f"{alert.reference} is now with the {stage.name.lower()}, but no one is named for "
                    f"that stage in {alert.team.name}: name who it goes to.",
                )
            _send_emails_after_commit(alert)
            escalated += 1
    return escalated


def _due_of(alert: QaAlert, number: int) -> date:
    return AlertStage.objects.get(alert=alert, number=number).due_on


@transaction.atomic
def alert_stage_address(
    *,
    alert: QaAlert,
    addressee_name: str,
    addressee_email: str,
    by=None,
    seen_updated_at: datetime | None = None,
) -> AlertStage:
    """Name whom the alert's current escalation stage goes to (the nightly job may have
    escalated it to a stage with no one known for the team); the alert is emailed to them."""
    alert = _lock(alert, seen_updated_at)
    _require_open_concern(alert)
    if alert.stage == 0:
        raise ValidationError(
            {"addressee_email": "The first stage goes to the practitioner and team manager."}
        )
    if not addressee_name.strip():
        raise ValidationError({"addressee_name": "Enter the name of the person the alert goes to."})
    if not addressee_email.strip():
        raise ValidationError({"addressee_email": "Enter their email address."})
    stage = AlertStage.objects.select_for_update().get(alert=alert, number=alert.stage)
    stage.addressee_name = addressee_name.strip()
    stage.addressee_email = addressee_email.strip()
    stage.full_clean(exclude=["alert"])
    stage.save()
    _transition(
        alert,
        kind=TransitionKind.ADDRESSED,
        on=stage.started_on,
        by=by,
        from_stage=stage.number,
        to_stage=stage.number,
        reason=f"To {stage.addressee_name}",
    )
    alert.save()  # a new version: the page that named no one is now out of date
    _send_emails_after_commit(alert)
    return stage


@transaction.atomic
def alert_refer(
    *,
    alert: QaAlert,
    kind: str,
    referred_on: date,
    cafcass_involvement=None,
    legal_advice_referral=None,
    notes: str = "",
    by=None,
    seen_updated_at: datetime | None = None,
) -> AlertReferral:
    """Refer the concern beyond the council's escalation, at any stage: to Cafcass through the
    child's Children's Guardian, or for independent legal advice, each linked to its record on
    the child's care page (record it there first). Escalation carries on meanwhile."""
    alert = _lock(alert, seen_updated_at)
    _require_open_concern(alert, "kind")
    _not_future("referred_on", referred_on, "The date of the referral")
    _not_before_raised("referred_on", referred_on, alert, "A referral")
    child_ids = list(alert.children.values_list("child_id", flat=True))
    if kind == ReferralKind.CAFCASS:
        legal_advice_referral = None
        if cafcass_involvement is None:
            raise ValidationError(
                {
                    "cafcass_involvement": "Select the Children's Guardian "
                    "(record them on the child's care page first)."
                }
            )
        if (
            not reviews_selectors.guardians_of_children(child_ids=child_ids)
            .filter(pk=cafcass_involvement.pk)
            .exists()
        ):
            raise ValidationError(
                {"cafcass_involvement": "Select a Children's Guardian of a child on this alert."}
            )
    elif kind == ReferralKind.LEGAL_ADVICE:
        cafcass_involvement = None
        if legal_advice_referral is None:
            raise ValidationError(
                {
                    "legal_advice_referral": "Select the referral for legal advice "
                    "(record it on the child's care page first)."
                }
            )
        if (
            not reviews_selectors.legal_advice_referrals_of_children(child_ids=child_ids)
            .filter(pk=legal_advice_referral.pk)
            .exists()
        ):
            raise ValidationError({"legal_advice_referral": "Select a referral for a child on this alert."})
    else:
        raise ValidationError({"kind": "Select Cafcass or independent legal advice."})
    referral = AlertReferral(
        alert=alert,
        kind=kind,
        referred_on=referred_on,
        cafcass_involvement=cafcass_involvement,
        legal_advice_referral=legal_advice_referral,
        notes=notes.strip(),
    )
    referral.full_clean()
    referral.save()
    _transition(
        alert,
        kind=TransitionKind.REFERRED,
        on=referred_on,
        by=by,
        from_stage=alert.stage,
        to_stage=alert.stage,
        reason=referral.get_kind_display(),
    )
    alert.save()
    return referral


@transaction.atomic
def alert_resolve(
    *,
    alert: QaAlert,
    outcome: str,
    resolved_on: date,
    detail: str = "",
    by=None,
    seen_updated_at: datetime | None = None,
) -> QaAlert:
    """Resolve an open concern, at any stage, with how it ended."""
    alert = _lock(alert, seen_updated_at)
    _require_open_concern(alert, "outcome")
    if outcome not in AlertOutcome.values:
        raise ValidationError({"outcome": "Select how the concern was resolved."})
    _not_future("resolved_on", resolved_on, "The date it was resolved")
    _not_before_raised("resolved_on", resolved_on, alert, "The resolution")
    _resolve(alert, on=resolved_on, outcome=outcome, detail=detail.strip(), by=by)
    return alert


def alert_notices_read(*, iro) -> int:
    """Mark all of an IRO's notices read; returns how many."""
    notices = AlertNotice.objects.filter(iro=iro, read_at__isnull=True)
    count = 0
    for notice in notices:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
        count += 1
    return count
