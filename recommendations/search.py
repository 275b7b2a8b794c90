"""Search across every force's answers in every round and report, for staff.

On PostgreSQL: full-text search (`websearch_to_tsquery` in English, so "Karma Nirvana" in quotes
is a phrase and words are stemmed), ranked with `ts_rank`, with highlighted extracts from
`ts_headline`, served by a GIN index on the same expression (migration 0012). On SQLite, the
embedded default, a simple fallback: every word or quoted phrase must appear at the start of a
word, case aside; ranked by how often they appear; the extract cut around the first match. On the
demo both find the same answers (tests/recommendations/test_search.py).

Reads each force's last submitted answer (what staff review and the figures count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from forces.models import Force

from .models import Recommendation, Report, Round, StatusUpdate, Theme, ThemeCoding

SEARCH_CONFIG = "english"
# Markers ts_headline puts around a match: private-use characters no answer contains, so the extract
# can be escaped first and the markers then turned into <mark>.
_START, _STOP = "\ue000", "\ue001"
EXTRACT_WORDS = 30


def search_vector() -> SearchVector:
    """What is searched: the progress update and the reason a recommendation does not apply. The
    GIN index in migration 0012 is built on exactly this expression."""
    return SearchVector("narrative", "not_applicable_reason", config=SEARCH_CONFIG)


@dataclass(frozen=True)
class SearchFilters:
    round_id: int | None = None
    report_id: int | None = None
    recommendation_id: int | None = None
    status: str = ""
    theme_id: int | None = None
    force_id: int | None = None
    country: str = ""


@dataclass(frozen=True)
class SearchHit:
    answer: StatusUpdate
    extract: SafeString


# What a result shows: its force, recommendation and round (the link and the heading), its status and
# review state, and the words the extract is cut from.
RESULT_COLUMNS = (
    "round__slug",
    "round__title",
    "round__opens_on",
    "force__slug",
    "force__name",
    "recommendation__reference",
    "recommendation__report__slug",
    "recommendation__report__short_title",
    "status",
    "state",
    "review",
    "is_resubmission",
    "narrative",
    "not_applicable_reason",
)


@dataclass(frozen=True)
class FilterChoices:
    """The (value, label) choices of the search's filters. Recommendations are listed for one report
    and themes for one recommendation (the one chosen, or the one the chosen item belongs to), so the
    form costs the same however many reports the portfolio holds."""

    rounds: list[tuple[int, str]]
    reports: list[tuple[int, str]]
    recommendations: list[tuple[int, str]]
    themes: list[tuple[int, str]]
    forces: list[tuple[int, str]]


def filter_choices(*, report_id: int | None, recommendation_id: int | None, theme_id: int | None) -> FilterChoices:
    """Three queries (the rounds, reports and forces), one more for a report's recommendations when a
    report or recommendation is chosen, one more for a recommendation's themes when a recommendation
    or theme is chosen."""
    recommendations = []
    if report_id or recommendation_id:
        report = report_id or Subquery(Recommendation.objects.filter(pk=recommendation_id).values("report_id"))
        recommendations = [
            (pk, f"{short_title} {reference}. {title}")
            for pk, short_title, reference, title in Recommendation.objects.filter(report_id=report).values_list(
                "pk", "report__short_title", "reference", "title"
            )
        ]
    themes = []
    if recommendation_id or theme_id:
        recommendation = recommendation_id or Subquery(Theme.objects.filter(pk=theme_id).values("recommendation_id"))
        themes = [
            (pk, f"{name} ({reference})")
            for pk, name, reference in Theme.objects.filter(recommendation_id=recommendation)
            .order_by("name", "pk")
            .values_list("pk", "name", "recommendation__reference")
        ]
    return FilterChoices(
        rounds=list(Round.objects.order_by("-opens_on").values_list("pk", "title")),
        reports=list(Report.objects.values_list("pk", "short_title")),
        recommendations=recommendations,
        themes=themes,
        forces=list(Force.objects.order_by("name").values_list("pk", "name")),
    )


def _filtered(filters: SearchFilters) -> QuerySet[StatusUpdate]:
    answers = StatusUpdate.objects.submitted().select_related("round", "force", "recommendation__report")
    answers = answers.only(*RESULT_COLUMNS)
    if filters.round_id:
        answers = answers.filter(round_id=filters.round_id)
    if filters.report_id:
        answers = answers.filter(recommendation__report_id=filters.report_id)
    if filters.recommendation_id:
        answers = answers.filter(recommendation_id=filters.recommendation_id)
    if filters.status:
        answers = answers.filter(status=filters.status)
    if filters.force_id:
        answers = answers.filter(force_id=filters.force_id)
    if filters.country:
        answers = answers.filter(force__country=filters.country)
    if filters.theme_id:
        answers = answers.filter(
            Exists(
                ThemeCoding.objects.filter(
                    round=OuterRef("round_id"), force=OuterRef("force_id"), theme_id=filters.theme_id
                )
            )
        )
    return answers


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def answers_search(query: str, filters: SearchFilters = SearchFilters()) -> QuerySet[StatusUpdate]:
    """The matching answers, best first (then by round, newest first, and force). Each row has
    `headline` on PostgreSQL; `search_extract` makes the extract either way."""
    answers = _filtered(filters)
    if uses_full_text():
        search = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        vector = search_vector()
        return (
            answers.annotate(document=vector)
            .filter(document=search)
            .annotate(
                rank=SearchRank(vector, search),
                headline=SearchHeadline(
                    "narrative",
                    search,
                    config=SEARCH_CONFIG,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=EXTRACT_WORDS,
                    min_words=EXTRACT_WORDS // 2,
                    max_fragments=2,
                ),
            )
            .order_by("-rank", "-round__opens_on", "force__name", "recommendation__reference")
        )
    terms = query_terms(query)
    if not terms:
        return answers.none()
    for term in terms:
        pattern = _term_pattern(term)
        answers = answers.filter(Q(narrative__iregex=pattern) | Q(not_applicable_reason__iregex=pattern))
    return answers.order_by("-round__opens_on", "force__name", "recommendation__reference")


def search_hits(answers: list[StatusUpdate], query: str) -> list[SearchHit]:
    """The page's answers with their highlighted extracts; on SQLite, ranked within the page."""
    if uses_full_text():
        return [
            SearchHit(answer, _marked(getattr(answer, "headline", "") or answer.not_applicable_reason))
            for answer in answers
        ]
    terms = query_terms(query)
    hits = [
        SearchHit(answer, _fallback_extract(answer.narrative or answer.not_applicable_reason, terms))
        for answer in answers
    ]
    return hits


