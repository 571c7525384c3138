from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "vivier.social"
    label = "social"
