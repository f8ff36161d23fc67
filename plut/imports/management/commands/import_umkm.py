"""``plut import PATH``: import a regency's UMKM spreadsheet from the shell.

Exit status: 0 when no row was rejected, 1 when some were, 2 when the file could not be read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand

from plut.accounts.models import User
from plut.imports.mapping import load_mapping_file
from plut.imports.models import ImportBatch
from plut.imports.selectors import batch_problems
from plut.imports.services import import_batch_create, import_batch_run
from plut.imports.types import ImportFileError


class Command(BaseCommand):
    help = "Import a UMKM spreadsheet (CSV, XLSX, XLS) into the registry."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--regency", help="Kemendagri code of the regency the file is for, e.g. 61.01.")
        parser.add_argument("--mapping", help="A mapping file (JSON {field: header} or CSV field,header).")
        parser.add_argument("--dry-run", action="store_true", help="Check and preview; write nothing.")
        parser.add_argument(
            "--commit-valid", action="store_true", help="Commit the valid rows even if some are rejected."
        )
        parser.add_argument(
            "--report", help="Write the rejected rows as an error workbook (XLSX) to this path."
        )
        parser.add_argument("--user", help="Username to record as the importer (default: the system).")
        parser.add_argument(
            "--json", action="store_true", help="Print one JSON object with counts, errors and warnings."
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        actor = User.objects.filter(username=options["user"]).first() if options["user"] else None
        fail = self._fail_json if options["json"] else self._fail_text
        if not path.is_file():
            return fail(f"No file at {path}.", "file.missing", str(path))
        try:
            mapping = load_mapping_file(options["mapping"]) if options["mapping"] else None
            with path.open("rb") as f:
                batch = import_batch_create(
                    actor=actor,
                    file=f,
                    filename=path.name,
                    regency_code=options["regency"],
                    mapping=mapping,
                    mode=ImportBatch.Mode.COMMIT_VALID
                    if options["commit_valid"]
                    else ImportBatch.Mode.ATOMIC,
                )
        except ImportFileError as exc:
            return fail(str(exc), exc.problems[0].code if exc.problems else "file.unreadable", str(path))
        except (ValidationError, PermissionDenied) as exc:
            return fail(" ".join(getattr(exc, "messages", [str(exc)])), "import.invalid", str(path))

        progress = None if options["json"] else self._progress
        batch = import_batch_run(batch=batch, dry_run=options["dry_run"], actor=actor, on_progress=progress)
        if not options["json"]:
            self.stderr.write("")
        errors, warnings = batch_problems(batch)
        if options["report"] and batch.error_report:
            with batch.error_report.open("rb") as src:
                Path(options["report"]).write_bytes(src.read())
        counts = {k: batch.counts.get(k, 0) for k in ("rows", "created", "updated", "unchanged", "rejected")}
        if options["json"]:
            out = {
                **counts,
                "batch": batch.pk,
                "status": batch.status,
                "dry_run": batch.dry_run,
                "errors": errors,
                "warnings": warnings,
            }
            self.stdout.write(json.dumps(out, ensure_ascii=False, default=str))
        else:
            self.stdout.write(
                f"Batch #{batch.pk} {batch.get_status_display()}: {counts['rows']} rows, {counts['created']} created, "
                f"{counts['updated']} updated, {counts['unchanged']} unchanged, {counts['rejected']} rejected."
            )
            for e in errors[:50]:
                where = f"row {e['row']}" if e.get("row") else "file"
                self.stdout.write(f"  {where} [{e.get('column', '')}] {e.get('value', '')!r}: {e['reason']}")
            if len(errors) > 50:
                self.stdout.write(f"  … and {len(errors) - 50} more errors (see --report or --json).")
        if batch.status == ImportBatch.Status.FAILED:
            sys.exit(2)
        if counts["rejected"]:
            sys.exit(1)

    def _progress(self, done: int) -> None:
        self.stderr.write(f"\r{done:,} rows read…", ending="")
        self.stderr.flush()

    def _fail_json(self, message: str, code: str, value: str):
        self.stdout.write(
            json.dumps(
                {
                    "rows": 0,
                    "created": 0,
                    "updated": 0,
                    "unchanged": 0,
                    "rejected": 0,
                    "errors": [{"row": None, "column": "", "value": value, "code": code, "reason": message}],
                    "warnings": [],
                },
                ensure_ascii=False,
            )
        )
        sys.exit(2)

    def _fail_text(self, message: str, code: str, value: str):
        self.stderr.write(message)
        sys.exit(2)
