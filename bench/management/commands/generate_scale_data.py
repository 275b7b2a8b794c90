from django.core.management.base import BaseCommand, CommandError

from bench.portfolio import PortfolioDataExists, PortfolioSize, portfolio_data_generate
from bench.scale import ScaleDataExists, scale_data_generate


class Command(BaseCommand):
    help = (
        "Generate benchmark data with bulk inserts: N forces ('Scale force 0001', each with a lead "
        "'scale-lead-0001' who cannot sign in), M recommendations in reports of six, and R quarterly rounds "
        "(all closed but the last), each asking every force in the database about one report, with several "
        "versions per answer and theme codings. --large-round K adds a closed round of K recommendations "
        "answered by every generated force (for the streaming CSV check). Sits beside the demo data; refused "
        "if scale data is already loaded. "
        "--portfolio instead makes the portfolio's scale beside the demo's 43 forces: 50 reports of 20 "
        "recommendations (1,000, some in parts) from several publishers, links between them, 20 quarterly "
        "rounds of 198 recommendations each asking every force, three to ten versions per answer (about a "
        "million answer versions), written with COPY on PostgreSQL; --portfolio-reports, --portfolio-per-report "
        "and --portfolio-rounds make it smaller."
    )

    def add_arguments(self, parser):
        parser.add_argument("--forces", type=int, default=430)
        parser.add_argument("--recommendations", type=int, default=60)
        parser.add_argument("--rounds", type=int, default=12)
        parser.add_argument("--large-round", type=int, default=0, metavar="K")
        parser.add_argument("--portfolio", action="store_true", help="The portfolio's scale (see above).")
        parser.add_argument("--portfolio-reports", type=int, default=PortfolioSize.reports)
        parser.add_argument("--portfolio-per-report", type=int, default=PortfolioSize.per_report)
        parser.add_argument("--portfolio-rounds", type=int, default=PortfolioSize.rounds)
        parser.add_argument("--portfolio-reports-per-round", type=int, default=PortfolioSize.reports_per_round)

    def progress(self, step: str, seconds: float) -> None:
        self.stdout.write(f"{seconds:7.2f}s  {step}")

    def handle(self, *args, forces, recommendations, rounds, large_round, portfolio, **options):
        if portfolio:
            return self.portfolio(options)
        try:
            summary = scale_data_generate(
                forces=forces,
                recommendations=recommendations,
                rounds=rounds,
                large_round=large_round,
                progress=self.progress,
            )
        except (ScaleDataExists, ValueError) as error:
            raise CommandError(str(error)) from None
        total = sum(seconds for _, seconds in summary.timings)
        self.stdout.write(
            f"Scale data ready in {total:.1f}s: {summary.forces} forces, {summary.recommendations} recommendations, "
            f"{summary.rounds} rounds, {summary.answers} answers in {summary.versions} versions, "
            f"{summary.codings} theme codings, {summary.large_round_answers} answers in the large round."
        )

    def portfolio(self, options) -> None:
        size = PortfolioSize(
            reports=options["portfolio_reports"],
            per_report=options["portfolio_per_report"],
            rounds=options["portfolio_rounds"],
            reports_per_round=options["portfolio_reports_per_round"],
        )
        try:
            summary = portfolio_data_generate(size=size, progress=self.progress)
        except (PortfolioDataExists, ValueError) as error:
            raise CommandError(str(error)) from None
        total = sum(seconds for _, seconds in summary.timings)
        self.stdout.write(
            f"Portfolio data ready in {total:.1f}s: {summary.reports} reports, {summary.recommendations} "
            f"recommendations, {summary.links} links, {summary.rounds} rounds of {summary.in_scope} recommendations, "
            f"{summary.answers} answers in {summary.versions} versions, {summary.codings} theme codings, "
            f"{summary.snapshots} published snapshot."
        )
