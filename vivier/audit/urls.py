"""Audit log pages."""

from django.urls import path

from vivier.audit import views

app_name = "audit"

urlpatterns = [
    path("it/audit/", views.audit_log, name="log"),
    path("it/audit/export/", views.audit_export, name="export"),
]
