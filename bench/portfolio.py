"""Portfolio-scale data for the benchmark: the real load the product is built for, beside the demo.

50 reports from several publishers (20 recommendations each, two with parts: 1,000 in all), links
between recommendations of different reports, and 20 quarterly rounds (all closed but the newest),
each asking the forces already in the database (the demo's 43) about 11 reports' recommendations
(198, a window that moves five reports a quarter, so a recommendation is in two or three rounds),
with three to ten versions per answer: about a million answer versions.

Every generated name says it is generated ("Portfolio-test ... (generated)"), slugs start with
"portfolio-", and no history is recorded for the bulk rows. On PostgreSQL the answers and theme
codings are written with COPY; elsewhere (SQLite) with bulk_create in batches. The figures'
revision numbers stay right either way: the database's triggers (figures_triggers.py) fire for COPY
and for bulk inserts as for any insert, so every generated round gets its own number.

Answers keep the StatusUpdate invariants: per (round, force, recommendation) versions 1..k, the
last one `is_current`, `is_latest_submitted` only on the last submitted version.
"""

from __future__ import annotations

import datetime
import io
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.utils import timezone

from forces.models import Force, ForceMembership
from recommendations.models import (
    Recommendation,
    RecommendationLink,
    Report,
    Round,
    Status,
    StatusUpdate,
    Theme,
    ThemeCoding,
)

SLUG_PREFIX = "portfolio-"
PUBLISHERS = [
    "HMICFRS (generated portfolio-test data)",
    "College of Policing (generated portfolio-test data)",
    "IOPC (generated portfolio-test data)",
    "HMICFRS, the College of Policing and the IOPC (generated portfolio-test data)",
    "Coroner, prevention of future deaths (generated portfolio-test data)",
]
STATUS_CYCLE = [
    Status.COMPLETE,
    Status.IN_PROGRESS,
    Status.IN_PROGRESS,
    Status.PLANNED,
    Status.NOT_STARTED,
    Status.COMPLETE,
    Status.IN_PROGRESS,
]
NARRATIVE = (
    "Generated portfolio-test text, not a real force's answer. The force reports on {name} (version {version}): "
    "the policy has been reviewed with partners, training is being rolled out to officers and staff, and "
    "progress will be reported again at the next round."
)
BATCH = 20_000


class PortfolioDataExists(Exception):
    pass


@dataclass(frozen=True)
class PortfolioSize:
    """The shape asked for. The defaults are the portfolio's; tests pass small ones."""

    reports: int = 50
    per_report: int = 20  # rows per report, parents included
    rounds: int = 20
    reports_per_round: int = 11
    round_step: int = 5  # reports the window moves on each quarter
    versions: tuple[int, int] = (3, 10)  # fewest and most versions per answer
    links: int = 100


@dataclass
class PortfolioSummary:
    reports: int = 0
    recommendations: int = 0
    links: int = 0
    rounds: int = 0
    in_scope: int = 0
    answers: int = 0
    versions: int = 0
    codings: int = 0
    snapshots: int = 0
    timings: list[tuple[str, float]] = field(default_factory=list)


def _references(count: int) -> list[tuple[str, str | None]]:
    """A report's references: 1, 2, ... with recommendation 3 in parts a-c and 7 in parts a-b (when
    the report is long enough), parents before their parts; `count` rows in all."""
    shape: list[tuple[str, str | None]] = []
    number = 1
    while len(shape) < count:
        parts = {3: "abc", 7: "ab"}.get(number, "")
        if parts and len(shape) + 1 + len(parts) <= count:
            shape.append((str(number), None))
            shape.extend((f"{number}{letter}", str(number)) for letter in parts)
        else:
            shape.append((str(number), None))
        number += 1
    return shape


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def bulk_write(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
    """Insert `rows` (values for `columns`, by attname; every other column takes its field's default):
    COPY on PostgreSQL, bulk_create in batches elsewhere. Returns how many rows were written."""
    fields = [item for item in model._meta.concrete_fields if not item.primary_key]
    rest = [item for item in fields if item.attname not in columns]
    defaults = tuple(item.get_default() for item in rest)
    all_columns = columns + [item.attname for item in rest]
    written = 0
    batch: list[tuple] = []

    def flush() -> None:
        nonlocal written
        if not batch:
            return
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in batch:
                buffer.write("\t".join(map(_copy_value, row + defaults)))
                buffer.write("\n")
            buffer.seek(0)
            names = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in all_columns)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({names}) FROM STDIN", buffer)
        else:
            model.objects.bulk_create(
                [model(**dict(zip(all_columns, row + defaults, strict=True))) for row in batch], batch_size=2_000
            )
        written += len(batch)
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            flush()
    flush()
    return written


