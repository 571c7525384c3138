"""Fixed-window rate limits, shared by every worker: counted in Redis when the default cache is
Redis, else in the database with one upsert per event (decision 19)."""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

from vivier.core.prepared import prepared_cursor
from vivier.integration.models import RateCount

# Tests replace this to move time without sleeping.
clock: Callable[[], float] = time.time


def _in_redis() -> bool:
    return isinstance(caches["default"], RedisCache)


@dataclass(frozen=True)
class RateState:
    """Where one key stands in its current window."""

    limit: int
    count: int
    reset_at: int

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    @property
    def retry_after(self) -> int:
        return max(1, self.reset_at - int(clock()))

    def apply_headers(self, response: HttpResponse, *, limited: bool = False) -> HttpResponse:
        """Add the X-RateLimit-* headers (and Retry-After when refused) to `response`."""
        response["X-RateLimit-Limit"] = str(self.limit)
        response["X-RateLimit-Remaining"] = str(self.remaining)
        response["X-RateLimit-Reset"] = str(self.reset_at)
        if limited:
            response["Retry-After"] = str(self.retry_after)
        return response


def _key(scope: str, ident: str, window: int) -> tuple[str, int]:
    now = int(clock())
    start = now - now % window
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{start}", start + window


def hit(scope: str, ident: str, *, limit: int, window: int) -> RateState:
    """Count one event for `ident` in `scope` and return the state after it."""
    key, reset_at = _key(scope, ident, window)
    if not _in_redis():
        return RateState(limit=limit, count=_db_hit(key, reset_at), reset_at=reset_at)
    # add() only writes when absent, then incr() is atomic on Redis.
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return RateState(limit=limit, count=count, reset_at=reset_at)


def _db_hit(key: str, reset_at: int) -> int:
    """Add one to the window's row in one atomic statement (the database cache took 11)."""
    table = RateCount._meta.db_table
    expires = datetime.fromtimestamp(reset_at, tz=UTC)
    # Prepared: every API request sends it, and its plan never changes.
    with prepared_cursor(connections[DEFAULT_DB_ALIAS]) as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ("key", "count", "expires_at") VALUES (%s, 1, %s) '
            f'ON CONFLICT ("key") DO UPDATE SET "count" = "{table}"."count" + 1 '
            'RETURNING "count"',
            [key, expires],
        )
        count = cursor.fetchone()[0]
    # Windows that are over are deleted by the daily retention run (vivier_retention).
    return int(count)


def peek(scope: str, ident: str, *, limit: int, window: int) -> RateState:
    """The state of `ident` in `scope` without counting anything."""
    key, reset_at = _key(scope, ident, window)
    if not _in_redis():
        rows = RateCount.objects.using(DEFAULT_DB_ALIAS).filter(key=key)
        count = rows.values_list("count", flat=True).first()
        return RateState(limit=limit, count=int(count or 0), reset_at=reset_at)
    return RateState(limit=limit, count=int(cache.get(key) or 0), reset_at=reset_at)


def client_ip(request: HttpRequest) -> str:
    """The client address (REMOTE_ADDR: the proxy must set it, see docs/deploy.md)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
