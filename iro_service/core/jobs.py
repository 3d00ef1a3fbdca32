"""Enqueueing background jobs from requests and services.

Jobs are sent only after the surrounding transaction commits (so a worker never looks for a
row that is not there yet), and a broker outage is logged rather than raised: the person's
change is already saved, and each job is idempotent and re-run by its nightly sweep.

Without a broker (no ``REDIS_URL``) Celery runs a task in-process the moment it is sent, so a
job sent while a page is answered would hold the page until it finished. A job that may take
longer than a page should (``enqueue_slow``) is therefore kept until the page's response has been
sent, and run then.
"""

from __future__ import annotations

import logging
import smtplib
import threading

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
    transaction.on_commit(lambda: _send(task, args, kwargs))


# The slow jobs sent while this thread answers a request, run once its response has gone
# (``None`` between requests). A WSGI server answers one request at a time per thread.
_after_response = threading.local()


def enqueue_slow(task, *args) -> None:
    """``enqueue`` for a job that may run for longer than a page may take (an import of a
    statutory return). With a broker it is the same as ``enqueue``; without one, a job sent while
    a request is answered runs after that request's response has been sent, so the page comes
    back at once and says the job is under way."""

    def send() -> None:
        pending = getattr(_after_response, "jobs", None)
        if task.app.conf.task_always_eager and pending is not None:
            pending.append((task, args))
        else:
            _send(task, args)

    transaction.on_commit(send)


def _send(task, args, kwargs=None) -> None:
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


def request_started(**kwargs) -> None:
    """Signal receiver: start collecting the slow jobs of the request being answered."""
    # A server that never closed the last response would leave its jobs here: run them rather
    # than drop them.
    _run_pending()
    _after_response.jobs = []


def request_finished(**kwargs) -> None:
    """Signal receiver, sent once the response has been sent: run the request's slow jobs."""
    _run_pending()


def _run_pending() -> None:
    jobs, _after_response.jobs = getattr(_after_response, "jobs", None) or [], None
    for task, args in jobs:
        # The response has gone: a failure can only be logged (the job records its own outcome).
        try:
            _send(task, args)
        except Exception:
            logger.exception("%s%r failed after the response was sent", task.name, args)


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
