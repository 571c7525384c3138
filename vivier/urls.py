"""Top-level URLs."""

from django.contrib import admin
from django.urls import include, path

from vivier.api import api
from vivier.core import views as core_views
from vivier.social import views as social_views

urlpatterns = [
    path("", social_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("vivier.accounts.urls")),
    path("api/v1/", api.urls),
    path("scim/v2/", include("vivier.integration.scim.urls")),
    path("admin/", admin.site.urls),
    path("", include("vivier.people.urls")),
    path("", include("vivier.social.urls")),
    path("", include("vivier.search.urls")),
    path("", include("vivier.expertise.urls")),
    path("", include("vivier.expertise.skill_urls")),
    path("", include("vivier.voice.urls")),
    path("", include("vivier.mentoring.urls")),
    path("", include("vivier.opportunities.urls")),
    path("", include("vivier.programme.urls")),
    path("", include("vivier.journey.urls")),
    path("", include("vivier.integration.urls")),
    path("", include("vivier.audit.urls")),
    path("", include("vivier.privacy.urls")),
    path("", include("vivier.vision.urls")),
]

handler400 = "vivier.core.views.error_400"
handler403 = "vivier.core.views.error_403"
handler404 = "vivier.core.views.error_404"
handler500 = "vivier.core.views.error_500"
