"""Inferred skills and the hidden experts report."""

from django.urls import path  # noqa: F401

app_name = "expertise_skills"

urlpatterns: list = []
