from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "plut.enterprises"
    label = "enterprises"
