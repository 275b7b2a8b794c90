from django.core.management.base import BaseCommand, CommandError

from bench.scale import ScaleDataExists, scale_data_generate


class Command(BaseCommand):
    help = (
        "Generate benchmark data with bulk inserts: N forces ('Scale force 0001', each with a lead "
        "'scale-lead-0001' who cannot sign in), M recommendations in reports of six, and R quarterly rounds "
        "(all closed but the last), each asking every force in the database about one report, with several "
        "versions per answer and theme codings. --large-round K adds a closed round of K recommendations "
        "answered by every generated force (for the streaming CSV check). Sits beside the demo data; refused "
        "if scale data is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--forces", type=int, default=430)
        parser.add_argument("--recommendations", type=int, default=60)
        parser.add_argument("--rounds", type=int, default=12)
        parser.add_argument("--large-round", type=int, default=0, metavar="K")

    def handle(self, *args, forces, recommendations, rounds, large_round, **options):
        def progress(step: str, seconds: float) -> None:
            self.stdout.write(f"{seconds:7.2f}s  {step}")

        try:
            summary = scale_data_generate(
                forces=forces,
                recommendations=recommendations,
                rounds=rounds,
                large_round=large_round,
                progress=progress,
            )
        except (ScaleDataExists, ValueError) as error:
            raise CommandError(str(error)) from None
        total = sum(seconds for _, seconds in summary.timings)
        self.stdout.write(
            f"Scale data ready in {total:.1f}s: {summary.forces} forces, {summary.recommendations} recommendations, "
            f"{summary.rounds} rounds, {summary.answers} answers in {summary.versions} versions, "
            f"{summary.codings} theme codings, {summary.large_round_answers} answers in the large round."
        )
