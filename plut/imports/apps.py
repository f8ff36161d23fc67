from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "plut.imports"
    label = "imports"
