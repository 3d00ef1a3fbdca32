"""Celery tasks of the qa_alerts app: take primary keys, call one service, idempotent."""

from celery import shared_task
from django.utils import timezone

from iro_service.core.jobs import RETRY_TRANSIENT
from qa_alerts import services


@shared_task(**RETRY_TRANSIENT, soft_time_limit=120, time_limit=180)
def alert_emails_send(alert_pk: int) -> int:
    """Email an alert to whoever its current stage is addressed to and has not had it yet.
    Queued after the change that needs it is committed; safe to run again (each email is
    claimed before it goes)."""
    return services.alert_emails_send(alert_pk=alert_pk)


@shared_task(**RETRY_TRANSIENT, soft_time_limit=600, time_limit=660)
def alerts_escalate_nightly() -> int:
    """Refresh the alerts' due dates, then escalate every stage due with no satisfactory response.
    Run twice, the second run escalates nothing."""
    services.alert_due_dates_refresh()
    return services.alerts_escalate_overdue(on=timezone.localdate())


@shared_task(**RETRY_TRANSIENT, soft_time_limit=600, time_limit=660)
def alert_reminders_send_nightly() -> int:
    """Send the reminders due today, and any alert email a broker outage kept from going."""
    caught_up = services.alert_emails_catch_up()
    return caught_up + services.alert_reminders_send(on=timezone.localdate())
