from django.core.management.base import BaseCommand, CommandError

from plut.accounts.models import User
from plut.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        key, _ = api_token_create(actor=None, user=user, name=options["name"])
        self.stdout.write(key)
