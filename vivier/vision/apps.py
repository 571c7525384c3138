"""Vision map: vision, strategic axes and objectives, and the everyday work linked to them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisionConfig(AppConfig):
    """The vision map, links from posts, projects, ideas and communities, my part, coverage."""

    name = "vivier.vision"
    verbose_name = _("Vision map")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vivier.social.notifications import register_notification_type

        register_notification_type("vision_link", _("Work linked to an objective I own"))
