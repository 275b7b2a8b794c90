"""Suggested themes and similar answers, learnt on the server from what staff have already coded.

For an answer, the themes staff coded on the answers to the same recommendation that read most like
it (TF-IDF over the answers' words, cosine nearest neighbours, scikit-learn): a theme is suggested
when its neighbours carrying it hold enough of the neighbours' similarity
(rules.theme_suggested). Each suggestion carries the coded answers that justify it. Nothing here
writes: a suggestion becomes a coding only when a person accepts it (analysis.suggested_theme_accept,
which records who did in the audit trail). Nothing leaves the server.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from . import rules
from .models import Recommendation, StatusUpdate, Theme, ThemeCoding


@dataclass(frozen=True)
class CodedText:
    """A submitted answer staff have coded, as the suggestions learn from it."""

    round_id: int
    force_id: int
    force_name: str
    round_title: str
    text: str
    theme_ids: frozenset[int]


@dataclass(frozen=True)
class Suggestion:
    theme: Theme
    share: float  # of the neighbours' similarity, held by those coded with the theme
    because: list[CodedText]  # the coded answers that justify it, most similar first


@dataclass(frozen=True)
class SimilarAnswer:
    answer: StatusUpdate
    similarity: float


def _text(answer: StatusUpdate) -> str:
    return " ".join(part for part in (answer.narrative, answer.not_applicable_reason) if part)


def coded_texts(recommendation: Recommendation | int) -> list[CodedText]:
    """Every coded submitted answer to the recommendation, in any round (two queries)."""
    codings: dict[tuple[int, int], set[int]] = defaultdict(set)
    for round_id, force_id, theme_id in ThemeCoding.objects.filter(theme__recommendation=recommendation).values_list(
        "round_id", "force_id", "theme_id"
    ):
        codings[(round_id, force_id)].add(theme_id)
    answers = (
        StatusUpdate.objects.submitted()
        .filter(recommendation=recommendation)
        .select_related("force", "round")
        .order_by("round_id", "force__name")
    )
    return [
        CodedText(a.round_id, a.force_id, a.force.name, a.round.title, _text(a), frozenset(codings[key]))
        for a in answers
        if (key := (a.round_id, a.force_id)) in codings and _text(a).strip()
    ]


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True, min_df=1)


def suggest_from(text: str, examples: list[CodedText]) -> list[tuple[int, float, list[CodedText]]]:
    """(theme id, share, justifying examples) for a text, from coded examples; pure, no database."""
    if not examples or not text.strip():
        return []
    vectorizer = _vectorizer()
    try:
        matrix = vectorizer.fit_transform([example.text for example in examples] + [text])
    except ValueError:  # nothing but stop words
        return []
    similarities = cosine_similarity(matrix[-1], matrix[:-1])[0]
    ranked = sorted(range(len(examples)), key=lambda i: -similarities[i])[: rules.SUGGESTION_NEIGHBOURS]
    neighbours = [i for i in ranked if similarities[i] >= rules.SUGGESTION_MIN_SIMILARITY]
    total = sum(similarities[i] for i in neighbours)
    by_theme: dict[int, list[int]] = defaultdict(list)
    for i in neighbours:
        for theme_id in examples[i].theme_ids:
            by_theme[theme_id].append(i)
    result = []
    for theme_id, holders in by_theme.items():
        weight = sum(similarities[i] for i in holders)
        if rules.theme_suggested(theme_similarity=weight, total_similarity=total):
            result.append((theme_id, float(weight / total), [examples[i] for i in holders]))
    return sorted(result, key=lambda item: -item[1])


def theme_suggestions(answer: StatusUpdate, coded_theme_ids: list[int]) -> list[Suggestion]:
    """Themes suggested for an answer, not already coded on it (three queries)."""
    examples = [
        example
        for example in coded_texts(answer.recommendation_id)
        if (example.round_id, example.force_id) != (answer.round_id, answer.force_id)
    ]
    found = [item for item in suggest_from(_text(answer), examples) if item[0] not in coded_theme_ids]
    # Always read (not skipped when nothing is suggested), so the page makes the same queries either way.
    themes = {theme.pk: theme for theme in Theme.objects.filter(recommendation_id=answer.recommendation_id)}
    return [Suggestion(themes[theme_id], share, because) for theme_id, share, because in found if theme_id in themes]


def similar_answers(answer: StatusUpdate, *, limit: int = 3) -> list[SimilarAnswer]:
    """The few submitted answers in the same round that read most like this one, any recommendation,
    other forces only (one query)."""
    others = [
        other
        for other in StatusUpdate.objects.submitted()
        .filter(round_id=answer.round_id)
        .exclude(force_id=answer.force_id)
        .select_related("force", "recommendation__report")
        .order_by("force__name", "recommendation__reference")
        if _text(other).strip()
    ]
    if not others or not _text(answer).strip():
        return []
    try:
        matrix = _vectorizer().fit_transform([_text(other) for other in others] + [_text(answer)])
    except ValueError:
        return []
    similarities = cosine_similarity(matrix[-1], matrix[:-1])[0]
    ranked = sorted(range(len(others)), key=lambda i: -similarities[i])[:limit]
    return [SimilarAnswer(others[i], float(similarities[i])) for i in ranked if similarities[i] > 0.1]


@dataclass(frozen=True)
class Evaluation:
    reference: str
    title: str
    coded: int
    suggested: int
    correct: int
    themes_coded: int

    @property
    def precision(self) -> float | None:
        return self.correct / self.suggested if self.suggested else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.themes_coded if self.themes_coded else None


def evaluate(recommendation: Recommendation) -> Evaluation:
    """Leave-one-out on the existing codings: each coded answer's themes suggested from all the
    others, compared with what staff coded."""
    examples = coded_texts(recommendation)
    suggested = correct = themes_coded = 0
    for position, example in enumerate(examples):
        found = {
            theme_id for theme_id, _, _ in suggest_from(example.text, examples[:position] + examples[position + 1 :])
        }
        suggested += len(found)
        correct += len(found & example.theme_ids)
        themes_coded += len(example.theme_ids)
    return Evaluation(recommendation.reference, recommendation.title, len(examples), suggested, correct, themes_coded)
