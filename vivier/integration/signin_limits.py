"""Sign-in throttling shared by the password form and the single sign-on callback."""

from django.conf import settings
from django.http import HttpRequest

from vivier.integration import ratelimit


def _limits() -> dict[str, int]:
    return {"limit": settings.VIVIER_SIGNIN_FAILURES, "window": settings.VIVIER_SIGNIN_WINDOW}


def signin_blocked(request: HttpRequest, *, account: str = "") -> ratelimit.RateState | None:
    """The exhausted state if this IP address or account may not try again yet, else None."""
    checks = [("signin-ip", ratelimit.client_ip(request))]
    if account:
        checks.append(("signin-account", account.strip().lower()))
    for scope, ident in checks:
        state = ratelimit.peek(scope, ident, **_limits())
        if state.count >= state.limit:
            return state
    return None


def signin_failed(request: HttpRequest, *, account: str = "") -> None:
    """Count one failed sign-in for this IP address and, when known, this account."""
    ratelimit.hit("signin-ip", ratelimit.client_ip(request), **_limits())
    if account:
        ratelimit.hit("signin-account", account.strip().lower(), **_limits())
