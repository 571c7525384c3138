from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """Scale tooling: the data generator, the read-replica router and background tasks."""

    name = "vivier.scale"
    label = "scale"
    verbose_name = "Scale"
