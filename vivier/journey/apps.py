"""Adoption journey: each person's stage, the funnel, transitions, playbooks and ambassadors."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JourneyConfig(AppConfig):
    """Stages computed daily from activity events, accompaniment playbooks with a control group."""

    name = "vivier.journey"
    verbose_name = _("Adoption journey")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from vivier.journey.signals import signin_record
        from vivier.social.notifications import register_notification_type

        # Sign-ins are not a service of ours: Django's signal is the one place every sign-in
        # (password, OIDC, admin) passes through.
        user_logged_in.connect(signin_record, dispatch_uid="journey_signin_record")
        register_notification_type("journey_tip", _("Tips for my journey"))
        register_notification_type("journey_task", _("People to accompany"))
        register_notification_type("journey_kudos", _("Kudos I receive"))
        register_notification_type("journey_ambassador", _("Ambassador invitations"))
        register_notification_type("journey_invitation", _("Invitations from colleagues"))
