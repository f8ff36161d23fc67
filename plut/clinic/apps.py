from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "plut.clinic"
    label = "clinic"
