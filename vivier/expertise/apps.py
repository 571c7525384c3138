"""The expertise finder: questions and answers, who knows what, routing, labels."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertiseConfig(AppConfig):
    """Questions and answers, the expertise model, routing and inferred skills."""

    name = "vivier.expertise"
    verbose_name = _("Expertise")
    default_auto_field = "django.db.models.BigAutoField"
