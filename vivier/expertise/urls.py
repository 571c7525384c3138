"""Q&A and "who knows" pages."""

from django.urls import path  # noqa: F401

app_name = "expertise"

urlpatterns: list = []
