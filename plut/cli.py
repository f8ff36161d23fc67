"""The ``plut`` command line: every shell task of a user or operator.

``plut --help`` lists the subcommands; each maps to a Django management command, so
``plut load-reference --json`` is ``manage.py load_reference --json``.
"""

from __future__ import annotations

import os
import sys

# Subcommand name -> (management command, one-line help).
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": (
        "serve",
        "Migrate, collect static files and serve the app (gunicorn) with a background worker.",
    ),
    "demo": ("demo", "Load reference data, create one demo user per role and a synthetic registry."),
    "load-reference": ("load_reference", "Load the shipped reference data (regions, borders, KBLI, prices)."),
    "import": (
        "import_umkm",
        "Import a UMKM spreadsheet (CSV/XLSX/XLS): plut import PATH [--dry-run] [--json].",
    ),
    "import-template": ("import_template", "Write the XLSX template regencies fill in."),
    "send-followup-reminders": ("send_followup_reminders", "E-mail consultants about overdue clinic follow-ups (run daily)."),
    "border-seed": (
        "border_seed",
        "Seed the border economy: Perpres commodities, PLBN markets, RM600 allowance.",
    ),
    "border-import": (
        "border_import",
        "Import market surveys (or --rates exchange rates): plut border-import PATH --user NAME [--commit].",
    ),
    "load-programmes": ("load_programmes", "Create the default programmes (border markets, promotion) if missing."),
    "monitoring-setup": ("monitoring_setup", "Install the standard monitoring data sets."),
    "monitoring-rebuild": ("monitoring_rebuild", "Rebuild the monitoring fact table and aggregate cells."),
    "monitoring-monthly-reports": ("monitoring_monthly_reports", "Enqueue last month's standard monitoring reports (run monthly)."),
    "generate-province": ("monitoring_generate_province", "Generate a synthetic province at scale on PostgreSQL (COPY)."),
    "createuser": ("createuser", "Create a user with a role and region scope."),
    "resolve-region": ("resolve_region", "Resolve typed region names to Kemendagri codes."),
    "size-class": ("size_class", "Compute the UMKM size class from capital and/or annual sales."),
    "createtoken": ("createtoken", "Create an API token for a user (printed once)."),
    "generate-keys": ("generate_keys", "Print new secret, data-encryption and hash keys for production."),
    "worker": ("db_worker", "Run the background task worker (django-tasks database backend)."),
    "migrate": ("migrate", "Apply database migrations."),
    "check": ("check", "Check the configuration (use --deploy for production)."),
    "manage": ("", "Run any Django management command: plut manage <command> [args]."),
}


def _usage() -> str:
    width = max(len(n) for n in COMMANDS)
    lines = [
        "usage: plut <command> [options]",
        "",
        "plut: the digital PLUT of Kalimantan Barat.",
        "",
        "commands:",
    ]
    lines += [f"  {name.ljust(width)}  {help_}" for name, (_, help_) in COMMANDS.items()]
    lines += ["", "Run `plut <command> --help` for the options of one command."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Dispatch ``plut <command>`` to its management command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plut.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(_usage())
        return
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"plut: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        sys.exit(2)
    command = COMMANDS[name][0]
    if name == "manage":
        if not rest:
            print("usage: plut manage <django command> [args]", file=sys.stderr)
            sys.exit(2)
        command, rest = rest[0], rest[1:]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["plut", command, *rest])


if __name__ == "__main__":
    main()
