"""``plut load-programmes``: create the default programmes (idempotent)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from plut.programmes.defaults import load_default_programmes


class Command(BaseCommand):
    help = "Create the default programmes (border market building, promotion financing) if missing."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, **options):
        created = load_default_programmes(year=options["year"])
        self.stdout.write(json.dumps({"ok": True, "created": created, "errors": [], "warnings": []}))
