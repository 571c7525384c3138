"""Integration: single sign-on (OIDC), SCIM provisioning, HR import and rate limits."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    """Connects Vivier to the company's identity provider and HR system."""

    name = "vivier.integration"
    verbose_name = _("Integration")
    default_auto_field = "django.db.models.BigAutoField"
