"""Snapshots: drafting one from a round's roll-up, editing it, publishing (freezing) it, correcting it.

A draft reads the round's figures and quoted practice live; publishing copies both into the
snapshot (`Snapshot.figures`, `SnapshotSection.notable_practice`), and from then on the page and
every download read only those copies, so later changes to answers never change what was published.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import markup
from .audit import audit_record
from .models import AuditEvent, NotablePractice, Round, Snapshot, SnapshotSection, Status
from .rollup import RecommendationFigures, RoundRollup
from .selectors import round_practice, round_recommendations, round_rollup

_SMALL_NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


class SnapshotPublished(Exception):
    """A published snapshot is frozen: it cannot be changed, only corrected by a new one."""


def number_in_words(count: int, *, capital: bool = False) -> str:
    """GOV.UK style as seed 001 writes it: words below ten ("Five forces"), numerals from ten ("15")."""
    text = _SMALL_NUMBERS[count] if 0 <= count < len(_SMALL_NUMBERS) else str(count)
    return text[:1].upper() + text[1:] if capital else text


def _forces(count: int) -> str:
    return "force" if count == 1 else "forces"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def round_figure_values(rollup: RoundRollup) -> dict[str, int]:
    """The figures an introduction can state, by placeholder name (markup.fill_figures)."""
    return {"asked": rollup.asked, "responded": rollup.responded, "not_responded": rollup.asked - rollup.responded}


def recommendation_figure_values(figures: RecommendationFigures, rollup: RoundRollup | None = None) -> dict[str, int]:
    """The figures a recommendation's summary can state, by placeholder name (lower case)."""
    values = round_figure_values(rollup) if rollup is not None else {"asked": figures.asked}
    values.update(answered=figures.answered, not_answered=figures.no_response)
    for count in figures.status_counts:
        values[f"status:{count.label.lower()}"] = count.count
        values[f"status:{count.status}"] = count.count
    for theme in figures.theme_counts:
        values[f"theme:{theme.name.lower()}"] = theme.count
    return values


def fill_figures(text: str, values: dict[str, int]) -> str:
    """The text with its figures written in, as GOV.UK writes numbers."""
    return markup.fill_figures(text, values, words=number_in_words)


def summary_template(figures: RecommendationFigures) -> str:
    """A first draft of a recommendation's summary, made from its figures, for staff to edit.

    One paragraph per sentence, as seed 001 sets them out. Every count is a placeholder, so the
    sentences follow the round's answers until the snapshot is published. The response count and
    the low-coverage warning are published beside the summary, so it does not repeat them.
    """
    if figures.answered == 0:
        return "None of the {asked} forces responded to this recommendation."
    paragraphs = []
    said = [
        f"{{status:{count.status}}} as {count.label.lower()}"
        for count in figures.status_counts
        if count.count and count.status != Status.WILL_NOT_IMPLEMENT
    ]
    if said:
        said[0] = said[0].replace(" as ", " reported it as ", 1)
        paragraphs.append(f"Of the forces that responded, {_join(said)}.")

    for theme in figures.theme_counts:
        if theme.count:
            verb = "force's answer was" if theme.count == 1 else "forces' answers were"
            paragraphs.append(f"{{Theme:{theme.name}}} {verb} coded \u201c{theme.name}\u201d.")

    refusing = figures.count_for(Status.WILL_NOT_IMPLEMENT)
    if refusing:
        paragraphs.append(
            f"{{Status:{Status.WILL_NOT_IMPLEMENT.value}}} {_forces(refusing)} said they will not implement it."
        )
    else:
        paragraphs.append("There were no forces who said they will not implement it.")
    return "\n\n".join(paragraphs)


def summary_sentences(figures: RecommendationFigures) -> str:
    """The drafted summary with its figures written in."""
    return fill_figures(summary_template(figures), recommendation_figure_values(figures))


def quoted_practice(practice: list[NotablePractice]) -> list[dict]:
    """The practice as the snapshot quotes it, attributed as rules.practice_attribution says.

    The force's name is not stored at all when it is not to be shown, so no download can leak it.
    """
    return [{"attribution": item.attribution, "quote": item.quote} for item in practice]


def snapshot_figures(snapshot: Snapshot) -> RoundRollup:
    """The figures a snapshot shows: frozen at publication, live from the round while a draft."""
    if snapshot.state == Snapshot.State.PUBLISHED:
        return RoundRollup.from_dict(snapshot.figures)
    return round_rollup(snapshot.round)


def snapshot_sections(snapshot: Snapshot) -> list[SnapshotSection]:
    """The sections in recommendation order; a draft's quoted practice is read live from the round."""
    sections = list(snapshot.sections.select_related("recommendation").order_by("recommendation__order"))
    if snapshot.state == Snapshot.State.DRAFT:
        practice = round_practice(snapshot.round)
        for section in sections:
            section.notable_practice = quoted_practice(
                [item for item in practice if item.recommendation_id == section.recommendation_id]
            )
    return sections


def _ensure_draft(snapshot: Snapshot) -> None:
    if snapshot.state != Snapshot.State.DRAFT:
        raise SnapshotPublished(f"{snapshot} is published and cannot be changed.")


