"""Create a user with a role and a region scope."""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError

from plut.accounts.models import Role
from plut.accounts.services import user_create


class Command(BaseCommand):
    help = "Create a user with a role (office_admin, office_analyst, consultant, regency_officer, ministry_reviewer, entrepreneur) and regions."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument(
            "--region", action="append", default=[], help="Kemendagri code, e.g. 61.01 (repeatable)."
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="Prompted when omitted.")

    def handle(self, *args, **options):
        password = options["password"] or getpass.getpass("Password: ")
        try:
            user = user_create(
                actor=None,
                username=options["username"],
                role=options["role"],
                region_codes=options["region"],
                email=options["email"],
                password=password,
            )
        except Exception as exc:  # ValidationError from the service, shown as a command error
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Created {user.username} ({user.get_role_display()}).")
