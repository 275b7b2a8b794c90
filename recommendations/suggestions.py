"""Suggested themes and similar answers, learnt on the server from what staff have already coded.

For an answer, the themes staff coded on the answers to the same recommendation that read most like
it (TF-IDF over the answers' words, cosine nearest neighbours, scikit-learn): a theme is suggested
when its neighbours carrying it hold enough of the neighbours' similarity
(rules.theme_suggested). Each suggestion carries the coded answers that justify it. Nothing here
writes: a suggestion becomes a coding only when a person accepts it (analysis.suggested_theme_accept,
which records who did in the audit trail). Nothing leaves the server.

What the answer page needs is learnt once and cached under the figures' revision numbers (the same
numbers `selectors.figures` keys the round's figures by, raised by the database with every write
to answers, codings, themes, forces and rounds), so a warm page reads neither every round's coded
answers nor every answer in the round: a recommendation's coded answers with their fitted TF-IDF
(`coded_model`, keyed by every number: they come from every round), and a round's submitted
answers as TF-IDF rows (`round_model`, keyed by the round's number and every round's). A page then
compares one answer's row with the cached rows and reads the few answers it shows.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

import numpy
from django.core.cache import cache
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from . import rules
from .models import FiguresRevision, Recommendation, StatusUpdate, Theme, ThemeCoding

# As long as the figures are kept: the keys move with every write, this only bounds the memory.
MODEL_CACHE_SECONDS = 600


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


def _neighbour_themes(similarities, examples: list[CodedText]) -> list[tuple[int, float, list[CodedText]]]:
    """(theme id, share, justifying examples) from each example's similarity to a text."""
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


def suggest_from(text: str, examples: list[CodedText]) -> list[tuple[int, float, list[CodedText]]]:
    """(theme id, share, justifying examples) for a text, from coded examples; pure, no database."""
    if not examples or not text.strip():
        return []
    vectorizer = _vectorizer()
    try:
        matrix = vectorizer.fit_transform([example.text for example in examples] + [text])
    except ValueError:  # nothing but stop words
        return []
    return _neighbour_themes(cosine_similarity(matrix[-1], matrix[:-1])[0], examples)


def _revisions_key(prefix: str, revisions: dict[int, int], scopes: list[int] | None = None) -> str:
    """A key that moves with the given revision numbers (every one, if no scopes are named)."""
    items = sorted(revisions.items()) if scopes is None else [(scope, revisions.get(scope, 0)) for scope in scopes]
    numbers = ",".join(f"{scope}:{number}" for scope, number in items)
    return f"{prefix}:" + hashlib.sha256(numbers.encode()).hexdigest()


@dataclass(frozen=True)
class CodedModel:
    """A recommendation's coded answers and its themes, with TF-IDF fitted on the answers' words."""

    examples: list[CodedText]
    vectorizer: TfidfVectorizer | None  # None when nothing is coded, or only stop words are
    matrix: csr_matrix | None
    themes: dict[int, Theme]


def coded_model(recommendation_id: int, revisions: dict[int, int]) -> CodedModel:
    """The recommendation's coded answers, fitted, from the cache while no revision has moved (three
    queries when they are not cached: the codings, the coded answers, the themes)."""
    key = _revisions_key(f"coded-model:{recommendation_id}", revisions)
    model = cache.get(key)
    if model is None:
        examples = coded_texts(recommendation_id)
        vectorizer = matrix = None
        if examples:
            vectorizer = _vectorizer()
            try:
                matrix = vectorizer.fit_transform([example.text for example in examples])
            except ValueError:  # nothing but stop words
                vectorizer = None
        themes = {theme.pk: theme for theme in Theme.objects.filter(recommendation_id=recommendation_id)}
        model = CodedModel(examples, vectorizer, matrix, themes)
        cache.set(key, model, MODEL_CACHE_SECONDS)
    return model


