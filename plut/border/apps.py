from django.apps import AppConfig


class BorderConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plut.border"
    label = "border"
    verbose_name = "Border economy"
