"""Opportunities pages."""

from django.urls import path

from vivier.opportunities import views

app_name = "opportunities"

urlpatterns = [
    path("opportunities/", views.opportunity_list, name="list"),
    path("opportunities/for-me/", views.for_me, name="for_me"),
    path("opportunities/new/", views.opportunity_new, name="new"),
    path("opportunities/mine/", views.mine, name="mine"),
    path("opportunities/preferences/", views.preferences, name="preferences"),
    path("opportunities/dashboard/", views.dashboard, name="dashboard"),
    path("opportunities/<int:opportunity_id>/", views.opportunity_detail, name="detail"),
    path("opportunities/<int:opportunity_id>/edit/", views.opportunity_edit, name="edit"),
    path("opportunities/<int:opportunity_id>/apply/", views.opportunity_apply, name="apply"),
    path("opportunities/<int:opportunity_id>/status/", views.opportunity_status, name="status"),
    path("opportunities/<int:opportunity_id>/people/", views.opportunity_people, name="people"),
    path(
        "opportunities/applications/<int:application_id>/decide/",
        views.application_decide,
        name="decide",
    ),
]
