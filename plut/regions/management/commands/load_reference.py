"""Load the reference data shipped with plut (regions, borders, KBLI, staple prices); safe to run again."""

from __future__ import annotations

import io
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from plut.regions.services import load_all_reference


class Command(BaseCommand):
    help = "Load the shipped reference data: regions, boundaries, border tables, KBLI 2020 and staple prices."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--json", action="store_true", help="Print one JSON object with counts, errors and warnings."
        )

    def handle(self, *args: object, **options: object) -> None:
        as_json = bool(options["json"])
        progress = io.StringIO() if as_json else self.stdout
        try:
            result = load_all_reference(stdout=progress)
        except (ValidationError, OSError, ValueError, KeyError) as exc:
            message = (
                "; ".join(exc.messages)
                if isinstance(exc, ValidationError)
                else f"{type(exc).__name__}: {exc}"
            )
            if as_json:
                self.stdout.write(
                    json.dumps({"ok": False, "counts": {}, "errors": [message], "warnings": []})
                )
                raise SystemExit(1) from exc
            raise CommandError(message) from exc
        warnings = result.pop("warnings")
        if as_json:
            self.stdout.write(
                json.dumps(
                    {"ok": True, "counts": result, "errors": [], "warnings": warnings}, ensure_ascii=False
                )
            )
            return
        for key, value in result.items():
            self.stdout.write(f"{key}: {value}")
