"""Loads the demo: forces, the TVIP report, a closed round reproducing the NPCC's March 2024
snapshot, an open round for leads to answer, and demo accounts. Running it again adds nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from forces.models import Force, ForceMembership
from forces.services import forces_load_all

from . import demo_content as content
from .models import Recommendation, Report, Round, Snapshot, SnapshotSection, Theme, ThemeCoding
from .rules import ANONYMOUS_ATTRIBUTION
from .selectors import round_rollup
from .services import portfolio_group_ensure, status_update_save


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


def _report_and_recommendations() -> tuple[Report, dict[str, Recommendation]]:
    data = content.REPORT
    report, _ = Report.objects.get_or_create(
        slug=data["slug"],
        defaults={
            **{key: value for key, value in data.items() if key != "slug"},
            "published_on": _date(data["published_on"]),
        },
    )
    by_reference: dict[str, Recommendation] = {}
    for reference, parent, title, text, addressee, order in content.RECOMMENDATIONS:
        by_reference[reference], _ = Recommendation.objects.get_or_create(
            report=report,
            reference=reference,
            defaults={
                "parent": by_reference.get(parent),
                "title": title,
                "text": text,
                "addressee": addressee,
                "order": order,
            },
        )
    for reference, names in content.THEMES.items():
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
    return created, portfolio


def _demo_narrative(force: Force, reference: str, status: str) -> str:
    if force.name == "West Midlands":
        return content.WEST_MIDLANDS[reference][1]
    return content.ILLUSTRATIVE.format(force=force.name) + content.DEMO_NARRATIVES[status]


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
        for index, force in enumerate(answering):
            if force.name == "West Midlands":
                status = content.WEST_MIDLANDS[reference][0]
            else:
                status = cycle[index % len(cycle)]
            lead = force.memberships.first().user
            status_update_save(
                round=round,
                force=force,
                recommendation=recommendation,
                user=lead,
                expected_version=0,
                status=status,
                narrative=_demo_narrative(force, reference, status),
                submit=True,
                created_at=answered_at,
            )
            created += 1
            for position, theme in enumerate(themes):
                if _has_theme(reference, theme.name, force.name, index, position):
                    ThemeCoding.objects.create(round=round, force=force, theme=theme, coded_at=answered_at)
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
    spec = content.SNAPSHOT
    if round.snapshots.exists():
        return
    snapshot = Snapshot.objects.create(
        round=round,
        title=spec["title"],
        introduction=spec["introduction"],
        state=Snapshot.State.PUBLISHED,
        figures=round_rollup(round).to_dict(),
        published_on=_date(spec["published_on"]),
    )
    for reference, summary in spec["summaries"].items():
        SnapshotSection.objects.create(
            snapshot=snapshot,
            recommendation=recommendations[reference],
            summary=summary,
            notable_practice=[
                {"attribution": ANONYMOUS_ATTRIBUTION, "quote": quote} for quote in SNAPSHOT_PRACTICE.get(reference, [])
            ],
        )


# Practice the published snapshot quotes, anonymised as it was there (seed 001, sections 2.2 and 2.5).
SNAPSHOT_PRACTICE = {
    "2a": [
        "has developed Community Engagement Guides which provide advice and guidance to staff about potential "
        "cultural barriers and etiquette.",
    ],
    "2d": [
        "has 54 dedicated HBA Champions to provide best practice and insights on HBA.",
        "hosted a HBA conference with policing partners and subject matter experts to better understand "
        "culturally harmful practices.",
    ],
}


def _open_round(forces: list[Force], recommendations: dict[str, Recommendation], today: datetime.date) -> Round:
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
    round.recommendations.set([recommendations[reference] for reference in content.ROUND_REFERENCES])
    round.forces_asked.set(forces)
    return round


@transaction.atomic
def demo_load(*, today: datetime.date | None = None) -> DemoSummary:
    """Load everything the demo needs; what exists already is left untouched."""
    if not settings.DEBUG:
        raise DemoRefused("Demo accounts share a published password: the demo loads only with DEBUG on.")
    today = today or timezone.localdate()
    forces = forces_load_all()
    _, recommendations = _report_and_recommendations()
    users_created, _ = _users(forces)
    past, answers_created = _past_round(forces, recommendations)
    _snapshot(past, recommendations)
    open_round = _open_round(forces, recommendations, today)
    return DemoSummary(
        forces=len(forces), users_created=users_created, answers_created=answers_created, open_round=open_round.title
    )
