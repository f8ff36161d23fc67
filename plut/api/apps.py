from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "plut.api"
    label = "api"
