"""Loads the demo: forces and their local policing bodies, the TVIP report, a closed round
reproducing the NPCC's March 2024 snapshot, an open round for leads (and, for the recommendation to
commissioners, offices) to answer that also asks about an invented second report linked to TVIP's,
West Midlands' published statutory response, and demo accounts. Running it again adds nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from forces.models import BodyMembership, Force, ForceMembership, PolicingBody
from forces.services import forces_load_all, policing_bodies_load_all

from . import demo_content as content
from . import demo_responses
from .models import (
    Extension,
    NotablePractice,
    Recommendation,
    RecommendationLink,
    Report,
    ResponseSection,
    Round,
    Snapshot,
    SnapshotSection,
    StatutoryResponse,
    Theme,
    ThemeCoding,
)
from .selectors import round_practice, round_rollup
from .services import portfolio_group_ensure, status_update_save
from .snapshots import quoted_practice


class DemoRefused(Exception):
    pass


@dataclass
class DemoSummary:
    forces: int
    users_created: int
    answers_created: int
    open_round: str


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _report_and_recommendations(
    data: dict = content.REPORT, recommendations: list = content.RECOMMENDATIONS, themes: dict = content.THEMES
) -> tuple[Report, dict[str, Recommendation]]:
    report, _ = Report.objects.get_or_create(
        slug=data["slug"],
        defaults={
            **{key: value for key, value in data.items() if key != "slug"},
            "published_on": _date(data["published_on"]),
        },
    )
    by_reference: dict[str, Recommendation] = {}
    for reference, parent, title, sentence, text, addressee, order in recommendations:
        by_reference[reference], _ = Recommendation.objects.get_or_create(
            report=report,
            reference=reference,
            defaults={
                "parent": by_reference.get(parent),
                "title": title,
                "sentence": sentence,
                "text": text,
                "addressee": addressee,
                "order": order,
            },
        )
    for reference, names in themes.items():
        for name in names:
            Theme.objects.get_or_create(recommendation=by_reference[reference], name=name)
    return report, by_reference


def _users(forces: list[Force]) -> tuple[int, object]:
    User = get_user_model()
    password = make_password(settings.DEMO_PASSWORD)  # hashed once: 45 Argon2 hashes would take seconds
    created = 0

    def ensure(username: str, **fields):
        nonlocal created
        user, made = User.objects.get_or_create(username=username, defaults={**fields, "password": password})
        created += made
        return user

    ensure(
        "admin",
        is_staff=True,
        is_superuser=True,
        email="admin@example.invalid",
        first_name="Demo",
        last_name="Administrator",
    )
    portfolio = ensure("portfolio", email="portfolio@example.invalid", first_name="Demo", last_name="Portfolio analyst")
    portfolio.groups.add(portfolio_group_ensure())
    for force in forces:
        lead = ensure(
            f"lead-{force.slug}",
            email=f"lead-{force.slug}@example.invalid",
            first_name="Demo lead,",
            last_name=force.name,
        )
        ForceMembership.objects.get_or_create(user=lead, defaults={"force": force})
    for slug in OFFICE_ACCOUNTS:
        body = PolicingBody.objects.get(slug=slug)
        office = ensure(
            f"pcc-{slug}", email=f"pcc-{slug}@example.invalid", first_name="Demo office,", last_name=body.holder_title
        )
        BodyMembership.objects.get_or_create(user=office, defaults={"body": body})
    return created, portfolio


# The commissioners' offices with demo accounts (pcc-<slug>).
OFFICE_ACCOUNTS = ["west-midlands", "kent"]


def _bodies_work(report: Report, recommendations: dict[str, Recommendation], open_round: Round) -> None:
    """The recommendation to commissioners asked of offices in the open round (no office has answered
    it yet), and West Midlands' published response to the TVIP report (seed 000); Kent's office has
    written nothing yet."""
    body = PolicingBody.objects.select_related("force").get(slug="west-midlands")
    if not body.holder_name:
        body.holder_name = demo_responses.HOLDER_NAME
        body.save()
    if not open_round.recommendations.filter(reference="4", report=report).exists():
        open_round.recommendations.add(recommendations["4"])
    office = BodyMembership.objects.filter(body=body).first().user
    if StatutoryResponse.objects.filter(body=body, report=report).exists():
        return
    from .rules import response_title

    response = StatutoryResponse.objects.create(
        body=body,
        report=report,
        state=StatutoryResponse.State.PUBLISHED,
        title=response_title(report_title=report.title, holder_name=body.holder_name, holder_title=body.holder_title),
        introduction=demo_responses.INTRODUCTION,
        closing="Yours faithfully,",
        signature_name=body.holder_name,
        signature_title=body.holder_title,
        quotes_published_text=True,
        published_on=_date(demo_responses.PUBLISHED_ON),
        published_by=office,
        created_by=office,
    )
    for number, (reference, heading, text) in enumerate(demo_responses.SECTIONS, start=1):
        ResponseSection.objects.create(
            response=response, recommendation=recommendations[reference], number=number, heading=heading, text=text
        )


def _demo_narrative(force: Force, reference: str, status: str, index: int, themes: list[str], practice: str) -> str:
    """An illustrative answer: what its status means, a sentence for each theme staff coded on it
    and, for some forces, the practice the snapshot quotes. Wordings vary with the force's place in
    the list, so answers differ as real ones do."""
    if force.name == "West Midlands":
        return content.WEST_MIDLANDS[reference][1]
    wordings = content.DEMO_NARRATIVES[status]
    sentences = [content.ILLUSTRATIVE.format(force=force.name) + wordings[index % len(wordings)]]
    for theme in themes:
        variants = content.THEME_SENTENCES.get((reference, theme), [])
        if variants:
            sentences.append(variants[(index + len(sentences)) % len(variants)])
    if practice:
        sentences.append(f"The force {practice}")
    return " ".join(sentences)


def _practice_forces(reference: str, answering: list[Force]) -> dict[str, str]:
    """Which unnamed force's illustrative answer carries each practice the snapshot quotes."""
    candidates = [force for force in answering if force.name != "West Midlands"]
    practice = content.PRACTICE.get(reference, [])
    start = {"2a": 1, "2b": 5, "2c": 9, "2d": 13, "3": 0}.get(reference, 0)
    step = max(1, len(candidates) // max(1, len(practice)))
    return {candidates[(start + step * n) % len(candidates)].name: quote for n, quote in enumerate(practice)}


def _past_round(forces: list[Force], recommendations: dict[str, Recommendation]) -> tuple[Round, int]:
    spec = content.PAST_ROUND
    round, made = Round.objects.get_or_create(
        slug=spec["slug"],
        defaults={"title": spec["title"], "opens_on": _date(spec["opens_on"]), "due_on": _date(spec["due_on"])},
    )
    if not made:
        return round, 0
    in_scope = [recommendations[reference] for reference in content.ROUND_REFERENCES]
    round.recommendations.set(in_scope)
    round.forces_asked.set(forces)
    responders = [force for force in forces if force.name not in content.NON_RESPONDERS]
    answered_at = timezone.make_aware(datetime.datetime.fromisoformat(spec["answered_on"] + "T10:00"))
    created = 0
    for recommendation in in_scope:
        reference = recommendation.reference
        answering = (
            [force for force in responders if force.name in content.RECOMMENDATION_3_FORCES]
            if reference == "3"
            else responders
        )
        cycle = content.STATUS_CYCLES[reference]
        themes = list(recommendation.themes.order_by("name"))
        practice_by_force = _practice_forces(reference, answering)
        for index, force in enumerate(answering):
            if force.name == "West Midlands":
                status = content.WEST_MIDLANDS[reference][0]
            else:
                status = cycle[index % len(cycle)]
            coded = [
                theme
                for position, theme in enumerate(themes)
                if _has_theme(reference, theme.name, force.name, index, position)
            ]
            practice = practice_by_force.get(force.name, "")
            lead = force.memberships.first().user
            status_update_save(
                round=round,
                force=force,
                recommendation=recommendation,
                user=lead,
                expected_version=0,
                status=status,
                narrative=_demo_narrative(force, reference, status, index, [theme.name for theme in coded], practice),
                submit=True,
                created_at=answered_at,
            )
            created += 1
            for theme in coded:
                ThemeCoding.objects.create(round=round, force=force, theme=theme, coded_at=answered_at)
        # Quoted in the order the snapshot gives them (NotablePractice is ordered by when it was chosen).
        by_force = {force.name: force for force in answering}
        for position, (name, quote) in enumerate(practice_by_force.items()):
            NotablePractice.objects.create(
                round=round,
                force=by_force[name],
                recommendation=recommendation,
                quote=quote,
                created_at=answered_at + datetime.timedelta(minutes=position),
            )
    round.closed = True
    round.save()
    return round, created


def _has_theme(reference: str, theme: str, force: str, index: int, position: int) -> bool:
    listed = content.THEME_FORCES.get((reference, theme))
    if listed is not None:
        return force in listed
    if reference == "1" and theme == "HBA referenced in related policies":
        return not any(
            force in content.THEME_FORCES[("1", name)]
            for name in ("Specific HBA policy or SOP", "Reference to HBA being added")
        )
    if reference == "2b" and theme == "IAG in place":
        return force not in content.NO_IAG_COMMENT
    return (index + position) % 3 != 0


def _snapshot(round: Round, recommendations: dict[str, Recommendation]) -> None:
    """The snapshot published on 25 March 2024, frozen as publishing freezes one."""
    spec = content.SNAPSHOT
    if round.snapshots.exists():
        return
    snapshot = Snapshot.objects.create(
        round=round,
        title=spec["title"],
        summary=spec["summary"],
        author=spec["author"],
        contact=spec["contact"],
        introduction=spec["introduction"],
        state=Snapshot.State.PUBLISHED,
        figures=round_rollup(round).to_dict(),
        published_on=_date(spec["published_on"]),
    )
    practice = round_practice(round)
    for reference, summary in spec["summaries"].items():
        recommendation = recommendations[reference]
        SnapshotSection.objects.create(
            snapshot=snapshot,
            recommendation=recommendation,
            summary=summary,
            notable_practice=quoted_practice(
                [item for item in practice if item.recommendation_id == recommendation.pk]
            ),
        )


def _illustrative_report(tvip: dict[str, Recommendation]) -> dict[str, Recommendation]:
    """The invented second report, its recommendations and their links to the TVIP report's."""
    _, illustrative = _report_and_recommendations(
        content.ILLUSTRATIVE_REPORT, content.ILLUSTRATIVE_RECOMMENDATIONS, themes={}
    )
    for tvip_reference, kind, reference, note in content.ILLUSTRATIVE_LINKS:
        RecommendationLink.objects.get_or_create(
            source=tvip[tvip_reference], target=illustrative[reference], defaults={"kind": kind, "note": note}
        )
    return illustrative


def _open_round(
    forces: list[Force],
    recommendations: dict[str, Recommendation],
    illustrative: dict[str, Recommendation],
    today: datetime.date,
) -> Round:
    existing = Round.objects.filter(closed=False, recommendations__report__slug=content.REPORT["slug"]).first()
    if existing:
        return existing
    due = today + datetime.timedelta(days=28)
    title = f"Progress update, {due:%B %Y}"
    round = Round.objects.create(
        title=title,
        slug=f"progress-update-{due:%B-%Y}".lower(),
        opens_on=today - datetime.timedelta(days=7),
        due_on=due,
    )
    round.recommendations.set(
        [recommendations[reference] for reference in content.ROUND_REFERENCES]
        + [illustrative[reference] for reference in content.ILLUSTRATIVE_ROUND_REFERENCES]
    )
    round.forces_asked.set(forces)
    return round


def _extensions(open_round: Round, portfolio) -> None:
    """Durham asked for more time and was granted two weeks; Essex has asked and waits for a decision.
    Written as the record of what happened, like the demo's past round: no email goes to the leads."""
    if open_round.extensions.exists():
        return
    User = get_user_model()
    now = timezone.now()
    for slug, days, reason, granted_note in content.DEMO_EXTENSIONS:
        asked_for = open_round.due_on + datetime.timedelta(days=days)
        decided = (
            {}
            if granted_note is None
            else {
                "state": Extension.State.GRANTED,
                "due_on": asked_for,
                "note": granted_note,
                "decided_by": portfolio,
                "decided_at": now - datetime.timedelta(days=1),
            }
        )
        Extension.objects.create(
            round=open_round,
            force=Force.objects.get(slug=slug),
            asked_for=asked_for,
            reason=reason,
            asked_by=User.objects.get(username=f"lead-{slug}"),
            asked_at=now - datetime.timedelta(days=2),
            **decided,
        )


@transaction.atomic
def demo_load(*, today: datetime.date | None = None) -> DemoSummary:
    """Load everything the demo needs; what exists already is left untouched."""
    if not settings.DEBUG:
        raise DemoRefused("Demo accounts share a published password: the demo loads only with DEBUG on.")
    today = today or timezone.localdate()
    forces = forces_load_all()
    policing_bodies_load_all()
    report, recommendations = _report_and_recommendations()
    if not report.bodies_must_comment:
        report.bodies_must_comment = True
        report.save()
    users_created, portfolio = _users(forces)
    past, answers_created = _past_round(forces, recommendations)
    _snapshot(past, recommendations)
    illustrative = _illustrative_report(recommendations)
    open_round = _open_round(forces, recommendations, illustrative, today)
    _bodies_work(report, recommendations, open_round)
    _extensions(open_round, portfolio)
    return DemoSummary(
        forces=len(forces), users_created=users_created, answers_created=answers_created, open_round=open_round.title
    )
