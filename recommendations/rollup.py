"""The roll-up of a round: one pure function from a round's answers to its figures.

The dashboard, the snapshot and every export read what `compute_rollup` returns; nothing else
counts forces or statuses. It takes plain records (no database access), so it is tested against
hand-counted fixtures; `selectors.round_rollup` feeds it from the database.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from . import rules
from .models import Status


class ForceRecord(NamedTuple):
    id: int
    name: str
    slug: str


class RecommendationRecord(NamedTuple):
    id: int
    reference: str
    title: str
    text: str
    sentence: str = ""
    report_slug: str = ""  # with the reference, what names it in an address
    report_title: str = ""  # the report's short title, naming it where a round spans several reports

    @property
    def anchor(self) -> str:
        """Its id on a page (as Recommendation.anchor)."""
        return recommendation_anchor(self.report_slug, self.reference)


def recommendation_anchor(report_slug: str, reference: str) -> str:
    """A recommendation's id on a page: "recommendation-<report>-<reference>" (Recommendation.anchor)."""
    return "-".join(part for part in ("recommendation", report_slug, reference) if part)


class ThemeRecord(NamedTuple):
    id: int
    recommendation_id: int
    name: str


class AnswerRecord(NamedTuple):
    """A force's last submitted answer to a recommendation."""

    force_id: int
    recommendation_id: int
    status: str
    review_state: str = ""  # rules.answer_review_state


class CodingRecord(NamedTuple):
    force_id: int
    theme_id: int


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class ThemeCount:
    theme_id: int
    name: str
    count: int


@dataclass(frozen=True)
class RecommendationFigures:
    recommendation_id: int
    reference: str
    title: str
    text: str
    asked: int
    answered: int
    status_counts: list[StatusCount]
    theme_counts: list[ThemeCount]
    answered_forces: list[str]
    not_answered_forces: list[str]
    low_coverage: bool
    # The recommendation as one sentence, for headings (figures published before it have none).
    sentence: str = ""
    # Counted answers no reviewer has returned or accepted yet (rules.review_state_needs_review), and
    # answers returned to their force; absent (0) in snapshots published before they were counted.
    needs_review: int = 0
    returned: int = 0
    # The recommendation's report, which with the reference names it in an address (two reports may
    # both have a "1"); absent from snapshots published before it was kept.
    report_slug: str = ""
    report_title: str = ""  # the report's short title (absent from snapshots published before it was kept)

    @property
    def address(self) -> dict[str, str]:
        return {"report_slug": self.report_slug, "reference": self.reference}

    @property
    def anchor(self) -> str:
        """Its id on a page (as Recommendation.anchor)."""
        return recommendation_anchor(self.report_slug, self.reference)

    def count_for(self, status: str) -> int:
        return next((item.count for item in self.status_counts if item.status == status), 0)

    @property
    def no_response(self) -> int:
        """Forces asked that gave no counted answer: derived here, never stored."""
        return self.asked - self.answered

    @property
    def caveat(self) -> str:
        """The sentence the figures carry when coverage is low, or nothing."""
        return rules.low_coverage_sentence(answered=self.answered, asked=self.asked) if self.low_coverage else ""


@dataclass(frozen=True)
class RoundRollup:
    asked: int
    responded: int
    responded_forces: list[str]
    not_responded_forces: list[str]
    recommendations: list[RecommendationFigures] = field(default_factory=list)
    # By id, for the chase list and the reminders (published snapshots from before have none).
    not_responded_force_ids: list[int] = field(default_factory=list)
    needs_review: int = 0  # across every recommendation

    @property
    def responded_percent(self) -> int:
        return round(100 * self.responded / self.asked) if self.asked else 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> RoundRollup:
        recommendations = [
            RecommendationFigures(
                **{
                    **item,
                    "status_counts": [StatusCount(**count) for count in item["status_counts"]],
                    "theme_counts": [ThemeCount(**count) for count in item["theme_counts"]],
                }
            )
            for item in data["recommendations"]
        ]
        return cls(**{**data, "recommendations": recommendations})


