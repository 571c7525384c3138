"""Employee voice: anonymous pulse surveys and eNPS, the idea box, the company's commitments."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    """Surveys answered anonymously, ideas with votes, commitments with progress."""

    name = "vivier.voice"
    verbose_name = _("Employee voice")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vivier.social.notifications import register_notification_type

        register_notification_type("voice_survey_open", _("A survey is open to me"))
        register_notification_type("voice_survey_reminder", _("Survey reminders"))
        register_notification_type("voice_idea_status", _("My idea changed status"))
        register_notification_type("voice_idea_comment", _("Comments on my ideas"))
        register_notification_type("voice_commitment_update", _("Commitment progress"))
