import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from recommendations.responses import response_reminders_send
from recommendations.rules import REMINDER_DAYS
from recommendations.services import reminders_send


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


class Command(BaseCommand):
    help = (
        "Email the leads of forces that have not submitted their return, "
        + ", ".join(str(days) for days in REMINDER_DAYS)
        + " days before a round is due, and the offices of local policing bodies that have not published"
        " their comments on a report, the same days before they are due. Safe to run from cron as often as"
        " you like: each reminder goes once."
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
            self.stdout.write(
                f"Reminded {reminder.force} ({_days(reminder.days_before)} before {reminder.round} is due)"
            )
        for reminder in response_reminders_send(today=day):
            sent.append(reminder)
            self.stdout.write(
                f"Reminded {reminder.body} ({_days(reminder.days_before)} before its response to "
                f"{reminder.report.short_title} is due)"
            )
        self.stdout.write(f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} sent.")
