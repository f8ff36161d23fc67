"""Load the Perpres commodities, a market at every PLBN post and the RM600 border-trade allowance."""

import json

from django.core.management.base import BaseCommand

from plut.border.services import border_seed


class Command(BaseCommand):
    help = "Seed the border economy reference data (idempotent; run after load_reference)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")

    def handle(self, *args, **options):
        counts = border_seed()
        if options["json"]:
            self.stdout.write(json.dumps({"ok": True, **counts, "errors": [], "warnings": []}))
        else:
            self.stdout.write(
                f"{counts['markets']} market(s) created ({counts['market_total']} in all), "
                f"{counts['allowances']} allowance(s) created."
            )
