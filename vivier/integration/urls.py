from django.urls import path

from vivier.integration import views

app_name = "integration"

urlpatterns = [
    path("sso/start/", views.oidc_start, name="oidc_start"),
    path("sso/callback/", views.oidc_callback, name="oidc_callback"),
    path("integration/", views.integration_home, name="home"),
    path("integration/scim-tokens/", views.scim_tokens, name="scim_tokens"),
    path(
        "integration/scim-tokens/<int:token_id>/revoke/",
        views.scim_token_revoke,
        name="scim_token_revoke",
    ),
    path("integration/hr-import/", views.hr_import_page, name="hr_import"),
]
