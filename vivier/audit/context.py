"""The current request's actor, IP and request id, for audit rows written deep in services."""

import contextvars
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    """What the audit log needs from the request being served."""

    request: Any = None
    ip: str | None = None
    request_id: str = ""

    @property
    def user(self) -> Any:
        """The request's user, read late: token authentication replaces it inside the API."""
        return getattr(self.request, "user", None)


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "vivier_audit_request", default=None
)


def current() -> RequestContext:
    """The context of the request being served, or an empty one (commands, tasks)."""
    return _current.get() or RequestContext()


def set_current(ctx: RequestContext | None) -> contextvars.Token:
    """Make `ctx` the current request context; returns a token for `reset`."""
    return _current.set(ctx)


def reset(token: contextvars.Token) -> None:
    """Restore the context that was current before `set_current`."""
    _current.reset(token)
