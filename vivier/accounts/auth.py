"""API authentication: personal bearer tokens, or the browser session (with CSRF)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from vivier.accounts.services import api_token_authenticate
from vivier.core.errors import PermissionDenied

CSRF_FAILED = _("Send the CSRF token with changes made from a browser session.")


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer viv_…` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(secret=token)
        if user is not None:
            request.user = user
        return user


def _session_user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated and user.is_active else None


class ActiveSessionAuth(SessionAuth):
    """The signed-in browser session of an active account."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a signed-in session there is nothing to protect: that is a 401, not a CSRF 403.
        if _session_user(request) is None:
            return None
        try:
            return super()._get_key(request)
        except HttpError:
            raise PermissionDenied("csrf_failed", CSRF_FAILED) from None

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return _session_user(request)


api_auth = [BearerTokenAuth(), ActiveSessionAuth()]
