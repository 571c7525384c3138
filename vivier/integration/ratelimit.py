"""Fixed-window rate limits counted in the shared Django cache (Redis or the database)."""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

# Tests replace this to move time without sleeping.
clock: Callable[[], float] = time.time


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
    # add() only writes when absent, then incr() is atomic on Redis; the database cache does
    # a read-then-write, which may under-count a little under heavy concurrency.
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return RateState(limit=limit, count=count, reset_at=reset_at)


def peek(scope: str, ident: str, *, limit: int, window: int) -> RateState:
    """The state of `ident` in `scope` without counting anything."""
    key, reset_at = _key(scope, ident, window)
    return RateState(limit=limit, count=int(cache.get(key) or 0), reset_at=reset_at)


def client_ip(request: HttpRequest) -> str:
    """The client address (REMOTE_ADDR: the proxy must set it, see docs/deploy.md)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
