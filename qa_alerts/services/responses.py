"""Responses to an alert: recorded by the IRO or business support, or sent by the addressee
through the link in the email (no account needed), and the IRO's judgement of them."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro_service.timescales.selectors import timescale_settings
from qa_alerts.models import (
    AlertOutcome,
    AlertResponse,
    AlertStatus,
    NoticeKind,
    QaAlert,
    ResponseLink,
    TransitionKind,
)
from qa_alerts.services._common import (
    _lock,
    _not_before_raised,
    _not_future,
    _notice,
    _require_open_concern,
    _transition,
)

LINK_SALT = "qa_alerts.response-link"


def _resolve(alert: QaAlert, *, on: date, outcome: str, detail: str = "", by=None) -> None:
    alert.status = AlertStatus.RESOLVED
    alert.resolved_on = on
    alert.outcome = outcome
    alert.outcome_detail = detail
    alert.full_clean()
    alert.save()
    _transition(
        alert, kind=TransitionKind.RESOLVED, on=on, by=by, from_stage=alert.stage, to_stage=alert.stage
    )


def _record(
    alert: QaAlert, *, received_on, responder_name, summary, satisfactory, through_link, by
) -> AlertResponse:
    _require_open_concern(alert)
    _not_future("received_on", received_on, "The date the response was received")
    _not_before_raised("received_on", received_on, alert, "A response")
    response = AlertResponse(
        alert=alert,
        stage=alert.stage,
        received_on=received_on,
        responder_name=responder_name.strip(),
        summary=summary.strip(),
        satisfactory=satisfactory,
        through_link=through_link,
        recorded_by=by,
    )
    response.full_clean()
    response.save()
    if alert.first_response_on is None or received_on < alert.first_response_on:
        alert.first_response_on = received_on
        alert.save()
    _transition(
        alert,
        kind=TransitionKind.RESPONSE_RECORDED,
        on=received_on,
        by=by,
        from_stage=alert.stage,
        to_stage=alert.stage,
        reason=f"From {response.responder_name}"
        + (
            ""
            if satisfactory is None
            else (": resolves the concern" if satisfactory else ": does not resolve the concern")
        ),
    )
    if satisfactory:
        _resolve(alert, on=received_on, outcome=_resolved_outcome(alert), by=by)
    return response


def _resolved_outcome(alert: QaAlert) -> str:
    return AlertOutcome.RESOLVED_BY_RESPONSE if alert.stage == 0 else AlertOutcome.RESOLVED_ON_ESCALATION


@transaction.atomic
def alert_response_record(
    *,
    alert: QaAlert,
    received_on: date,
    responder_name: str,
    summary: str,
    satisfactory: bool,
    by=None,
    seen_updated_at: datetime | None = None,
) -> AlertResponse:
    """Record a response the IRO or business support received (by email, phone or at a meeting),
    and whether it resolves the concern: if it does, the alert is resolved on the day it came;
    if not, the alert stays at its stage and escalates when the stage is due."""
    locked = _lock(alert, seen_updated_at)
    return _record(
        locked,
        received_on=received_on,
        responder_name=responder_name,
        summary=summary,
        satisfactory=satisfactory,
        through_link=False,
        by=by,
    )


@transaction.atomic
def alert_response_judge(
    *, response: AlertResponse, satisfactory: bool, by=None, seen_updated_at: datetime | None = None
) -> AlertResponse:
    """The IRO's judgement of a response that came through the email link: it resolves the
    concern (the alert is resolved on the day the response came) or it does not (the alert
    escalates when its stage is due)."""
    alert = _lock(response.alert, seen_updated_at)
    _require_open_concern(alert, "satisfactory")
    response = AlertResponse.objects.select_for_update().get(pk=response.pk)
    if response.satisfactory is not None:
        raise ValidationError({"satisfactory": "This response has already been judged."})
    response.satisfactory = satisfactory
    response.save()
    _transition(
        alert,
        kind=TransitionKind.RESPONSE_JUDGED,
        on=timezone.localdate(),
        by=by,
        from_stage=alert.stage,
        to_stage=alert.stage,
        reason="Resolves the concern" if satisfactory else "Does not resolve the concern",
    )
    if satisfactory:
        _resolve(
            alert, on=max(response.received_on, alert.raised_on), outcome=_resolved_outcome(alert), by=by
        )
    return response


# --- the response link ----------------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def response_link_issue(*, alert: QaAlert, stage: int, recipient: str) -> tuple[ResponseLink, str]:
    """A single-use link for ``recipient`` to answer ``alert`` without an account; returns the
    row and the token for the email. The token is signed with the site's secret key and carries
    a random secret of which only a hash is stored, so neither a guessed number nor a copy of
    the database makes a working link."""
    secret = secrets.token_urlsafe(24)
    now = timezone.now()
    link = ResponseLink.objects.create(
        alert=alert,
        stage=stage,
        recipient=recipient,
        secret_hash=_hash(secret),
        expires_at=now + timedelta(days=timescale_settings().qa_link_valid_days),
    )
    return link, signing.dumps({"l": link.pk, "s": secret}, salt=LINK_SALT)


@dataclass(frozen=True)
class LinkRefused(Exception):
    """Why a response link cannot be used: ``reason`` is one of invalid, expired, used, closed."""

    reason: str


def response_link_check(token: str) -> ResponseLink:
    """The link a token stands for, if it may still be used; otherwise ``LinkRefused``."""
    try:
        payload = signing.loads(token, salt=LINK_SALT)
        link = ResponseLink.objects.select_related("alert").get(pk=int(payload["l"]))
        secret = str(payload["s"])
    except (signing.BadSignature, ResponseLink.DoesNotExist, KeyError, TypeError, ValueError):
        raise LinkRefused("invalid") from None
    if not hmac.compare_digest(link.secret_hash, _hash(secret)):
        raise LinkRefused("invalid")
    if link.used_at is not None:
        raise LinkRefused("used")
    if link.expires_at <= timezone.now():
        raise LinkRefused("expired")
    if link.alert.status != AlertStatus.OPEN:
        raise LinkRefused("closed")
    return link


@transaction.atomic
def alert_response_through_link(*, token: str, responder_name: str, summary: str) -> AlertResponse:
    """A response sent through the link in an alert's email. The link is taken by a conditional
    UPDATE in the same transaction as the response: two submissions at once cannot both be
    taken, and a response refused for bad input leaves the link unused. The IRO is told, and
    judges whether it resolves the concern."""
    link = response_link_check(token)
    now = timezone.now()
    taken = ResponseLink.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now
    )
    if not taken:
        raise LinkRefused("used")
    alert = _lock(link.alert, None)
    response = _record(
        alert,
        received_on=timezone.localdate(),
        responder_name=responder_name,
        summary=summary,
        satisfactory=None,
        through_link=True,
        by=None,
    )
    _notice(
        alert,
        kind=NoticeKind.RESPONSE_RECEIVED,
        stage=alert.stage,
        text=f"{alert.reference}: {response.responder_name} responded through the email link. "
        "Read it and say whether it resolves the concern.",
    )
    return response
