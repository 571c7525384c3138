"""Integration pages: single sign-on start and callback, SCIM tokens, the HR import."""

from django.contrib.auth import login, user_login_failed
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from vivier.integration import oidc
from vivier.integration.signin_limits import signin_blocked, signin_failed


def _safe_next(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return "/"


def _error_page(request: HttpRequest, message: str, *, status: int, code: str = "") -> HttpResponse:
    return render(
        request,
        "integration/sso_error.html",
        {"message": message, "code": code, "provider": oidc.oidc_provider_name()},
        status=status,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def oidc_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the identity provider."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    try:
        return redirect(oidc.authorization_start(request, next_url=next_url))
    except oidc.SignInError as exc:
        status = 404 if exc.code == "not_configured" else 502
        return _error_page(request, str(exc.message), status=status)


@login_not_required
@require_http_methods(["GET"])
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """Finish single sign-on: verify the provider's answer, then sign the person in."""
    blocked = signin_blocked(request)
    if blocked is not None:
        request.session.pop(oidc.SESSION_KEY, None)
        response = _error_page(request, str(oidc.MESSAGES_RATE_LIMITED), status=429)
        return blocked.apply_headers(response, limited=True)
    try:
        user, next_url = oidc.authorization_complete(request)
    except oidc.SignInError as exc:
        signin_failed(request, account=exc.email)
        user_login_failed.send(
            sender=__name__,
            credentials={"username": exc.email, "method": "oidc", "reason": exc.code},
            request=request,
        )
        status = 502 if exc.code == "provider_unreachable" else 400
        if exc.code == "account_inactive":
            status = 403
        return _error_page(request, str(exc.message), status=status, code=exc.code)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(_safe_next(request, next_url))
