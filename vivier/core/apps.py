from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vivier.core"
    label = "core"