def query_terms(query: str) -> list[str]:
    """The quoted phrases and single words of a query, as websearch_to_tsquery reads them (roughly)."""
    phrases = re.findall(r'"([^"]+)"', query)
    rest = re.sub(r'"[^"]*"', " ", query)
    words = [word for word in re.findall(r"[\w'-]+", rest) if word.lower() not in ("or", "and")]
    return [phrase.strip() for phrase in phrases if phrase.strip()] + words


def _term_pattern(term: str) -> str:
    return r"\b" + r"\s+".join(re.escape(word) for word in term.split())


def _marked(text: str) -> SafeString:
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))


def _fallback_extract(text: str, terms: list[str]) -> SafeString:
    patterns = [re.compile(_term_pattern(term), re.IGNORECASE) for term in terms]
    first = min((match.start() for p in patterns if (match := p.search(text))), default=0)
    words = text[:first].split()
    start = len(" ".join(words[:-5])) if len(words) > 5 else 0
    window = " ".join(text[start:].split()[:EXTRACT_WORDS])
    for pattern in patterns:
        window = pattern.sub(lambda match: f"{_START}{match.group(0)}{_STOP}", window)
    return _marked(("… " if start else "") + window + (" …" if len(text[start:].split()) > EXTRACT_WORDS else ""))
