"""Remembering that an outside service (Redis, as cache or job broker) is down.

When a connection fails, callers skip the service for a short pause instead of each waiting
for its connect timeout, and the outage is logged once when it starts, at most once a minute
while it lasts, and once when it is over, rather than once per request."""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger(__name__)


class Outage:
    """The state of one outside service in this process: up, or down until a retry time."""

    def __init__(self, name: str, *, pause: float = 10.0, log_every: float = 60.0):
        self.name = name
        self.pause = pause
        self.log_every = log_every
        self._lock = threading.Lock()
        self._retry_at = 0.0
        self._down = False
        self._logged_at = float("-inf")

    def skipping(self) -> bool:
        """True while the pause after a failure lasts: do not try the service."""
        return time.monotonic() < self._retry_at

    def failed(self, error: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            started = not self._down
            self._down = True
            self._retry_at = now + self.pause
            if not started and now - self._logged_at < self.log_every:
                return
            self._logged_at = now
        logger.warning(
            "%s is unreachable (%s); carrying on without it and trying again every %g s",
            self.name,
            error,
            self.pause,
        )

    def succeeded(self) -> None:
        if not self._down:
            return
        with self._lock:
            was_down, self._down, self._retry_at = self._down, False, 0.0
        if was_down:
            logger.warning("%s is reachable again", self.name)

    def reset(self) -> None:
        """Forget any outage (for tests that cause one)."""
        with self._lock:
            self._down, self._retry_at, self._logged_at = False, 0.0, float("-inf")
