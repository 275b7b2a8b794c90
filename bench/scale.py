"""Scale data for the benchmark: many forces, reports, rounds and answer versions, made quickly.

Everything is written with bulk_create, so Force.save (match_key) and the history tables are
bypassed: match keys are computed here, and no history is recorded for generated rows. Generated
names are prefixed ("Scale force 0001", "scale-lead-0001", "scale-report-01") so the data sits
beside the demo without colliding, and every round also asks the forces already in the database
(the demo's 43), so the demo's pages see the larger data too.

Answers keep the StatusUpdate invariants: per (round, force, recommendation) versions 1..k, the
last one `is_current`, and `is_latest_submitted` only on the last submitted version.
"""

from __future__ import annotations

import datetime
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from forces.models import Force, ForceMembership, normalise_force_name
from recommendations.models import Recommendation, Report, Round, Status, StatusUpdate, Theme, ThemeCoding

FORCE_PREFIX = "Scale force"
SLUG_PREFIX = "scale-"
RECOMMENDATIONS_PER_REPORT = 6  # 1, 2 (with parts 2a and 2b), 3, 4: the shape of the TVIP report
STATUS_CYCLE = [
    Status.COMPLETE,
    Status.IN_PROGRESS,
    Status.IN_PROGRESS,
    Status.PLANNED,
    Status.NOT_STARTED,
    Status.COMPLETE,
]
BATCH = 5000
NARRATIVE = (
    "Illustrative scale-test text, not a real force's answer. {force} reports on recommendation {reference} "
    "(version {version}): the policy has been reviewed with partners, training is being rolled out to "
    "officers and staff, and the force will report again on progress at the next round."
)


class ScaleDataExists(Exception):
    pass


@dataclass
class ScaleSummary:
    forces: int = 0
    recommendations: int = 0
    rounds: int = 0
    answers: int = 0
    versions: int = 0
    codings: int = 0
    snapshots: int = 0
    large_round_answers: int = 0
    timings: list[tuple[str, float]] = field(default_factory=list)


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def _in_batches(items: Iterator, size: int = BATCH) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _forces(count: int, summary: ScaleSummary) -> list[Force]:
    names = [f"{FORCE_PREFIX} {n:04d}" for n in range(1, count + 1)]
    Force.objects.bulk_create(
        [
            Force(
                name=name,
                slug=_slug(name),
                match_key=normalise_force_name(name),
                country=Force.Country.WALES if n % 10 == 0 else Force.Country.ENGLAND,
            )
            for n, name in enumerate(names, start=1)
        ],
        batch_size=BATCH,
    )
    forces = list(Force.objects.filter(name__startswith=FORCE_PREFIX).order_by("name"))
    User = get_user_model()
    password = make_password(secrets.token_urlsafe(24))  # hashed once; nobody signs in as these
    User.objects.bulk_create(
        [
            User(username=f"scale-lead-{n:04d}", email=f"scale-lead-{n:04d}@example.invalid", password=password)
            for n in range(1, count + 1)
        ],
        batch_size=BATCH,
    )
    users = list(User.objects.filter(username__startswith="scale-lead-").order_by("username"))
    ForceMembership.objects.bulk_create(
        [ForceMembership(user=user, force=force) for user, force in zip(users, forces, strict=True)], batch_size=BATCH
    )
    summary.forces = len(forces)
    return forces


