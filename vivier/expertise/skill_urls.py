"""Inferred skills and the hidden experts report."""

from django.urls import path

from vivier.expertise import views_skills

app_name = "expertise_skills"

urlpatterns = [
    path(
        "me/skill-suggestions/<int:skill_id>/confirm/",
        views_skills.suggestion_confirm,
        name="suggestion_confirm",
    ),
    path(
        "me/skill-suggestions/<int:skill_id>/hide/",
        views_skills.suggestion_hide,
        name="suggestion_hide",
    ),
    path("rh/experts-caches/", views_skills.hidden_experts, name="hidden_experts"),
]
