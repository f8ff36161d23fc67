from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "plut.core"
    label = "core"
