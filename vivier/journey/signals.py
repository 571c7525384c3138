"""Record sign-ins as activity events, which the journey needs (information, disappointment)."""

from typing import Any

from vivier.core.events import event_record


def signin_record(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Store a `signin` activity event for the person who just signed in."""
    if user is not None and getattr(user, "pk", None):
        event_record(actor=user, verb="signin", object_type="accounts.user", target_user=None)
