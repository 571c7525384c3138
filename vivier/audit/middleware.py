"""Puts the request's user, IP and id where audit rows can read them; audits admin views of
personal data."""

import re
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from vivier.audit import context

# Only ids made of these characters are taken from the proxy's X-Request-ID header.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

# Admin pages that show personal data: viewing their list or one object is audited.
PERSONAL_ADMIN_MODELS = {
    "accounts_user",
    "accounts_apitoken",
    "accounts_usersession",
    "people_profile",
    "people_profileskill",
    "people_endorsement",
    "core_activityevent",
    "social_notification",
    "privacy_legalhold",
}
ADMIN_VIEW = re.compile(r"^(?P<model>[a-z]+_[a-z]+)_(?P<view>changelist|change|history)$")


class AuditContextMiddleware:
    """Sets the audit context for the request and records admin views of personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("X-Request-ID", "")
        request_id = header if REQUEST_ID.match(header) else uuid.uuid4().hex
        request.request_id = request_id
        token = context.set_current(
            context.RequestContext(
                request=request,
                ip=request.META.get("REMOTE_ADDR") or None,
                request_id=request_id,
            )
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict[str, Any]
    ) -> None:
        match = request.resolver_match
        if request.method != "GET" or match is None or "admin" not in match.namespaces:
            return None
        found = ADMIN_VIEW.match(match.url_name or "")
        if not found or found["model"] not in PERSONAL_ADMIN_MODELS:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return None
        from vivier.audit.services import audit_record

        app, model = found["model"].split("_", 1)
        object_id = kwargs.get("object_id", "")
        target_user = None
        if found["model"] == "accounts_user" and str(object_id).isdigit():
            target_user = int(object_id)
        audit_record(
            action="admin.view",
            actor=user,
            target_type=f"{app}.{model}",
            target_id=object_id,
            target_user=target_user,
            view=found["view"],
        )
        return None
