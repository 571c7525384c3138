"""Per-user, per-token or per-address request limits on the API and SCIM endpoints."""

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from vivier.integration import ratelimit

LIMITED_PREFIXES = ("/api/", "/scim/")
# The API's description: the same for everyone, read by tools before any call.
UNLIMITED_PATHS = ("/api/v1/openapi.json", "/api/v1/docs")


def _identity(request: HttpRequest) -> str:
    """Who the request counts against: its bearer token, else its signed-in user, else its IP."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() == "bearer " and header[7:].strip():
        return "token:" + header[7:].strip()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "ip:" + ratelimit.client_ip(request)


class ApiRateLimitMiddleware:
    """Answer 429 with Retry-After and X-RateLimit-* once a client spends its window's budget."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(LIMITED_PREFIXES) or request.path in UNLIMITED_PATHS:
            return self.get_response(request)
        state = ratelimit.hit(
            "api",
            _identity(request),
            limit=settings.VIVIER_API_RATE,
            window=settings.VIVIER_API_RATE_WINDOW,
        )
        if state.exceeded:
            message = f"Too many requests: retry in {state.retry_after} seconds."
            if request.path.startswith("/scim/"):
                body = {
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                    "status": "429",
                    "detail": message,
                }
                content_type = "application/scim+json"
            else:
                body = {"code": "rate_limited", "message": message, "field": None, "details": None}
                content_type = "application/json"
            response = HttpResponse(json.dumps(body), status=429, content_type=content_type)
            return state.apply_headers(response, limited=True)
        return state.apply_headers(self.get_response(request))
