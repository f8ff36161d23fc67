import base64
import secrets

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print new secret, data-encryption and hash keys as environment variables."

    def handle(self, *args, **options):
        self.stdout.write(f"PLUT_SECRET_KEY={secrets.token_urlsafe(50)}")
        self.stdout.write(f"PLUT_DATA_KEY={base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}")
        self.stdout.write(f"PLUT_HASH_KEY={secrets.token_urlsafe(32)}")
