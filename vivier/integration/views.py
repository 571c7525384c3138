"""Integration pages: single sign-on start and callback, SCIM tokens, the HR import."""

import base64
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, user_login_failed
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vivier.accounts.roles import is_hr_admin, is_it_admin
from vivier.core.errors import ApplicationError
from vivier.core.forms import form_add_service_error
from vivier.integration import hr_import, oidc
from vivier.integration.forms import HrImportForm, ScimTokenForm
from vivier.integration.models import ScimToken
from vivier.integration.scim import tokens
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


def _hub_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "can_import": is_hr_admin(request.user),
        "can_tokens": is_it_admin(request.user),
        "sso_provider": oidc.oidc_provider_name(),
        "sso_issuer": settings.OIDC_ISSUER,
        "scim_url": request.build_absolute_uri("/scim/v2"),
    }


def integration_home(request: HttpRequest) -> HttpResponse:
    """What is connected: single sign-on, SCIM, HR import (for HR and IT administrators)."""
    context = _hub_context(request)
    if not (context["can_import"] or context["can_tokens"]):
        raise DjangoPermissionDenied
    return render(request, "integration/home.html", context)


def scim_tokens(request: HttpRequest) -> HttpResponse:
    """IT administrators create and revoke the identity provider's SCIM tokens."""
    if not is_it_admin(request.user):
        raise DjangoPermissionDenied
    new_secret = None
    status = 200
    form = ScimTokenForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, new_secret = tokens.scim_token_create(
                    actor=request.user, name=form.cleaned_data["name"]
                )
                form = ScimTokenForm()
            except ApplicationError as exc:
                form_add_service_error(form, exc)
                status = 422
        else:
            status = 422
    return render(
        request,
        "integration/scim_tokens.html",
        {
            "form": form,
            "new_secret": new_secret,
            "tokens": ScimToken.objects.select_related("created_by").order_by(
                "revoked_at", "-created_at"
            ),
            **_hub_context(request),
        },
        status=status,
    )


@require_POST
def scim_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke a SCIM token."""
    try:
        tokens.scim_token_revoke(actor=request.user, token_id=token_id)
    except ApplicationError as exc:
        if exc.status == 403:
            raise DjangoPermissionDenied from exc
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Token revoked."))
    return redirect("integration:scim_tokens")


SESSION_IMPORT = "hr_import_file"


def hr_import_page(request: HttpRequest) -> HttpResponse:
    """Upload an HR file, see the dry run line by line, then apply it all at once."""
    if not is_hr_admin(request.user):
        raise DjangoPermissionDenied
    form = HrImportForm(request.POST or None, request.FILES or None)
    plan = None
    status = 200
    if request.method == "POST" and "apply" in request.POST:
        stored = request.session.get(SESSION_IMPORT)
        if not stored:
            messages.error(request, _("Upload the file again: the preview has expired."))
            return redirect("integration:hr_import")
        data = base64.b64decode(stored)
        try:
            plan = hr_import.hr_import_apply(actor=request.user, data=data)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
            plan = hr_import.hr_import_plan(data)
            status = 422
        else:
            request.session.pop(SESSION_IMPORT, None)
            messages.success(
                request,
                _(
                    "Import done: %(created)s created, %(updated)s updated, %(deactivated)s deactivated."
                )
                % {
                    "created": plan.count("create"),
                    "updated": plan.count("update"),
                    "deactivated": plan.deactivations,
                },
            )
            return redirect("integration:hr_import")
    elif request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            plan = hr_import.hr_import_plan(data)
            if plan.errors:
                request.session.pop(SESSION_IMPORT, None)
                status = 422
            else:
                request.session[SESSION_IMPORT] = base64.b64encode(data).decode()
        else:
            status = 422
    return render(
        request,
        "integration/hr_import.html",
        {"form": form, "plan": plan, "columns": hr_import.COLUMNS, **_hub_context(request)},
        status=status,
    )
