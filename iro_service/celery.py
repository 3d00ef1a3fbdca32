"""The Celery application.

Configuration comes from Django settings (``CELERY_*``): with no ``REDIS_URL`` tasks run eagerly
in-process, which the core app's start-up line announces. The beat schedule lives here, in code,
so that it is reviewed like any other change.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings.local")

app = Celery("iro_service")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    # A task that runs away is killed rather than left holding a worker; the soft limit gives
    # it a chance to log and clean up first.
    task_soft_time_limit=300,
    task_time_limit=360,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
)
app.autodiscover_tasks()

# Nightly jobs run after the working day, before IROs and business support start the next one.
app.conf.beat_schedule = {
    "purge-expired-sessions": {
        "task": "iro_service.core.tasks.sessions_purge_expired",
        "schedule": crontab(hour=1, minute=0),
    },
    # Due dates first, so that the reminders that follow read fresh dates.
    "reviews-due-dates-refresh": {
        "task": "reviews.tasks.due_dates_refresh_nightly",
        "schedule": crontab(hour=2, minute=0),
    },
    "reviews-iro-reminders": {
        "task": "reviews.tasks.iro_reminders_send_nightly",
        "schedule": crontab(hour=6, minute=0),
    },
    "conferences-due-dates-refresh": {
        "task": "conferences.tasks.conference_due_dates_refresh_nightly",
        "schedule": crontab(hour=2, minute=15),
    },
    "hsb-due-dates-refresh": {
        "task": "hsb.tasks.hsb_meeting_due_dates_refresh_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
    # Imports uploaded while the broker was down, or whose worker died.
    "statutory-returns-sweep": {
        "task": "reports.tasks.statutory_returns_sweep",
        "schedule": crontab(minute="*/5"),
    },
    # Annual report assemblies never sent to a worker, or whose worker died: caught up within
    # minutes, as a manager is watching the progress page.
    "annual-report-runs-sweep": {
        "task": "reports.annual.tasks.annual_report_runs_sweep",
        "schedule": crontab(),
    },
    # After the due-date refresh, so that escalation reads fresh due dates.
    "qa-alerts-escalate": {
        "task": "qa_alerts.tasks.alerts_escalate_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
    # After escalation, so that tonight's new stages get their emails caught up too.
    "qa-alerts-reminders": {
        "task": "qa_alerts.tasks.alert_reminders_send_nightly",
        "schedule": crontab(hour=6, minute=30),
    },
    # After the sessions' purge; before the working day. Deletes only what is past its period.
    "retention-operational-prune": {
        "task": "retention.tasks.operational_records_prune_nightly",
        "schedule": crontab(hour=3, minute=0),
    },
    # The figures cache's record of changes, folded into one row (reports.figures.changes).
    "figures-changes-fold": {
        "task": "reports.tasks.figures_changes_fold_nightly",
        "schedule": crontab(hour=3, minute=30),
    },
    "conferences-reminders": {
        "task": "conferences.tasks.conference_reminders_send_nightly",
        "schedule": crontab(hour=6, minute=15),
    },
}