def _reports(size: PortfolioSize, first_opens: datetime.date) -> list[list[Recommendation]]:
    """The reports and their recommendations; returns each report's answerable ones (no parent with parts)."""
    reports = Report.objects.bulk_create(
        [
            Report(
                title=f"Portfolio-test report {n:02d}: an illustrative inspection (generated)",
                short_title=f"Portfolio report {n:02d}",
                slug=f"{SLUG_PREFIX}report-{n:02d}",
                publishers=PUBLISHERS[n % len(PUBLISHERS)],
                published_on=first_opens - datetime.timedelta(days=60 - 7 * (n % 8)),
                summary="Generated for the portfolio-scale benchmark: not a real report.",
            )
            for n in range(1, size.reports + 1)
        ]
    )
    addressees = [Recommendation.Addressee.CHIEF_CONSTABLES] * 4 + [Recommendation.Addressee.PCCS]
    shape = _references(size.per_report)
    rows = []
    for report_index, report in enumerate(reports):
        for position, (reference, _parent) in enumerate(shape):
            rows.append(
                Recommendation(
                    report=report,
                    reference=reference,
                    title=f"Generated recommendation {reference}",
                    text=(
                        f"Generated portfolio-test text: chief constables should make sure that recommendation "
                        f"{reference} of {report.short_title} is acted on."
                    ),
                    addressee=addressees[(report_index + position) % len(addressees)],
                    order=position * 10,
                )
            )
    Recommendation.objects.bulk_create(rows, batch_size=2_000)
    made = {
        (item.report_id, item.reference): item
        for item in Recommendation.objects.filter(report__in=reports)
        .select_related("report")
        .order_by("report_id", "order")
    }
    # Parts point at their parent in the same report: one UPDATE per parent reference and report set.
    for reference, parent in shape:
        if parent is not None:
            Recommendation.objects.filter(report__in=reports, reference=reference).update(
                parent_id=models.Subquery(
                    Recommendation.objects.filter(report=models.OuterRef("report"), reference=parent).values("pk")
                )
            )
    parents = {parent for _, parent in shape if parent}
    return [[made[(report.pk, reference)] for reference, _ in shape if reference not in parents] for report in reports]


def _links(answerable: list[list[Recommendation]], count: int) -> int:
    """Links between recommendations of different reports (never a parent with parts, never twice)."""
    kinds = [RecommendationLink.Kind.SAME_AS, RecommendationLink.Kind.COVERS, RecommendationLink.Kind.PARTLY_COVERS]
    links, seen = [], set()
    reports = len(answerable)
    for n in range(count):
        source_report, target_report = n % reports, (n * 7 + 3) % reports
        if source_report == target_report:
            continue
        source = answerable[source_report][n % len(answerable[source_report])]
        target = answerable[target_report][(n * 3) % len(answerable[target_report])]
        pair = frozenset((source.pk, target.pk))
        if pair in seen:
            continue
        seen.add(pair)
        links.append(
            RecommendationLink(source=source, target=target, kind=kinds[n % 3], note="Generated portfolio-test link.")
        )
    RecommendationLink.objects.bulk_create(links)
    return len(links)


def _answers(
    rounds: list[tuple[Round, list[Recommendation]]],
    forces: list[Force],
    leads: dict[int, int],
    size: PortfolioSize,
    summary: PortfolioSummary,
) -> Iterator[tuple]:
    fewest, most = size.versions
    spread = most - fewest + 1
    for round_index, (round, recommendations) in enumerate(rounds):
        start = timezone.make_aware(datetime.datetime.combine(round.opens_on, datetime.time(9)))
        for force_index, force in enumerate(forces):
            if (force_index + round_index) % 15 == 7:
                continue  # about one force in fifteen does not respond to a round
            lead = leads.get(force.pk)
            for rec_index, recommendation in enumerate(recommendations):
                seed = force_index * 31 + rec_index * 7 + round_index * 13
                if seed % 23 == 0:
                    continue  # a few answers never started
                summary.answers += 1
                count = fewest + seed % spread
                # Closed rounds end on a submitted version; the open round sometimes on a draft, or drafts only.
                last_submitted = count if round.closed or seed % 4 else count - 1 - seed % 2
                name = recommendation.name
                for version in range(1, count + 1):
                    submitted = version == last_submitted or (version < last_submitted and version % 3 == 0)
                    yield (
                        round.pk,
                        force.pk,
                        recommendation.pk,
                        version,
                        StatusUpdate.State.SUBMITTED if submitted else StatusUpdate.State.DRAFT,
                        STATUS_CYCLE[(seed + version) % len(STATUS_CYCLE)],
                        NARRATIVE.format(name=name, version=version),
                        version == count,
                        version == last_submitted,
                        lead,
                        start + datetime.timedelta(hours=version * 20, minutes=seed % 600),
                    )


