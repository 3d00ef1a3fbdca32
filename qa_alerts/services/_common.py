"""Private helpers the services share: locking an alert against a concurrent or stale change,
transitions and in-app notices."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from iro_service.core.formats import long_date
from iro_service.core.versioning import refuse_if_changed_since
from qa_alerts.models import (
    AlertNotice,
    AlertStatus,
    AlertTransition,
    QaAlert,
)


def _lock(alert: QaAlert, seen_updated_at: datetime | None) -> QaAlert:
    """The alert, locked for the rest of the transaction. Every change of state takes this lock
    and then checks the state it expects, so two people acting at once are served one after the
    other and the second finds the change already made (and is refused) instead of doubling it."""
    locked = QaAlert.objects.select_for_update().get(pk=alert.pk)
    refuse_if_changed_since(locked, seen_updated_at, what="alert")
    return locked


def _require_open_concern(alert: QaAlert, field: str = "__all__") -> None:
    if not alert.is_concern:
        raise ValidationError({field: "Good practice alerts are shared, not answered or escalated."})
    if alert.status == AlertStatus.RESOLVED:
        raise ValidationError({field: f"This alert was resolved on {long_date(alert.resolved_on)}."})


def _not_future(field: str, day: date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{label} must be today or earlier."})


def _not_before_raised(field: str, day: date, alert: QaAlert, what: str) -> None:
    if day < alert.raised_on:
        raise ValidationError(
            {field: f"{what} cannot be before the alert was raised on {long_date(alert.raised_on)}."}
        )


def _transition(alert: QaAlert, *, kind: str, on: date, by=None, from_stage=None, to_stage=None, reason=""):
    transition = AlertTransition(
        alert=alert, kind=kind, on=on, by=by, from_stage=from_stage, to_stage=to_stage, reason=reason
    )
    transition.full_clean()
    transition.save()
    return transition


def _notice(alert: QaAlert, *, kind: str, stage: int, text: str) -> bool:
    """An in-app notice for the IRO who raised the alert, once per alert, stage and kind."""
    _, created = AlertNotice.objects.get_or_create(
        alert=alert, kind=kind, stage=stage, iro_id=alert.raised_by_id, defaults={"text": text[:300]}
    )
    return created
