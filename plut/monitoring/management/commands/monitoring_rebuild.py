"""plut monitoring-rebuild: rebuild the fact table and the aggregate cells from the registry."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Rebuild the monitoring fact table and aggregate cells (after a bulk load; idempotent)."

    def handle(self, *args, **opts):
        from plut.monitoring.aggregates import aggregates_rebuild

        t0 = time.perf_counter()
        counts = aggregates_rebuild()
        self.stdout.write(
            f"{counts['facts']} facts, {counts['cells']} cells in {time.perf_counter() - t0:.1f} s"
        )