ANSWER_COLUMNS = [
    "round_id",
    "force_id",
    "recommendation_id",
    "version",
    "state",
    "status",
    "narrative",
    "is_current",
    "is_latest_submitted",
    "created_by_id",
    "created_at",
]


@transaction.atomic
def portfolio_data_generate(
    *,
    size: PortfolioSize = PortfolioSize(),
    today: datetime.date | None = None,
    snapshots: bool = True,
    progress: Callable[[str, float], None] | None = None,
) -> PortfolioSummary:
    """Make the portfolio's reports, links, rounds and answers beside what the database holds (the
    demo): every round asks every force already here. Refused if portfolio data is already loaded."""
    if Report.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        raise PortfolioDataExists("Portfolio data is already loaded in this database.")
    forces = list(Force.objects.order_by("name"))
    if not forces:
        raise ValueError("No forces: load the demo data (load_demo_data) first.")
    if size.reports_per_round > size.reports:
        raise ValueError("A round cannot ask about more reports than there are.")
    today = today or timezone.localdate()
    summary = PortfolioSummary()
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary.timings.append((name, now - clock))
        if progress:
            progress(name, now - clock)
        clock = now

    first_opens = today - datetime.timedelta(days=3 + 91 * (size.rounds - 1))
    answerable = _reports(size, first_opens)
    summary.reports = len(answerable)
    summary.recommendations = Recommendation.objects.filter(report__slug__startswith=SLUG_PREFIX).count()
    summary.links = _links(answerable, size.links)
    themes = Theme.objects.bulk_create(
        [
            Theme(recommendation=item, name=name)
            for report in answerable
            for item in report
            for name in ("Specific policy or SOP", "Training delivered")
        ],
        batch_size=5_000,
    )
    themes_by_recommendation: dict[int, list[Theme]] = {}
    for theme in themes:
        themes_by_recommendation.setdefault(theme.recommendation_id, []).append(theme)
    step(f"{summary.reports} reports, {summary.recommendations} recommendations, {summary.links} links")

    made_rounds = []
    for index in range(size.rounds):
        opens_on = first_opens + datetime.timedelta(days=91 * index)
        round = Round.objects.create(
            title=f"Portfolio-test quarterly update {index + 1:02d} (generated)",
            slug=f"{SLUG_PREFIX}round-{index + 1:02d}",
            opens_on=opens_on,
            due_on=opens_on + datetime.timedelta(days=28),
            closed=index < size.rounds - 1,
        )
        first = (index * size.round_step) % size.reports
        in_scope = [
            item for offset in range(size.reports_per_round) for item in answerable[(first + offset) % size.reports]
        ]
        Round.recommendations.through.objects.bulk_create(
            [Round.recommendations.through(round_id=round.pk, recommendation_id=item.pk) for item in in_scope]
        )
        Round.forces_asked.through.objects.bulk_create(
            [Round.forces_asked.through(round_id=round.pk, force_id=force.pk) for force in forces]
        )
        made_rounds.append((round, in_scope))
    summary.rounds = len(made_rounds)
    summary.in_scope = len(made_rounds[0][1])
    step(f"{summary.rounds} rounds of {summary.in_scope} recommendations, {len(forces)} forces asked")

    leads = dict(ForceMembership.objects.values_list("force_id", "user_id"))
    summary.versions = bulk_write(StatusUpdate, ANSWER_COLUMNS, _answers(made_rounds, forces, leads, size, summary))
    step(f"{summary.answers} answers in {summary.versions} versions")

    coded_at = timezone.now()

    def codings() -> Iterator[tuple]:
        for round_index, (round, in_scope) in enumerate(made_rounds):
            for force_index, force in enumerate(forces):
                for rec_index, item in enumerate(in_scope):
                    for theme_index, theme in enumerate(themes_by_recommendation.get(item.pk, [])):
                        if (force_index + rec_index + theme_index + round_index) % 5 == 0:
                            yield (round.pk, force.pk, theme.pk, coded_at)

    summary.codings = bulk_write(ThemeCoding, ["round_id", "force_id", "theme_id", "coded_at"], codings())
    step(f"{summary.codings} theme codings")

    if snapshots:
        # The last closed round's consolidated snapshot, published as staff would have done.
        from recommendations.snapshots import snapshot_draft, snapshot_publish

        closed = [round for round, _ in made_rounds if round.closed]
        if closed:
            snapshot = snapshot_draft(round=closed[-1], user=None)
            snapshot_publish(snapshot=snapshot, user=None, today=closed[-1].due_on + datetime.timedelta(days=14))
            summary.snapshots = 1
        step(f"{summary.snapshots} published snapshot")
    return summary
