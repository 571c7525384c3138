"""The expert programme: label domains, nominations, committee reviews, awards and renewals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """Domains, nominations, reviews, awards, time budget, soft-skill paths and events."""

    name = "vivier.programme"
    verbose_name = _("Expert programme")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vivier.social.notifications import register_notification_type

        register_notification_type("programme_nomination", _("Expert programme: nominations"))
        register_notification_type("programme_decision", _("Expert programme: decisions"))
        register_notification_type("programme_renewal", _("Expert programme: renewals"))
        register_notification_type("programme_path", _("Expert programme: path steps"))
