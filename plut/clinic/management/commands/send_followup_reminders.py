"""Periodic job: e-mail consultants about overdue follow-ups (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from plut.clinic.services import followup_reminders_send


class Command(BaseCommand):
    help = "Send one reminder per overdue clinic follow-up that was not reminded yet."

    def handle(self, *args, **options):
        with transaction.atomic():
            sent = followup_reminders_send()
        self.stdout.write(f"{sent} reminder(s) sent.")
