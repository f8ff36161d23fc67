"""Set up a demonstration: reference data, one user per role, a synthetic registry."""

from __future__ import annotations

import json
import secrets

from django.core.management import call_command
from django.core.management.base import BaseCommand

from plut.accounts.models import Role, User
from plut.accounts.services import user_create
from plut.enterprises.demo import generate_synthetic_registry
from plut.enterprises.models import Enterprise, Owner
from plut.regions.services import load_all_reference

# One demo user per role: (username, role, region codes).
DEMO_USERS = [
    ("admin", Role.OFFICE_ADMIN, []),
    ("analis", Role.OFFICE_ANALYST, []),
    ("konsultan", Role.CONSULTANT, ["61.01", "61.03", "61.07"]),
    ("petugas.sambas", Role.REGENCY_OFFICER, ["61.01"]),
    ("kementerian", Role.MINISTRY_REVIEWER, []),
    ("pelaku", Role.ENTREPRENEUR, []),
]


class Command(BaseCommand):
    help = "Migrate, load the real reference data, create one demo user per role and a synthetic registry."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--scale", type=int, default=100, help="Divide the real province total by this.")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        reference = load_all_reference()
        if Enterprise.objects.filter(is_synthetic=True).exists():
            registry = {
                "skipped": "synthetic registry already present",
                "enterprises": Enterprise.objects.filter(is_synthetic=True).count(),
            }
        else:
            registry = generate_synthetic_registry(seed=options["seed"], scale=options["scale"])
        users = []
        for username, role, regions in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                users.append(
                    {
                        "username": username,
                        "role": role.value,
                        "password": None,
                        "note": "exists; password unchanged",
                    }
                )
                continue
            password = secrets.token_urlsafe(9)
            user = user_create(
                actor=None,
                username=username,
                role=role,
                region_codes=regions,
                password=password,
                first_name=username,
            )
            if role == Role.ENTREPRENEUR:
                owner = Owner.objects.filter(is_synthetic=True, user__isnull=True).order_by("id").first()
                if owner is not None:
                    owner.user = user
                    owner.save(update_fields=["user"])
            users.append({"username": username, "role": role.value, "password": password, "regions": regions})
        extras = _border_and_monitoring()
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "reference": reference,
                        "registry": registry,
                        **extras,
                        "users": users,
                        "errors": [],
                        "warnings": [],
                    },
                    default=str,
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS("Reference data: ")
            + ", ".join(f"{k} {v}" for k, v in reference.items() if not isinstance(v, dict))
        )
        if "skipped" in registry:
            self.stdout.write(
                f"Synthetic registry already present ({registry['enterprises']} enterprises); kept."
            )
        else:
            self.stdout.write(
                f"Synthetic registry: {registry['enterprises']} enterprises = real province total "
                f"{registry['province_total_real']:,} divided by {registry['scale']} "
                f"(micro {registry['micro']}, small {registry['small']}, medium {registry['medium']}; "
                f"Kota Pontianak {registry['kota_pontianak']}; culinary {registry['culinary']}; "
                f"with NIB {registry['with_nib']}; in border districts {registry['border']}; seed {registry['seed']}). "
                "All names and NIKs are invented and marked synthetic."
            )
        border = extras["border"]
        self.stdout.write(
            f"Border economy: {border['markets']} PLBN markets, {border['commodities']} commodities; "
            f"synthetic surveys {border['demo_surveys']} and IDR/MYR rates {border['demo_rates']} (marked demo)."
        )
        monitoring = extras["monitoring"]
        self.stdout.write(
            f"Monitoring: data sets {', '.join(monitoring['datasets'])}; aggregates rebuilt "
            f"({monitoring['aggregates']})."
        )
        self.stdout.write("Demo users (passwords are shown once):")
        for u in users:
            secret = u["password"] or "(" + u["note"] + ")"
            regions = ", ".join(u.get("regions") or []) or "-"
            self.stdout.write(f"  {u['username']:<16} {u['role']:<18} {secret:<16} regions: {regions}")


def _border_and_monitoring() -> dict:
    """Seed the border economy (markets, commodities, demo surveys) and the monitoring data sets.

    Idempotent like the rest of the demo; the monitoring aggregates are rebuilt because the synthetic
    registry is written in bulk, without the signals that keep them current.
    """
    from plut.border.demo import border_demo
    from plut.border.models import Market
    from plut.border.services import border_seed
    from plut.monitoring.aggregates import aggregates_rebuild
    from plut.monitoring.standard import datasets_install_standard
    from plut.reference.models import Commodity

    border_seed()
    admin = User.objects.filter(role=Role.OFFICE_ADMIN, is_active=True).order_by("id").first()
    demo = border_demo(actor=admin) if admin is not None else {"surveys": 0, "rates": 0}
    datasets = [ds.code for ds in datasets_install_standard(actor=None)]
    return {
        "border": {
            "markets": Market.objects.count(),
            "commodities": Commodity.objects.count(),
            "demo_surveys": demo.get("surveys", 0),
            "demo_rates": demo.get("rates", 0),
        },
        "monitoring": {"datasets": datasets, "aggregates": aggregates_rebuild()},
    }
