"""Privacy pages."""

from django.urls import path

from vivier.privacy import views

app_name = "privacy"

urlpatterns = [
    path("me/data/", views.my_data, name="me"),
    path("me/data/export/", views.my_data_export, name="export"),
    path("it/privacy/", views.admin_home, name="admin"),
    path("it/privacy/people/<int:person_id>/", views.person, name="person"),
    path("it/privacy/people/<int:person_id>/hold/", views.legal_hold, name="hold"),
    path("it/privacy/people/<int:person_id>/hold/lift/", views.legal_hold_lift, name="hold_lift"),
    path("it/privacy/people/<int:person_id>/erase/", views.erase, name="erase"),
]
