"""Import market surveys (or, with --rates, IDR/MYR exchange rates) from a spreadsheet.

Exit status: 0 = no row rejected, 1 = some rows rejected (nothing recorded), 2 = file unreadable.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from plut.accounts.models import User
from plut.border.imports import rates_import, surveys_import
from plut.imports.types import ImportFileError


class Command(BaseCommand):
    help = "Check (and with --commit record) a survey or exchange-rate spreadsheet."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="Username recorded as the enumerator / author.")
        parser.add_argument("--rates", action="store_true", help="The file holds exchange rates.")
        parser.add_argument("--commit", action="store_true", help="Record the rows when none is rejected.")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']}.")
        run = rates_import if options["rates"] else surveys_import
        try:
            with open(options["path"], "rb") as handle:
                result = run(actor=user, source=handle, filename=options["path"], commit=options["commit"])
        except ImportFileError as exc:
            result = {"ok": False, "errors": [p.as_dict() for p in exc.problems], "warnings": []}
            self._print(result, options["json"])
            sys.exit(2)
        self._print(result, options["json"])
        if not result["ok"]:
            sys.exit(1)

    def _print(self, result, as_json):
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, default=str))
            return
        for kind in ("errors", "warnings"):
            for p in result[kind]:
                self.stdout.write(
                    f"{kind[:-1]}: row {p['row']}, column {p['column']}, value {p['value']!r}: {p['reason']}"
                )
        self.stdout.write("recorded." if result.get("committed") else "nothing recorded.")
