"""The Redis cache, made to behave as an empty cache while Redis is down.

Nothing the service caches is the only copy: the extra non-working days come from PostgreSQL,
and the API throttle's request counts only limit load. So when Redis refuses or times out, a
read is a miss, a write is dropped, and the request carries on against the database (or, for
the throttle, unthrottled) instead of failing with a 500. After a failure the cache is not
tried again for a short pause (``RETRY_AFTER`` seconds, default 10), so that a Redis that
hangs costs one request its connect timeout, not every request."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from iro_service.core.outages import Outage

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

# One per Redis address, shared by the threads of a process (Django makes a cache object per
# thread, and all of them should know that Redis is down).
_outages: dict[str, Outage] = {}


class ResilientRedisCache(RedisCache):
    """Django's RedisCache that degrades to a miss when Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        # Host and port only: the URL may carry a password, which must not reach the log.
        location = ",".join(
            f"{urlsplit(server).hostname}:{urlsplit(server).port or 6379}" for server in self._servers
        )
        retry_after = float(params.get("RETRY_AFTER", 10))
        if location not in _outages:
            _outages[location] = Outage(f"The Redis cache at {location}", pause=retry_after)
        self._outage = _outages[location]

    def _try(self, call, fallback, *args, **kwargs):
        if self._outage.skipping():
            return fallback
        try:
            result = call(*args, **kwargs)
        except UNREACHABLE as error:
            self._outage.failed(error)
            return fallback
        self._outage.succeeded()
        return result

    def get(self, key, default=None, version=None):
        return self._try(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._try(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._try(super().has_key, False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(super().add, False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._try(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that could not be stored.
        return self._try(super().set_many, list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._try(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        self._try(super().delete_many, None, keys, version)

    def clear(self):
        return self._try(super().clear, False)

    def incr(self, key, delta=1, version=None):
        # A missing key is a ValueError for incr (and decr, which calls it); so is a key that
        # cannot be reached.
        missing = object()
        result = self._try(super().incr, missing, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")
        return result
