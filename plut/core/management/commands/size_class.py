"""Compute the UMKM size class from capital and/or annual sales."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from plut.enterprises.sizeclass import Regime, classify
from plut.lib.money import MoneyError, parse_rupiah


class Command(BaseCommand):
    help = "Compute the UMKM size class (PP 7/2021 by default) from capital and/or annual sales in rupiah."

    def add_arguments(self, parser):
        parser.add_argument(
            "--capital", help="Business capital excl. land and buildings, e.g. 3000000000 or '3 M'."
        )
        parser.add_argument("--sales", help="Annual sales, e.g. 1500000000 or '1,5 M'.")
        parser.add_argument("--regime", choices=[r.value for r in Regime], default=Regime.PP_7_2021.value)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        errors, amounts = [], {}
        for field in ("capital", "sales"):
            if options[field] is None:
                continue
            try:
                amounts[field] = parse_rupiah(options[field])
            except MoneyError as exc:
                errors.append(
                    {
                        "row": None,
                        "column": field,
                        "value": options[field],
                        "code": exc.code,
                        "message": str(exc),
                    }
                )
        result = (
            None
            if errors
            else classify(
                capital_idr=amounts.get("capital"),
                annual_sales_idr=amounts.get("sales"),
                regime=options["regime"],
            )
        )
        out = {
            "ok": not errors,
            "size_class": result.size_class.value if result else None,
            "basis": result.basis.value if result else None,
            "regime": options["regime"],
            "source": result.source if result else None,
            "errors": errors,
            "warnings": [],
        }
        if options["json"]:
            self.stdout.write(json.dumps(out))
        elif errors:
            raise CommandError("; ".join(e["message"] for e in errors))
        elif result is None:
            raise CommandError("Give --capital and/or --sales.")
        else:
            self.stdout.write(f"{result.size_class.value} (by {result.basis.value}; {result.source})")
        if errors:
            raise SystemExit(1)