@transaction.atomic
def snapshot_draft(*, round: Round, user, title: str = "", updates_snapshot: Snapshot | None = None) -> Snapshot:
    """A new draft snapshot of the round, each recommendation's summary drafted from its figures.

    A correction (`updates_snapshot`) starts from the text of the snapshot it corrects.
    """
    if updates_snapshot is not None and updates_snapshot.state != Snapshot.State.PUBLISHED:
        raise ValidationError("Only a published snapshot can be corrected.")
    rollup = round_rollup(round)
    earlier = {}
    if updates_snapshot is not None:
        earlier = {section.recommendation_id: section for section in updates_snapshot.sections.all()}
    snapshot = Snapshot(
        round=round,
        title=title or (updates_snapshot.title if updates_snapshot else f"Consolidated snapshot: {round.title}"),
        introduction=updates_snapshot.introduction if updates_snapshot else "",
        **(
            {name: getattr(updates_snapshot, name) for name in ("summary", "author", "contact", "headings")}
            if updates_snapshot
            else {}
        ),
        state=Snapshot.State.DRAFT,
        updates_snapshot=updates_snapshot,
    )
    snapshot.full_clean()
    snapshot.save()
    figures_by_id = {figures.recommendation_id: figures for figures in rollup.recommendations}
    for recommendation in round_recommendations(round):
        figures = figures_by_id.get(recommendation.id)
        if figures is None:
            continue
        before = earlier.get(recommendation.id)
        SnapshotSection.objects.create(
            snapshot=snapshot,
            recommendation=recommendation,
            summary=before.summary if before else summary_template(figures),
            show_status_counts=before.show_status_counts if before else False,
            show_theme_counts=before.show_theme_counts if before else False,
            show_charts=before.show_charts if before else False,
        )
    audit_record(
        action=AuditEvent.Action.SNAPSHOT_DRAFTED,
        summary=f"Snapshot drafted: {snapshot.title}"
        + (
            f" (a correction of the snapshot of {updates_snapshot.published_on:%d %B %Y})"
            if updates_snapshot is not None
            else ""
        ),
        actor=user,
        round=round,
    )
    return snapshot


@transaction.atomic
def snapshot_update(
    *,
    snapshot: Snapshot,
    title: str,
    introduction: str,
    user,
    summary: str | None = None,
    author: str | None = None,
    contact: str | None = None,
    headings: str | None = None,
) -> Snapshot:
    """Change a draft's title and introduction and, when given, its GOV.UK summary, author, contact
    and how its recommendations are headed."""
    snapshot = Snapshot.objects.select_for_update().get(pk=snapshot.pk)
    _ensure_draft(snapshot)
    snapshot.title = title
    snapshot.introduction = introduction
    for name, value in (("summary", summary), ("author", author), ("contact", contact), ("headings", headings)):
        if value is not None:
            setattr(snapshot, name, value)
    snapshot.full_clean()
    snapshot.save(update_fields=["title", "introduction", "summary", "author", "contact", "headings"])
    audit_record(
        action=AuditEvent.Action.SNAPSHOT_EDITED,
        summary=f"Snapshot's title and introduction edited: {snapshot.title}",
        actor=user,
        round=snapshot.round,
    )
    return snapshot


@transaction.atomic
def snapshot_section_update(
    *,
    section: SnapshotSection,
    summary: str,
    user,
    show_status_counts: bool | None = None,
    show_theme_counts: bool | None = None,
    show_charts: bool | None = None,
) -> SnapshotSection:
    """Change a draft's summary for one recommendation and, when given, which counts it publishes."""
    snapshot = Snapshot.objects.select_for_update().get(pk=section.snapshot_id)
    _ensure_draft(snapshot)
    section.summary = summary
    for name, value in (
        ("show_status_counts", show_status_counts),
        ("show_theme_counts", show_theme_counts),
        ("show_charts", show_charts),
    ):
        if value is not None:
            setattr(section, name, value)
    section.full_clean()
    section.save(update_fields=["summary", "show_status_counts", "show_theme_counts", "show_charts"])
    audit_record(
        action=AuditEvent.Action.SNAPSHOT_EDITED,
        summary=f"Summary for {section.recommendation.name} edited: {snapshot.title}",
        actor=user,
        round=snapshot.round,
    )
    return section


@transaction.atomic
def snapshot_publish(*, snapshot: Snapshot, user, today: datetime.date | None = None) -> Snapshot:
    """Freeze the snapshot: copy the round's figures and quoted practice into it, as they are now."""
    snapshot = Snapshot.objects.select_for_update().get(pk=snapshot.pk)
    _ensure_draft(snapshot)
    practice = round_practice(snapshot.round)
    for section in snapshot.sections.all():
        section.notable_practice = quoted_practice(
            [item for item in practice if item.recommendation_id == section.recommendation_id]
        )
        section.full_clean()
        section.save(update_fields=["notable_practice"])
    snapshot.figures = round_rollup(snapshot.round).to_dict()
    snapshot.state = Snapshot.State.PUBLISHED
    snapshot.published_on = today or timezone.localdate()
    snapshot.published_by = user
    snapshot.full_clean()
    snapshot.save()
    audit_record(
        action=AuditEvent.Action.SNAPSHOT_PUBLISHED,
        summary=f"Snapshot published: {snapshot.title}"
        + (
            f" (updates the snapshot of {snapshot.updates_snapshot.published_on:%d %B %Y})"
            if snapshot.updates_snapshot
            else ""
        ),
        actor=user,
        round=snapshot.round,
    )
    return snapshot
