from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "plut.accounts"
    label = "accounts"
