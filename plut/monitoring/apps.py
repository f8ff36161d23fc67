from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "plut.monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        # Figures and permits refresh the pre-aggregated tables incrementally (aggregates.py).
        from plut.monitoring import signals  # noqa: F401
