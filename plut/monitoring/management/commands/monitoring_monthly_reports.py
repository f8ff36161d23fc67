"""plut monitoring-monthly-reports: the periodic job issuing the standard reports of last month.

Run monthly (cron / systemd timer), e.g. on the 5th. It enqueues ``reports_issue_monthly_task``
(django-tasks); the task skips reports the scheduler already issued for that month, so running the
job twice issues nothing new.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "Enqueue the issue of last month's standard monitoring reports (run monthly)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: the previous month)")

    def handle(self, *args, **opts):
        from plut.monitoring.periods import PeriodType, parse, previous
        from plut.monitoring.tasks import reports_issue_monthly_task

        if opts["month"]:
            try:
                start = parse(PeriodType.MONTH, opts["month"])
            except ValueError as exc:
                raise CommandError(f"--month {opts['month']!r}: write YYYY-MM") from exc
        else:
            today = timezone.localdate()
            start = previous(PeriodType.MONTH, dt.date(today.year, today.month, 1))
        result = reports_issue_monthly_task.enqueue(period_start=start.isoformat())
        self.stdout.write(f"enqueued reports of {start:%Y-%m} ({result.id})")
