from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vivier.accounts"
    label = "accounts"
