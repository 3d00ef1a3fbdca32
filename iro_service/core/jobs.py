"""Enqueueing background jobs from requests and services.

Jobs are sent only after the surrounding transaction commits (so a worker never looks for a
row that is not there yet), and a broker outage is logged rather than raised: the person's
change is already saved, and each job is idempotent and re-run by its nightly sweep.
"""

from __future__ import annotations

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> None:
    """Send ``task`` with primary-key arguments once the current transaction commits."""

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except OperationalError:
            logger.exception("Could not queue %s%r: the nightly run will catch up", task.name, args)

    transaction.on_commit(send)
