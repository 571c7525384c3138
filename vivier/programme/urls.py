"""Expert programme pages."""

from django.urls import path

from vivier.programme import views

app_name = "programme"

urlpatterns = [
    path("programme/", views.home, name="home"),
    path("programme/domains/", views.domain_list, name="domains"),
    path("programme/domains/new/", views.domain_edit, name="domain_new"),
    path("programme/domains/<int:domain_id>/edit/", views.domain_edit, name="domain_edit"),
    path("programme/nominate/", views.nominate, name="nominate"),
    path("programme/nominations/<int:nomination_id>/", views.nomination_detail, name="nomination"),
    path(
        "programme/nominations/<int:nomination_id>/opinion/",
        views.nomination_opinion,
        name="opinion",
    ),
    path(
        "programme/nominations/<int:nomination_id>/review/", views.nomination_review, name="review"
    ),
    path(
        "programme/nominations/<int:nomination_id>/decide/", views.nomination_decide, name="decide"
    ),
    path(
        "programme/nominations/<int:nomination_id>/withdraw/",
        views.nomination_withdraw,
        name="withdraw",
    ),
    path(
        "programme/nominations/<int:nomination_id>/reopen/", views.nomination_reopen, name="reopen"
    ),
    path(
        "programme/nominations/<int:nomination_id>/evidence/",
        views.evidence_add,
        name="evidence_add",
    ),
    path(
        "programme/nominations/<int:nomination_id>/evidence/<int:evidence_id>/delete/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path("programme/experts/", views.directory, name="directory"),
    path("programme/time/", views.time_budget, name="time"),
    path("programme/visibility/<str:kind>/", views.visibility_add, name="visibility_add"),
    path("programme/paths/", views.paths, name="paths"),
    path("programme/paths/<int:path_id>/enrol/", views.path_enrol, name="path_enrol"),
    path(
        "programme/enrolments/<int:enrolment_id>/steps/<int:step_id>/done/",
        views.step_done,
        name="step_done",
    ),
    path(
        "programme/progress/<int:progress_id>/validate/", views.step_validate, name="step_validate"
    ),
    path("programme/events/", views.event_list, name="events"),
    path("programme/events/new/", views.event_new, name="event_new"),
    path("programme/events.ics", views.events_ics, name="events_ics"),
    path("programme/events/<int:event_id>/", views.event_detail, name="event"),
    path(
        "programme/events/<int:event_id>/register/", views.event_registration, name="event_register"
    ),
    path("programme/events/<int:event_id>.ics", views.event_ics, name="event_ics"),
    path("programme/hr/", views.hr_dashboard, name="hr"),
    path("programme/hr/budget/<int:user_id>/", views.budget_set, name="budget_set"),
    path("programme/awards/<int:award_id>/revoke/", views.award_revoke, name="award_revoke"),
]
