from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "plut.reference"
    label = "reference"