def theme_suggestions(answer: StatusUpdate, coded_theme_ids: list[int], revisions: dict[int, int]) -> list[Suggestion]:
    """Themes suggested for an answer, not already coded on it, from the answers coded on the same
    recommendation in every round but this answer itself (no query while the model is cached).

    `revisions` are the figures' revision numbers this request read (`selectors.figures_revisions`)."""
    model = coded_model(answer.recommendation_id, revisions)
    text = _text(answer)
    if model.vectorizer is None or not text.strip():
        return []
    keep = [
        i
        for i, example in enumerate(model.examples)
        if (example.round_id, example.force_id) != (answer.round_id, answer.force_id)
    ]
    if not keep:
        return []
    similarities = cosine_similarity(model.vectorizer.transform([text]), model.matrix[keep])[0]
    found = _neighbour_themes(similarities, [model.examples[i] for i in keep])
    return [
        Suggestion(model.themes[theme_id], share, because)
        for theme_id, share, because in found
        if theme_id not in coded_theme_ids and theme_id in model.themes
    ]


@dataclass(frozen=True)
class RoundModel:
    """A round's submitted answers with any words, as TF-IDF rows (normalised, so a row's dot product
    with another is their cosine similarity), and the vectoriser to place another text among them."""

    answer_ids: list[int]
    force_ids: list[int]
    rows: dict[int, int]  # answer id -> its row
    vectorizer: TfidfVectorizer | None
    matrix: csr_matrix | None


def round_model(round_id: int, revisions: dict[int, int]) -> RoundModel:
    """The round's answers, fitted, from the cache while neither the round's revision nor every
    round's has moved (one query, of their ids, forces and words, when they are not cached)."""
    key = _revisions_key(f"round-model:{round_id}", revisions, [FiguresRevision.ALL_ROUNDS, round_id])
    model = cache.get(key)
    if model is None:
        answers = [
            (pk, force_id, text)
            for pk, force_id, narrative, reason in StatusUpdate.objects.submitted()
            .filter(round_id=round_id)
            .order_by("pk")
            .values_list("pk", "force_id", "narrative", "not_applicable_reason")
            if (text := " ".join(part for part in (narrative, reason) if part)).strip()
        ]
        vectorizer = matrix = None
        if answers:
            vectorizer = _vectorizer()
            try:
                matrix = vectorizer.fit_transform([text for _, _, text in answers]).tocsr()
            except ValueError:  # nothing but stop words
                vectorizer = None
        model = RoundModel(
            [pk for pk, _, _ in answers],
            [force_id for _, force_id, _ in answers],
            {pk: row for row, (pk, _, _) in enumerate(answers)},
            vectorizer,
            matrix,
        )
        cache.set(key, model, MODEL_CACHE_SECONDS)
    return model


def similar_answers(answer: StatusUpdate, revisions: dict[int, int], *, limit: int = 3) -> list[SimilarAnswer]:
    """The few submitted answers in the same round that read most like this one, any recommendation,
    other forces only (one query, of those answers, while the round's model is cached)."""
    model = round_model(answer.round_id, revisions)
    if model.vectorizer is None or not _text(answer).strip():
        return []
    row = model.rows.get(answer.pk)
    vector = model.matrix[row] if row is not None else model.vectorizer.transform([_text(answer)])
    similarities = (model.matrix @ vector.T).toarray().ravel()
    ranked = []
    for i in numpy.argsort(-similarities, kind="stable"):  # most similar first; the same, in the round's order
        if similarities[i] <= 0.1 or len(ranked) == limit:
            break
        if model.force_ids[i] != answer.force_id:
            ranked.append(int(i))
    if not ranked:
        return []
    found = {
        other.pk: other
        for other in StatusUpdate.objects.filter(pk__in=[model.answer_ids[i] for i in ranked])
        .select_related("force", "recommendation__report")
        .only(
            "round_id",
            "narrative",
            "not_applicable_reason",
            "force__name",
            "force__slug",
            "recommendation__reference",
            "recommendation__report__slug",
            "recommendation__report__short_title",
        )
    }
    return [SimilarAnswer(found[model.answer_ids[i]], float(similarities[i])) for i in ranked]


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
