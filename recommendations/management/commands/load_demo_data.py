from django.core.management.base import BaseCommand, CommandError

from recommendations.demo import DemoRefused, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo: the 43 forces, the TVIP super-complaint report, the closed round 'Progress update, "
        "March 2024' with its published snapshot, an open round, and demo accounts (password tracker-demo). "
        "Safe to run again: nothing is duplicated. Refused when DEBUG is off."
    )

    def handle(self, *args, **options):
        try:
            summary = demo_load()
        except DemoRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Demo data ready: {summary.forces} forces, {summary.users_created} new accounts, "
            f"{summary.answers_created} new answers; open round: {summary.open_round}."
        )
