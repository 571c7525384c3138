"""SCIM 2.0 routes (RFC 7644), mounted at /scim/v2/; named so the authorization matrix covers them."""

from django.urls import path

from vivier.integration.scim import views

app_name = "scim"

urlpatterns = [
    path("ServiceProviderConfig", views.service_provider_config, name="service_provider_config"),
    path("ResourceTypes", views.resource_types, name="resource_types"),
    path("ResourceTypes/<str:type_id>", views.resource_types, name="resource_type"),
    path("Schemas", views.schemas, name="schemas"),
    path("Schemas/<str:schema_id>", views.schemas, name="schema"),
    path("Users", views.users, name="users"),
    path("Users/.search", views.user_search, name="user_search"),
    path("Users/<str:ident>", views.user_item, name="user"),
    path("Groups", views.groups, name="groups"),
    path("Groups/.search", views.group_search, name="group_search"),
    path("Groups/<str:ident>", views.group_item, name="group"),
    path(".search", views.root_search, name="search"),
    # Anything else answers a SCIM 404, not an HTML page.
    path("", views.not_found, name="root"),
    path("<path:rest>", views.not_found, name="not_found"),
]
