"""Resolve typed region names (as found in spreadsheets) to Kemendagri codes."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from plut.regions.models import Level
from plut.regions.resolver import resolve_region


class Command(BaseCommand):
    help = (
        "Resolve typed region names to Kemendagri codes, with a confidence and the candidates when ambiguous."
    )

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="+")
        parser.add_argument(
            "--level", type=int, choices=[1, 2, 3, 4], help="2 regency/city, 3 district, 4 village"
        )
        parser.add_argument("--within", help="Kemendagri code of the region to search inside, e.g. 61.03.")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        level = Level(options["level"]) if options["level"] else None
        rows, errors = [], []
        for i, name in enumerate(options["names"], start=1):
            r = resolve_region(name, level=level, within=options["within"])
            row = {
                "query": name,
                "status": r.status,
                "code": r.region.code if r.region else None,
                "name": r.region.name if r.region else None,
                "confidence": round(r.confidence, 3),
                "matched_on": r.matched_on,
                "candidates": [{"code": c.code, "name": c.name} for c in r.candidates],
            }
            rows.append(row)
            if r.region is None:
                errors.append(
                    {
                        "row": i,
                        "column": "name",
                        "value": name,
                        "code": f"region.{r.status}",
                        "message": f"{name!r} is {r.status.replace('_', ' ')}.",
                    }
                )
        if options["json"]:
            self.stdout.write(
                json.dumps({"ok": not errors, "results": rows, "errors": errors, "warnings": []})
            )
            return
        for row in rows:
            found = f"{row['code']} {row['name']}" if row["code"] else "—"
            cands = "; ".join(f"{c['code']} {c['name']}" for c in row["candidates"])
            self.stdout.write(
                f"{row['query']!r}: {row['status']} {found} (confidence {row['confidence']}){' candidates: ' + cands if cands else ''}"
            )
