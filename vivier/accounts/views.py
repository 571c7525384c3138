"""Account pages: sign-in, settings (language), personal API tokens."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vivier.accounts import services
from vivier.accounts.forms import ApiTokenForm, EmailAuthenticationForm, LanguageForm
from vivier.accounts.models import ApiToken
from vivier.core.errors import ApplicationError
from vivier.core.forms import form_add_service_error


class SignInView(auth_views.LoginView):
    """Sign in with e-mail and password; repeated failures are throttled (429)."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from vivier.integration.oidc import oidc_provider_name

        return super().get_context_data(**kwargs) | {"sso_provider_name": oidc_provider_name()}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from vivier.integration.signin_limits import signin_blocked, signin_failed

        account = request.POST.get("username", "")[:254]
        blocked = signin_blocked(request, account=account)
        if blocked is not None:
            # An unbound form: validating it would try the password anyway.
            form = self.get_form_class()(request, initial={"username": account})
            response = self.render_to_response(
                self.get_context_data(form=form, rate_limited=blocked.retry_after // 60 + 1),
                status=429,
            )
            return blocked.apply_headers(response, limited=True)
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:  # the form came back with errors
            signin_failed(request, account=account)
        return response


def settings_page(request: HttpRequest) -> HttpResponse:
    """The person's account settings: language, password, tokens."""
    form = LanguageForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        services.user_set_language(user=request.user, language=form.cleaned_data["language"])
        messages.success(request, _("Language saved."))
        return redirect("accounts:settings")
    return render(
        request, "accounts/settings.html", {"form": form}, status=422 if form.is_bound else 200
    )


@require_POST
@login_not_required
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language from the header: stored on the account, or in a cookie when signed out."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    try:
        if request.user.is_authenticated:
            services.user_set_language(user=request.user, language=language)
        elif language not in {"fr", "en"}:
            raise ApplicationError("language_unknown", services.LANGUAGE_UNKNOWN)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


def tokens_page(request: HttpRequest) -> HttpResponse:
    """List, create and revoke one's personal API tokens."""
    form = ApiTokenForm(request.POST or None)
    new_secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, new_secret = services.api_token_create(
                    user=request.user, name=form.cleaned_data["name"]
                )
            except ApplicationError as exc:
                form_add_service_error(form, exc)
                status = 422
            else:
                form = ApiTokenForm()
        else:
            status = 422
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": tokens, "new_secret": new_secret},
        status=status,
    )


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of one's tokens."""
    try:
        services.api_token_revoke(user=request.user, token_id=token_id)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
