"""Privacy: export of one's own data, erasure by an admin, legal hold, retention."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """GDPR rights and retention."""

    name = "vivier.privacy"
    verbose_name = _("Privacy")
    default_auto_field = "django.db.models.BigAutoField"
