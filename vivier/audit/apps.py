"""Audit log: an append-only record of sign-ins, access to personal data and role changes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Connects the sign-in, role and token listeners that write the audit log."""

    name = "vivier.audit"
    verbose_name = _("Audit log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vivier.audit import receivers

        receivers.connect()
