from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "plut.regions"
    label = "regions"
