from django.urls import path, re_path

from vivier.integration.scim import views

urlpatterns = [
    path("ServiceProviderConfig", views.service_provider_config),
    path("ResourceTypes", views.resource_types),
    path("ResourceTypes/<str:type_id>", views.resource_types),
    path("Schemas", views.schemas),
    path("Schemas/<str:schema_id>", views.schemas),
    path("Users", views.users),
    path("Users/.search", views.user_search),
    path("Users/<str:ident>", views.user_item),
    path("Groups", views.groups),
    path("Groups/.search", views.group_search),
    path("Groups/<str:ident>", views.group_item),
    path(".search", views.root_search),
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
