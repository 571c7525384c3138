from django.urls import path

from vivier.people import views

app_name = "people"

urlpatterns = [
    path("people/", views.directory, name="directory"),
    path("people/me/", views.profile_me, name="me"),
    path("people/<int:person_id>/", views.profile_detail, name="profile"),
    path("people/<int:person_id>/edit/", views.profile_edit, name="profile_edit"),
    path("people/<int:person_id>/photo/", views.profile_photo, name="photo"),
    path("people/<int:person_id>/photo/upload/", views.profile_photo_upload, name="photo_upload"),
    path("people/<int:person_id>/skills/<int:skill_id>/endorse/", views.endorse, name="endorse"),
    path("me/skills/add/", views.my_skill_add, name="my_skill_add"),
    path("me/skills/<int:skill_id>/level/", views.my_skill_level, name="my_skill_level"),
    path("me/skills/<int:skill_id>/remove/", views.my_skill_remove, name="my_skill_remove"),
    path("skills/", views.skill_list, name="skills"),
    path("skills/suggest/", views.skill_suggest, name="skill_suggest"),
    path("skills/<slug:slug>/", views.skill_detail, name="skill"),
    path("org/", views.org_chart, name="org_chart"),
    path("org/<int:unit_id>/", views.org_unit_detail, name="org_unit"),
    path("jobs/", views.job_map, name="job_map"),
]
