"""Vivier's URLs plus a real OpenID provider at /idp/openid/ and its own sign-in page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from oidc_provider import urls as provider_urls

from vivier.accounts.views import SignInView
from vivier.urls import urlpatterns as vivier_urlpatterns

# The provider authenticates its own callers (client secret, tokens) and sends people to its
# login page itself: Vivier's sign-in-everywhere middleware must let it answer.
for pattern in provider_urls.urlpatterns:
    pattern.callback.login_required = False

urlpatterns = [
    path("idp/login/", login_not_required(SignInView.as_view()), name="idp_login"),
    path("idp/openid/", include("oidc_provider.urls", namespace="oidc_provider")),
    *vivier_urlpatterns,
]
