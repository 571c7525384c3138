"""Read replica routing: reads go to the `replica` alias, unless they must see a recent write.

Read-your-writes (ADR 0016): a read goes to the primary when
- it runs inside a transaction on the primary (selectors called by services, select_for_update);
- anything was written earlier in the same request or task (the router pins the context);
- the request is not a GET/HEAD/OPTIONS (forms and API writes read what they validate);
- the browser wrote less than VIVIER_REPLICA_PIN_SECONDS ago (a cookie the middleware sets),
  so the page after a POST-redirect-GET shows what was just saved despite replication lag.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "vivier_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# True once this request or task must read from the primary.
_pinned: ContextVar[bool] = ContextVar("vivier_replica_pinned", default=False)
# True once this request or task wrote (so the middleware sets the cookie).
_wrote: ContextVar[bool] = ContextVar("vivier_replica_wrote", default=False)


def replica_enabled() -> bool:
    """Whether reads may go to a replica: one is configured and the setting allows it."""
    return REPLICA in settings.DATABASES and getattr(settings, "VIVIER_READ_REPLICA", False)


def pin_primary() -> None:
    """Send every further read of this request or task to the primary."""
    _pinned.set(True)


def is_pinned() -> bool:
    """Whether reads of this context go to the primary."""
    return _pinned.get()


def reset_context(*, pinned: bool = False) -> None:
    """Start a new request or task: pinned or not, and nothing written yet."""
    _pinned.set(pinned)
    _wrote.set(False)


def _in_transaction() -> bool:
    """Whether code runs inside a transaction.atomic() block on the primary.

    The outer blocks a TestCase opens around each test (marked `_from_testcase`) do not count:
    they stand for the autocommit mode the code runs in outside tests.
    """
    primary = connections[PRIMARY]
    if not primary.in_atomic_block:
        return False
    return any(not getattr(block, "_from_testcase", False) for block in primary.atomic_blocks)


class ReplicaRouter:
    """Route reads to the replica when that cannot hide a write from its writer."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if not replica_enabled() or _pinned.get():
            return PRIMARY
        if _in_transaction():
            return PRIMARY
        instance = hints.get("instance")
        if instance is not None and instance._state.db == PRIMARY:
            # Related objects of a row read from the primary come from the primary too.
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        # Asked before every ORM write: from now on this context reads its own writes.
        _pinned.set(True)
        _wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both aliases hold the same data: relations across them are fine.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica follows the primary's schema through replication, never by migrate.
        return db == PRIMARY


class ReplicaPinMiddleware:
    """Pin unsafe requests and recent writers to the primary; remember writers in a cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        pinned = request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES
        reset_context(pinned=pinned)
        response = self.get_response(request)
        wrote = _wrote.get() or request.method not in SAFE_METHODS
        if replica_enabled() and wrote:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.VIVIER_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        reset_context()
        return response
