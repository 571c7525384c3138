from django.urls import path

from vivier.integration import views

app_name = "integration"

urlpatterns = [
    path("sso/start/", views.oidc_start, name="oidc_start"),
    path("sso/callback/", views.oidc_callback, name="oidc_callback"),
]
