"""Enqueueing background jobs from requests and services.

Jobs are sent only after the surrounding transaction commits (so a worker never looks for a
row that is not there yet), and a broker outage is logged rather than raised: the person's
change is already saved, and each job is idempotent and re-run by its nightly sweep.
"""

from __future__ import annotations

import logging
import smtplib

from django.db import OperationalError as DatabaseOperationalError
from django.db import transaction
from kombu.exceptions import OperationalError

from iro_service.core.outages import Outage

logger = logging.getLogger(__name__)

# After the broker fails, requests stop trying it for a pause, so that a Redis that hangs
# rather than refuses costs one request its connect timeout, not every request.
broker_outage = Outage("The job broker (Redis)", pause=10.0)


def enqueue(task, *args, **kwargs) -> None:
    """Send ``task`` with primary-key arguments once the current transaction commits."""

    def send() -> None:
        # Eager tasks (no REDIS_URL) never touch the broker.
        if broker_outage.skipping() and not task.app.conf.task_always_eager:
            logger.warning(
                "Did not queue %s%r: the broker is down; the nightly run will catch up", task.name, args
            )
            return
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except OperationalError as error:
            broker_outage.failed(error)
            logger.error("Could not queue %s%r: the nightly run will catch up", task.name, args)
        else:
            broker_outage.succeeded()

    transaction.on_commit(send)


# Errors that are over by the next try: the mail server or the database dropping the
# connection, a network time-out, the broker restarting. Anything else (a bad address, a bug)
# would fail the same way again, so it is not retried.
TRANSIENT_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
    DatabaseOperationalError,
    OperationalError,
)
# ``@shared_task(**RETRY_TRANSIENT, ...)``: up to five retries, 30 s, 60 s, 120 s ... apart
# (at most 10 minutes), with jitter so that workers do not all retry at once.
RETRY_TRANSIENT = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}
