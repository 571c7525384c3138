"""Sign-in required everywhere, except the API (it has its own auth) and static files."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase


class VivierLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Redirect anonymous visitors to sign in; the API answers 401 JSON on its own."""

    open_prefixes = ("/api/", "/static/", "/healthz")

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path.startswith(self.open_prefixes):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
