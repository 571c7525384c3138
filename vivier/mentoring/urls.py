"""Mentoring pages."""

from django.urls import path

from vivier.mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("mentoring/", views.home, name="home"),
    path("mentoring/offer/", views.offer_edit, name="offer"),
    path("mentoring/request/", views.request_edit, name="request"),
    path("mentoring/suggestions/", views.suggestions, name="suggestions"),
    path("mentoring/mentors/", views.mentors, name="mentors"),
    path("mentoring/mentors/<int:mentor_id>/ask/", views.ask, name="ask"),
    path("mentoring/pairs/<int:mentorship_id>/", views.mentorship_detail, name="mentorship"),
    path(
        "mentoring/pairs/<int:mentorship_id>/<slug:action>/",
        views.mentorship_action,
        name="mentorship_action",
    ),
    path("mentoring/programmes/", views.programme_list, name="programmes"),
    path("mentoring/programmes/new/", views.programme_new, name="programme_new"),
    path("mentoring/programmes/<int:programme_id>/", views.programme_detail, name="programme"),
    path(
        "mentoring/programmes/<int:programme_id>/<slug:action>/",
        views.programme_action,
        name="programme_action",
    ),
]
