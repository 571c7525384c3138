"""Adoption journey pages."""

from django.urls import path

from vivier.journey import views

app_name = "journey"

urlpatterns = [
    path("journey/", views.me, name="me"),
    path("journey/people/<int:person_id>/", views.person, name="person"),
    path("journey/funnel/", views.funnel, name="funnel"),
    path("journey/transitions/", views.transitions, name="transitions"),
    path("journey/playbooks/", views.playbooks, name="playbooks"),
    path("journey/tasks/", views.tasks, name="tasks"),
    path("journey/tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path("journey/tips/<int:tip_id>/dismiss/", views.tip_dismiss, name="tip_dismiss"),
    path("journey/preferences/", views.preferences, name="preferences"),
    path("journey/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("journey/ambassador/", views.ambassador_answer, name="ambassador"),
    path("journey/invite/", views.invite, name="invite"),
    path("journey/kudos/", views.kudos, name="kudos"),
]
