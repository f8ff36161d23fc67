"""Load the Perpres commodities, a market at every PLBN post and the RM600 border-trade allowance."""

import json

from django.core.management.base import BaseCommand, CommandError

from plut.border.services import border_seed


class Command(BaseCommand):
    help = "Seed the border economy reference data (idempotent; run after load_reference)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Also write SYNTHETIC surveys and rates for a demonstration (never on real data).",
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        counts = border_seed()
        if options["demo"]:
            from plut.accounts.models import Role, User
            from plut.border.demo import border_demo

            actor = User.objects.filter(role=Role.OFFICE_ADMIN, is_active=True).order_by("id").first()
            if actor is None:
                raise CommandError(
                    "--demo needs an active office administrator (plut createuser … --role office_admin)."
                )
            demo = border_demo(actor=actor, seed=options["seed"])
            counts.update({"demo_surveys": demo["surveys"], "demo_rates": demo["rates"]})
        if options["json"]:
            self.stdout.write(json.dumps({"ok": True, **counts, "errors": [], "warnings": []}))
        else:
            self.stdout.write(
                f"{counts['markets']} market(s) created ({counts['market_total']} in all), "
                f"{counts['allowances']} allowance(s) created."
            )
            if options["demo"]:
                self.stdout.write(
                    f"SYNTHETIC demo data: {counts['demo_surveys']} survey(s), {counts['demo_rates']} rate(s)."
                )
