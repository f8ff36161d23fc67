"""plut generate-province: a synthetic province at scale on PostgreSQL (COPY), then the aggregates."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Generate a synthetic province (is_synthetic rows) with PostgreSQL COPY and rebuild the aggregates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=1_000_000)
        parser.add_argument("--figures-per-enterprise", type=int, default=12, help="monthly snapshots each")
        parser.add_argument("--year", type=int, default=2025)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-rebuild", action="store_true", help="skip the aggregate rebuild")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        from plut.monitoring.generate import generate_province

        try:
            result = generate_province(
                enterprises=opts["enterprises"],
                figures_per_enterprise=opts["figures_per_enterprise"],
                year=opts["year"],
                seed=opts["seed"],
                rebuild=not opts["no_rebuild"],
                log=(lambda s: None) if opts["json"] else self.stdout.write,
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(result))
