from pathlib import Path

from django.core.management.base import BaseCommand

from plut.imports.template import build_template_xlsx


class Command(BaseCommand):
    help = "Write the XLSX template that regencies fill in."

    def add_arguments(self, parser):
        parser.add_argument("out", nargs="?", default="template-umkm.xlsx")

    def handle(self, *args, **options):
        Path(options["out"]).write_bytes(build_template_xlsx())
        self.stdout.write(f"Wrote {options['out']}.")
