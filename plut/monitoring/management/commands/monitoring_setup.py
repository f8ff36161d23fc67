"""plut monitoring-setup: install the standard data sets (first published version); idempotent."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Install the office's standard monitoring data sets (idempotent)."

    def handle(self, *args, **opts):
        from plut.monitoring.standard import datasets_install_standard

        for ds in datasets_install_standard(actor=None):
            self.stdout.write(f"{ds.code}: v{ds.current_version().number}")
