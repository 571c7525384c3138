"""The opportunities marketplace: projects, gigs, internal jobs, job shadowing; matching."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    """Opportunities, mobility preferences, two-way recommendations and applications."""

    name = "vivier.opportunities"
    verbose_name = _("Opportunities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vivier.social.notifications import register_notification_type

        register_notification_type("opportunity_application", _("Applications to my offers"))
        register_notification_type("opportunity_decision", _("Decisions on my applications"))
        register_notification_type("opportunity_manager", _("My team's staffing"))