def compute_rollup(
    *,
    forces_asked: Iterable[ForceRecord],
    recommendations: Iterable[RecommendationRecord],
    themes: Iterable[ThemeRecord],
    answers: Iterable[AnswerRecord],
    codings: Iterable[CodingRecord],
    low_coverage_share: float,
) -> RoundRollup:
    """Count who responded, and per recommendation who answered, with what status and themes.

    Which answers count, and so who has responded, is `rules.answer_counted`; a recommendation
    is flagged when `rules.coverage_is_low` (as seed 001 flagged recommendation 3, 15 of 43).
    """
    forces = sorted(forces_asked, key=lambda force: force.name)
    force_ids = {force.id for force in forces}
    recommendations = list(recommendations)
    recommendation_ids = {recommendation.id for recommendation in recommendations}

    statuses_by_recommendation: dict[int, dict[int, str]] = defaultdict(dict)
    reviews: dict[int, Counter[str]] = defaultdict(Counter)
    for answer in answers:
        if rules.answer_counted(
            force_id=answer.force_id,
            recommendation_id=answer.recommendation_id,
            forces_asked=force_ids,
            in_scope=recommendation_ids,
        ):
            statuses_by_recommendation[answer.recommendation_id][answer.force_id] = answer.status
            reviews[answer.recommendation_id][answer.review_state] += 1

    themes_by_recommendation: dict[int, list[ThemeRecord]] = defaultdict(list)
    theme_by_id = {}
    for theme in themes:
        themes_by_recommendation[theme.recommendation_id].append(theme)
        theme_by_id[theme.id] = theme

    theme_tally: Counter[int] = Counter()
    for coding in codings:
        theme = theme_by_id.get(coding.theme_id)
        # A theme counts only for a force whose submitted answer it was coded on.
        if theme and coding.force_id in statuses_by_recommendation.get(theme.recommendation_id, {}):
            theme_tally[coding.theme_id] += 1

    responded_ids = {force_id for by_force in statuses_by_recommendation.values() for force_id in by_force}
    asked = len(forces)
    statuses = Status.choices
    figures = []
    for recommendation in recommendations:
        by_force = statuses_by_recommendation.get(recommendation.id, {})
        tally = Counter(by_force.values())
        figures.append(
            RecommendationFigures(
                recommendation_id=recommendation.id,
                reference=recommendation.reference,
                title=recommendation.title,
                text=recommendation.text,
                asked=asked,
                answered=len(by_force),
                status_counts=[StatusCount(value, label, tally[value]) for value, label in statuses],
                theme_counts=sorted(
                    (
                        ThemeCount(theme.id, theme.name, theme_tally[theme.id])
                        for theme in themes_by_recommendation.get(recommendation.id, [])
                    ),
                    key=lambda count: (-count.count, count.name),
                ),
                answered_forces=[force.name for force in forces if force.id in by_force],
                not_answered_forces=[force.name for force in forces if force.id not in by_force],
                low_coverage=rules.coverage_is_low(answered=len(by_force), asked=asked, share=low_coverage_share),
                sentence=recommendation.sentence,
                report_slug=recommendation.report_slug,
                report_title=recommendation.report_title,
                needs_review=sum(
                    count
                    for state, count in reviews[recommendation.id].items()
                    if rules.review_state_needs_review(state)
                ),
                returned=reviews[recommendation.id][rules.ReviewState.RETURNED],
            )
        )
    return RoundRollup(
        asked=asked,
        responded=len(responded_ids),
        responded_forces=[force.name for force in forces if force.id in responded_ids],
        not_responded_forces=[force.name for force in forces if force.id not in responded_ids],
        recommendations=figures,
        not_responded_force_ids=[force.id for force in forces if force.id not in responded_ids],
        needs_review=sum(item.needs_review for item in figures),
    )


class PreviousAnswerRecord(NamedTuple):
    """A force's last submitted answer to a recommendation in the round before."""

    force_id: int
    recommendation_id: int
    status: str


@dataclass(frozen=True)
class Movement:
    from_status: str
    from_label: str
    to_status: str
    to_label: str
    count: int


@dataclass(frozen=True)
class RecommendationMovements:
    recommendation_id: int
    reference: str
    title: str
    compared: int  # forces that answered it in both rounds
    unchanged: int
    movements: list[Movement]

    @property
    def moved(self) -> int:
        return self.compared - self.unchanged


def compute_movements(
    *,
    recommendations: Iterable[RecommendationRecord],
    previous_answers: Iterable[PreviousAnswerRecord | AnswerRecord],
    answers: Iterable[AnswerRecord],
) -> list[RecommendationMovements]:
    """Per recommendation, how many forces moved from one status to another between two rounds.

    Only forces that answered the recommendation in both rounds are compared.
    """
    labels = dict(Status.choices)
    before = {(answer.force_id, answer.recommendation_id): answer.status for answer in previous_answers}
    pairs: dict[int, Counter[tuple[str, str]]] = defaultdict(Counter)
    for answer in answers:
        earlier = before.get((answer.force_id, answer.recommendation_id))
        if earlier is not None:
            pairs[answer.recommendation_id][(earlier, answer.status)] += 1
    order = {value: position for position, (value, _) in enumerate(Status.choices)}

    def in_status_order(item: tuple[tuple[str, str], int]) -> tuple[int, int]:
        (old, new), _ = item
        return order.get(old, len(order)), order.get(new, len(order))

    result = []
    for recommendation in recommendations:
        tally = pairs.get(recommendation.id, Counter())
        result.append(
            RecommendationMovements(
                recommendation_id=recommendation.id,
                reference=recommendation.reference,
                title=recommendation.title,
                compared=sum(tally.values()),
                unchanged=sum(count for (old, new), count in tally.items() if old == new),
                movements=[
                    Movement(old, labels.get(old, old), new, labels.get(new, new), count)
                    for (old, new), count in sorted(tally.items(), key=in_status_order)
                    if old != new
                ],
            )
        )
    return result