def _reports(count: int, *, prefix: str, published_on: datetime.date) -> list[list[Recommendation]]:
    """`count` recommendations in reports of six; returns each report's recommendations in order."""
    report_count = -(-count // RECOMMENDATIONS_PER_REPORT)
    reports = Report.objects.bulk_create(
        [
            Report(
                title=f"Scale-test inspection report {n:03d}",
                short_title=f"Scale report {n:03d}",
                slug=f"{prefix}{n:03d}",
                publishers="HMICFRS (illustrative scale-test data)",
                published_on=published_on,
            )
            for n in range(1, report_count + 1)
        ]
    )
    shape = [("1", None), ("2", None), ("2a", "2"), ("2b", "2"), ("3", None), ("4", None)]
    by_report: list[list[Recommendation]] = []
    made = 0
    for report in reports:
        wanted = shape[: min(RECOMMENDATIONS_PER_REPORT, count - made)]
        made += len(wanted)
        by_reference = {}
        for parents_pass in (True, False):  # parents first, so parts can point at them
            rows = [
                Recommendation(
                    report=report,
                    parent=by_reference.get(parent),
                    reference=reference,
                    title=f"Scale-test recommendation {reference}",
                    text=f"Chief constables should make sure that scale-test recommendation {reference} is acted on.",
                    order=position * 10,
                )
                for position, (reference, parent) in enumerate(wanted)
                if (parent is None) == parents_pass
            ]
            for item in Recommendation.objects.bulk_create(rows):
                by_reference[item.reference] = item
        by_report.append(sorted(by_reference.values(), key=lambda item: item.order))
    return by_report


def _themes(recommendations: list[Recommendation]) -> dict[int, list[Theme]]:
    themes = Theme.objects.bulk_create(
        [
            Theme(recommendation=item, name=name)
            for item in recommendations
            for name in ("Specific policy or SOP", "Training delivered", "Partner involvement")
        ],
        batch_size=BATCH,
    )
    by_recommendation: dict[int, list[Theme]] = {}
    for theme in themes:
        by_recommendation.setdefault(theme.recommendation_id, []).append(theme)
    return by_recommendation


def _link_round(round: Round, recommendations: list[Recommendation], forces: list[Force]) -> None:
    Round.recommendations.through.objects.bulk_create(
        [Round.recommendations.through(round_id=round.pk, recommendation_id=item.pk) for item in recommendations]
    )
    Round.forces_asked.through.objects.bulk_create(
        [Round.forces_asked.through(round_id=round.pk, force_id=force.pk) for force in forces], batch_size=BATCH
    )


def _versions(
    round: Round, force: Force, lead_id: int | None, recommendation: Recommendation, seed: int, open_round: bool
) -> list[StatusUpdate]:
    """One answer's versions. Closed rounds end on a submitted version; the open round may end on a draft."""
    count = 1 + seed % 3
    last_submitted = count if not open_round or seed % 4 else count - 1  # 0: drafts only
    states = []
    for version in range(1, count + 1):
        if version == last_submitted or (version < last_submitted and version % 2 == 0):
            states.append(StatusUpdate.State.SUBMITTED)
        else:
            states.append(StatusUpdate.State.DRAFT)
    start = timezone.make_aware(datetime.datetime.combine(round.opens_on, datetime.time(9)))
    return [
        StatusUpdate(
            round=round,
            force=force,
            recommendation=recommendation,
            version=version,
            state=state,
            status=STATUS_CYCLE[(seed + version) % len(STATUS_CYCLE)],
            narrative=NARRATIVE.format(force=force.name, reference=recommendation.reference, version=version),
            is_current=version == count,
            is_latest_submitted=version == last_submitted,
            created_by_id=lead_id,
            created_at=start + datetime.timedelta(days=version, minutes=seed % 600),
        )
        for version, state in enumerate(states, start=1)
    ]


def _answers(
    rounds: list[tuple[Round, list[Recommendation]]],
    forces: list[Force],
    leads: dict[int, int],
    themes: dict[int, list[Theme]],
    summary: ScaleSummary,
) -> None:
    def versions() -> Iterator[StatusUpdate]:
        for round_index, (round, recommendations) in enumerate(rounds):
            for force_index, force in enumerate(forces):
                if (force_index + round_index) % 15 == 7:
                    continue  # about one force in fifteen does not respond to a round
                for rec_index, recommendation in enumerate(recommendations):
                    if rec_index == len(recommendations) - 1 and (force_index + round_index) % 3 == 0:
                        continue  # the last recommendation is answered by two forces in three
                    summary.answers += 1
                    yield from _versions(
                        round,
                        force,
                        leads.get(force.pk),
                        recommendation,
                        force_index + rec_index + round_index,
                        not round.closed,
                    )

    def codings() -> Iterator[ThemeCoding]:
        for round_index, (round, recommendations) in enumerate(rounds):
            for force_index, force in enumerate(forces):
                for rec_index, recommendation in enumerate(recommendations):
                    for theme_index, theme in enumerate(themes.get(recommendation.pk, [])):
                        if (force_index + rec_index + theme_index + round_index) % 4 == 0:
                            yield ThemeCoding(round=round, force=force, theme=theme, coded_at=timezone.now())

    for batch in _in_batches(versions()):
        StatusUpdate.objects.bulk_create(batch)
        summary.versions += len(batch)
    for batch in _in_batches(codings()):
        ThemeCoding.objects.bulk_create(batch)
        summary.codings += len(batch)


def _large_round(
    size: int, forces: list[Force], leads: dict[int, int], opens_on: datetime.date, summary: ScaleSummary
) -> None:
    """A closed round asking the generated forces about `size` recommendations of its own reports,
    one submitted version each: the streaming CSV check downloads it (forces x size rows)."""
    recommendations = [
        item for report in _reports(size, prefix="scale-large-report-", published_on=opens_on) for item in report
    ]
    round = Round.objects.create(
        title="Scale-test large round",
        slug="scale-large-round",
        opens_on=opens_on,
        due_on=opens_on + datetime.timedelta(days=28),
        closed=True,
    )
    _link_round(round, recommendations, forces)
    answered_at = timezone.make_aware(datetime.datetime.combine(opens_on, datetime.time(9)))

    def rows() -> Iterator[StatusUpdate]:
        for force_index, force in enumerate(forces):
            for rec_index, recommendation in enumerate(recommendations):
                yield StatusUpdate(
                    round=round,
                    force=force,
                    recommendation=recommendation,
                    version=1,
                    state=StatusUpdate.State.SUBMITTED,
                    status=STATUS_CYCLE[(force_index + rec_index) % len(STATUS_CYCLE)],
                    narrative=NARRATIVE.format(force=force.name, reference=recommendation.reference, version=1),
                    is_current=True,
                    is_latest_submitted=True,
                    created_by_id=leads.get(force.pk),
                    created_at=answered_at,
                )

    for batch in _in_batches(rows()):
        StatusUpdate.objects.bulk_create(batch)
        summary.large_round_answers += len(batch)


@transaction.atomic
def scale_data_generate(
    *,
    forces: int,
    recommendations: int,
    rounds: int,
    large_round: int = 0,
    today: datetime.date | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> ScaleSummary:
    """Make `forces` forces with leads, `recommendations` recommendations in reports of six, and
    `rounds` quarterly rounds (all closed but the last), each asking every force about one report.

    `large_round` adds one more closed round with that many recommendations (for the CSV check).
    """
    if Force.objects.filter(name__startswith=FORCE_PREFIX).exists():
        raise ScaleDataExists("Scale data is already loaded in this database.")
    if forces < 1 or recommendations < 1 or rounds < 1:
        raise ValueError("forces, recommendations and rounds must each be at least 1")
    today = today or timezone.localdate()
    summary = ScaleSummary()
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary.timings.append((name, now - clock))
        if progress:
            progress(name, now - clock)
        clock = now

    generated = _forces(forces, summary)
    step(f"{forces} forces, leads and memberships")

    first_opens = today - datetime.timedelta(days=3 + 91 * (rounds - 1))
    reports = _reports(
        recommendations, prefix=f"{SLUG_PREFIX}report-", published_on=first_opens - datetime.timedelta(days=60)
    )
    all_recommendations = [item for report in reports for item in report]
    themes = _themes(all_recommendations)
    summary.recommendations = len(all_recommendations)
    step(f"{len(reports)} reports, {len(all_recommendations)} recommendations, {sum(map(len, themes.values()))} themes")

    asked = list(Force.objects.order_by("name"))  # the generated forces and any already here (the demo's)
    leads = dict(ForceMembership.objects.values_list("force_id", "user_id"))
    made_rounds = []
    for index in range(rounds):
        opens_on = first_opens + datetime.timedelta(days=91 * index)
        is_last = index == rounds - 1
        round = Round.objects.create(
            title=f"Scale-test progress update {index + 1:02d}",
            slug=f"{SLUG_PREFIX}round-{index + 1:02d}",
            opens_on=opens_on,
            due_on=opens_on + datetime.timedelta(days=28),
            closed=not is_last,
        )
        in_scope = reports[index % len(reports)]
        _link_round(round, in_scope, asked)
        made_rounds.append((round, in_scope))
    summary.rounds = len(made_rounds)
    step(f"{rounds} rounds with their recommendations and forces asked")

    _answers(made_rounds, asked, leads, themes, summary)
    step(f"{summary.answers} answers in {summary.versions} versions, {summary.codings} theme codings")

    # Each closed round's consolidated snapshot, published as staff would have done.
    from recommendations.snapshots import snapshot_draft, snapshot_publish

    for round, _ in made_rounds:
        if round.closed:
            snapshot = snapshot_draft(round=round, user=None)
            snapshot_publish(snapshot=snapshot, user=None, today=round.due_on + datetime.timedelta(days=14))
            summary.snapshots += 1
    step(f"{summary.snapshots} published snapshots")

    if large_round:
        _large_round(large_round, generated, leads, first_opens - datetime.timedelta(days=91), summary)
        step(f"large round: {summary.large_round_answers} submitted answers")
    return summary
