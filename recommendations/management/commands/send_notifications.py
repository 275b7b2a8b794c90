"""Send the daily digests and retry emails that did not go (run from cron, e.g. hourly)."""

from django.core.management.base import BaseCommand

from recommendations.notifications import digests_send, notifications_retry


class Command(BaseCommand):
    help = (
        "Queue a digest for each staff member following a round (once a day, only if something was "
        "submitted, resubmitted or withdrawn), then send every recorded email not yet sent, each up to "
        "five attempts. Safe to run as often as you like."
    )

    def handle(self, *args, **options):
        digests = digests_send()
        sent = notifications_retry()
        self.stdout.write(f"{len(digests)} digest(s) queued; {sent} email(s) sent.")
