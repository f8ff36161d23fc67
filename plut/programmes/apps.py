from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "plut.programmes"
    label = "programmes"
