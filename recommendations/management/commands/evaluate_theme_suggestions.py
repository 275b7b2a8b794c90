"""How good the suggested themes are: leave-one-out precision and recall on the existing codings."""

from django.core.management.base import BaseCommand

from recommendations.models import Recommendation, ThemeCoding
from recommendations.suggestions import evaluate


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.0f}%"


class Command(BaseCommand):
    help = (
        "For each recommendation with coded answers, suggest themes for every coded answer from all the "
        "others (leave-one-out) and print precision (suggested themes staff had coded) and recall (coded "
        "themes that were suggested). Reads only; nothing is stored."
    )

    def handle(self, *args, **options):
        recommendations = Recommendation.objects.filter(
            pk__in=ThemeCoding.objects.values("theme__recommendation")
        ).select_related("report")
        if not recommendations:
            self.stdout.write("No coded answers yet: nothing to evaluate.")
            return
        self.stdout.write(
            f"{'recommendation':<44} {'coded':>5} {'suggested':>9} {'correct':>7} {'precision':>9} {'recall':>6}"
        )
        for recommendation in recommendations:
            result = evaluate(recommendation)
            name = f"{recommendation.report.short_title} {result.reference}. {result.title}"[:44]
            self.stdout.write(
                f"{name:<44} {result.coded:>5} {result.suggested:>9} {result.correct:>7} "
                f"{_percent(result.precision):>9} {_percent(result.recall):>6}"
            )
