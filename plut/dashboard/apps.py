from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "plut.dashboard"
    label = "dashboard"
