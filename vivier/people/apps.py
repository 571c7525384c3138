from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "vivier.people"
    label = "people"
