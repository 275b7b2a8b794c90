import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from recommendations.services import REMINDER_DAYS, reminders_send


class Command(BaseCommand):
    help = (
        "Email the leads of forces that have not submitted their return, "
        + ", ".join(str(days) for days in REMINDER_DAYS)
        + " days before a round is due. Safe to run from cron as often as you like: each reminder goes once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD); for testing.")

    def handle(self, *args, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today must be a date like 2026-12-05, not {today!r}") from None
        sent = reminders_send(today=day)
        for reminder in sent:
            self.stdout.write(f"Reminded {reminder.force} ({reminder.days_before} days before {reminder.round} is due)")
        self.stdout.write(f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} sent.")
