"""Django's Redis cache, made so that Redis being down costs time, never a page.

Every public page reads the cache, so an unreachable Redis used to be a 500 on all of
them. Here a failed call is a miss: `get` and `get_many` find nothing, `set`, `delete` and
the like are dropped, and the page is computed from the database as if it were the first
visit. Counters and locks (`add`, `incr`, `decr`) have no such neutral answer, so they
raise CacheUnavailable and their caller decides (accmr.core.ratelimit counts in this
process instead; accmr.core.exports takes a slot on this host).

After a failure the server is left alone for RETRY_SECONDS, so a hung Redis holds each
worker for one socket timeout (settings: REDIS_TIMEOUT_MS) every few seconds rather than
on every call, and the outage is logged once a minute at most per process.
"""

import logging
import threading
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
RETRY_SECONDS = 10
WARN_EVERY_SECONDS = 60
_MISSING = object()


class CacheUnavailable(Exception):
    """The shared cache cannot count or lock right now: the caller chooses a fallback."""


@dataclass
class _Health:
    """One server's state in this process (backends are per thread; this is shared)."""

    down_until: float = 0.0
    warned_at: float = float("-inf")
    warned: bool = False

    def failed(self, location: str, error: Exception) -> None:
        now = time.monotonic()
        self.down_until = now + RETRY_SECONDS
        if now - self.warned_at >= WARN_EVERY_SECONDS:
            self.warned_at, self.warned = now, True
            log.warning(
                "The shared cache %s cannot be reached (%s): pages are computed from the "
                "database and rate limits counted per process until it answers.",
                location,
                error,
            )

    def answered(self, location: str) -> None:
        if self.down_until:
            self.down_until = 0.0
            if self.warned:
                self.warned = False
                log.info("The shared cache %s answers again.", location)


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


class SharedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        # Named by host and database only: a password in the URL is never logged.
        location = self._servers[0].rsplit("@", 1)[-1].split("://")[-1]
        self._location = location
        with _health_lock:
            self._health = _health.setdefault(location, _Health())

    @property
    def reachable(self) -> bool:
        """False while the server is being left alone after a failure (no round trip)."""
        return time.monotonic() >= self._health.down_until

    def ping(self) -> bool:
        """Whether Redis answers a PING now (at once False while it is left alone)."""
        return self._call(self._ping, failed=False)

    def _ping(self) -> bool:
        return self._cache.get_client(write=True).ping()

    def _call(self, operation, *args, failed):
        """`operation(*args)`, or `failed` should Redis not answer (raised if it is
        CacheUnavailable)."""
        if not self.reachable:
            if failed is CacheUnavailable:
                raise CacheUnavailable
            return failed
        try:
            result = operation(*args)
        except RedisError as error:
            self._health.failed(self._location, error)
            if failed is CacheUnavailable:
                raise CacheUnavailable from error
            return failed
        self._health.answered(self._location)
        return result

    # Values: a failure is a miss, or a write that did not happen.
    def get(self, key, default=None, version=None):
        return self._call(super().get, key, default, version, failed=default)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, keys, version, failed={})

    def has_key(self, key, version=None):
        return self._call(super().has_key, key, version, failed=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(super().set, key, value, timeout, version, failed=None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """The keys that could not be stored (all of them when Redis is down)."""
        return self._call(super().set_many, data, timeout, version, failed=list(data)) or []

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, key, timeout, version, failed=False)

    def delete(self, key, version=None):
        return self._call(super().delete, key, version, failed=False)

    def delete_many(self, keys, version=None):
        self._call(super().delete_many, keys, version, failed=None)

    def clear(self):
        return self._call(super().clear, failed=False)

    def get_or_set(self, key, default, timeout=DEFAULT_TIMEOUT, version=None):
        """As Django's, computing `default` once even when Redis is down."""
        value = self.get(key, _MISSING, version)
        if value is not _MISSING:
            return value
        value = default() if callable(default) else default
        try:
            if self.add(key, value, timeout, version):
                return value
        except CacheUnavailable:
            return value
        return self.get(key, value, version)

    # Counters and locks: the caller decides what a failure means.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, key, value, timeout, version, failed=CacheUnavailable)

    def incr(self, key, delta=1, version=None):
        return self._call(super().incr, key, delta, version, failed=CacheUnavailable)


def shared_cache_down() -> bool:
    """True when the default cache is a Redis that does not answer (asked now, unless it
    failed moments ago); False for a reachable Redis or a local-memory cache."""
    ping = getattr(cache, "ping", None)
    return ping is not None and not ping()
