"""Writes for portfolio staff's analysis: coding answers with themes, picking practice to quote,
linking recommendations in different reports that ask the same thing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from forces.models import Force

from .audit import audit_record
from .models import (
    AuditEvent,
    NotablePractice,
    Recommendation,
    RecommendationLink,
    Round,
    StatusUpdate,
    Theme,
    ThemeCoding,
)


def _ensure_submitted_answer(round: Round, force: Force, recommendation: Recommendation) -> None:
    if not StatusUpdate.objects.filter(round=round, force=force, recommendation=recommendation).submitted().exists():
        raise ValidationError(f"{force} has not submitted an answer to {recommendation.name}.")


@transaction.atomic
def theme_create(*, recommendation: Recommendation, name: str) -> Theme:
    theme = Theme(recommendation=recommendation, name=name.strip())
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def answer_coding_set(
    *,
    round: Round,
    force: Force,
    recommendation: Recommendation,
    themes: list[Theme],
    new_theme_name: str = "",
    user,
) -> list[Theme]:
    """Make the themes coded on a force's answer exactly `themes` (plus a new theme, if named).

    Codings kept keep who coded them and when; only the added ones are stamped with `user`.
    """
    _ensure_submitted_answer(round, force, recommendation)
    if any(theme.recommendation_id != recommendation.id for theme in themes):
        raise ValidationError("A theme can only be coded on answers to its own recommendation.")
    chosen = list(themes)
    if new_theme_name.strip():
        chosen.append(theme_create(recommendation=recommendation, name=new_theme_name))
    chosen_ids = {theme.id for theme in chosen}
    existing = ThemeCoding.objects.filter(round=round, force=force, theme__recommendation=recommendation)
    removed = list(existing.exclude(theme_id__in=chosen_ids).select_related("theme"))
    existing.filter(pk__in=[coding.pk for coding in removed]).delete()
    kept = set(existing.values_list("theme_id", flat=True))
    added = [theme for theme in chosen if theme.id not in kept]
    now = timezone.now()
    for theme in added:
        coding = ThemeCoding(round=round, force=force, theme=theme, coded_by=user, coded_at=now)
        coding.full_clean()
        coding.save()
    if added or removed:
        changes = [f"added {theme.name}" for theme in added] + [f"removed {coding.theme.name}" for coding in removed]
        audit_record(
            action=AuditEvent.Action.ANSWER_CODED,
            summary=f"Themes on the answer to {recommendation.name}: {'; '.join(changes)}",
            actor=user,
            force=force,
            round=round,
        )
    return chosen


@transaction.atomic
def notable_practice_add(
    *, round: Round, force: Force, recommendation: Recommendation, quote: str, name_force: bool = False, user
) -> NotablePractice:
    """Pick a passage of a force's answer to quote in the snapshot, as "One force" unless named."""
    _ensure_submitted_answer(round, force, recommendation)
    practice = NotablePractice(
        round=round,
        force=force,
        recommendation=recommendation,
        quote=quote.strip(),
        name_force=name_force,
        created_by=user,
    )
    practice.full_clean()
    practice.save()
    audit_record(
        action=AuditEvent.Action.PRACTICE_QUOTED,
        summary=f"Practice quoted from the answer to {recommendation.name}: {practice.quote}",
        actor=user,
        force=force,
        round=round,
    )
    return practice


@transaction.atomic
def notable_practice_delete(*, practice: NotablePractice, user) -> None:
    audit_record(
        action=AuditEvent.Action.PRACTICE_UNQUOTED,
        summary=f"Practice no longer quoted from the answer to recommendation "
        f"{practice.recommendation.reference}: {practice.quote}",
        actor=user,
        force=practice.force,
        round=practice.round,
    )
    practice.delete()


@transaction.atomic
def suggested_theme_accept(*, round: Round, force: Force, theme: Theme, user) -> ThemeCoding:
    """A person accepts a suggested theme (suggestions.theme_suggestions): only now is it coded on
    the answer, stamped with who accepted it, and the audit trail says it came from a suggestion."""
    _ensure_submitted_answer(round, force, theme.recommendation)
    coding, created = ThemeCoding.objects.get_or_create(
        round=round, force=force, theme=theme, defaults={"coded_by": user, "coded_at": timezone.now()}
    )
    if created:
        audit_record(
            action=AuditEvent.Action.SUGGESTION_ACCEPTED,
            summary=f"Suggested theme accepted on the answer to {theme.recommendation.name}: {theme.name}",
            actor=user,
            force=force,
            round=round,
        )
    return coding


@transaction.atomic
def recommendation_link_add(
    *, source: Recommendation, kind: str, target: Recommendation, note: str = "", user
) -> RecommendationLink:
    """Link two recommendations of different reports (rules.link_problem), so a force's answer to
    `source` can be reused for `target` (and the other way round when they are the same)."""
    # Lock both so two staff linking the same pair at once cannot both pass the check.
    list(Recommendation.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk"))
    link = RecommendationLink(source=source, kind=kind, target=target, note=note, created_by=user)
    link.full_clean(validate_constraints=False)  # RecommendationLink.clean asks rules.link_problem
    link.save()
    audit_record(
        action=AuditEvent.Action.RECOMMENDATIONS_LINKED,
        summary=f"{source.name} {link.get_kind_display()} {target.name}" + (f": {note}" if note else ""),
        actor=user,
    )
    return link


@transaction.atomic
def recommendation_link_remove(*, link: RecommendationLink, user) -> None:
    """Unlink two recommendations. Answers already reused through the link keep saying where they
    came from: that is their history."""
    audit_record(
        action=AuditEvent.Action.RECOMMENDATIONS_UNLINKED,
        summary=f"{link.source.name} no longer linked to {link.target.name}",
        actor=user,
    )
    link.delete()
