"""Mentoring and reverse mentoring: intents, matching, cohort programmes, relationships."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    """Mentor offers, mentee requests, optimal cohorts, sessions and feedback."""

    name = "vivier.mentoring"
    verbose_name = _("Mentoring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vivier.social.notifications import register_notification_type

        register_notification_type("mentoring_requested", _("Mentoring requests"))
        register_notification_type("mentoring_answered", _("Answers to my mentoring requests"))
        register_notification_type("mentoring_paired", _("Mentoring programme pairings"))
        register_notification_type("mentoring_ended", _("Mentoring relationships ended"))
