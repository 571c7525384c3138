"""Auditing views that show personal data to HR and IT admins."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpResponseBase

from vivier.audit.services import audit_record

# Path arguments that name the person whose data the view shows.
PERSON_KWARGS = ("person_id", "user_id")


def audit_access(action: str, *, target_type: str = "", others_only: bool = False) -> Callable:
    """Record `action` each time the decorated view or API operation answers successfully;
    with `others_only`, not when people look at their own data."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            result = view(request, *args, **kwargs)
            status = result.status_code if isinstance(result, HttpResponseBase) else 200
            if isinstance(result, tuple) and result and isinstance(result[0], int):
                status = result[0]
            if 200 <= status < 300:
                person = next((kwargs[k] for k in PERSON_KWARGS if k in kwargs), None)
                if others_only and person == request.user.pk:
                    return result
                target_id = person if person is not None else next(iter(kwargs.values()), "")
                audit_record(
                    action=action,
                    actor=request.user,
                    request=request,
                    target_type=target_type,
                    target_id=target_id,
                    target_user=person if isinstance(person, int) else None,
                    format=str(request.GET.get("format", "html"))[:10],
                )
            return result

        return wrapper

    return decorate
