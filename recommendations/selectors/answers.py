"""Reads of a force's answers: each recommendation in a round with the force's versions, and the
state of the answer as the lead and staff see it (not started, carried forward, draft, submitted,
returned, resubmitted, accepted, withdrawn)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from forces.models import Force

from .. import rules
from ..models import Recommendation, RecommendationLink, Round, StatusUpdate

# A round's recommendations in the order its pages and documents list them: report by report (the
# earliest published first), then as each report orders them.
IN_REPORT_ORDER = ("report__published_on", "report_id", "order", "reference")


def round_recommendations(round: Round, party: str = rules.Party.FORCE) -> QuerySet[Recommendation]:
    """The round's recommendations one party answers (rules.answering_party): by default the
    force's, which are also the ones the figures count."""
    return (
        round.recommendations.filter(rules.answered_by(party))
        .select_related("parent", "report")
        .order_by(*IN_REPORT_ORDER)
    )


def rounds_for_force(force: Force) -> QuerySet[Round]:
    return Round.objects.for_force(force).order_by("closed", "-due_on")


@dataclass(frozen=True)
class Through:
    """The force's answer to a linked recommendation in the same round, offered to answer this one
    once (services.answer_reuse)."""

    link: RecommendationLink
    recommendation: Recommendation
    answer: StatusUpdate

    @property
    def sentence(self) -> str:
        return rules.answered_through_sentence(kind=self.link.kind, through_name=self.recommendation.name)


@dataclass(frozen=True)
class AnswerRow:
    """A recommendation in a round as one force sees it.

    `current` is the version the lead is working on, `submitted` the last one the force
    submitted, and `carried` the force's last submitted answer from an earlier round, offered
    when there is no answer yet in this one. `through` is the force's answer to a linked
    recommendation in this round, offered while this one has no answer of its own.
    """

    recommendation: Recommendation
    current: StatusUpdate | None
    submitted: StatusUpdate | None
    carried: StatusUpdate | None = None
    through: Through | None = None

    @property
    def state(self) -> str:
        current = self.current
        if current is None:
            return "Carried forward" if self.carried else "Not started"
        if current.state == StatusUpdate.State.WITHDRAWN:
            return "Withdrawn"
        if current.state == StatusUpdate.State.DRAFT:
            if self.submitted and self.submitted.review == StatusUpdate.Review.RETURNED:
                return "Returned for more information"
            return "Draft"
        if current.review == StatusUpdate.Review.RETURNED:
            return "Returned for more information"
        if current.review == StatusUpdate.Review.ACCEPTED:
            return "Accepted"
        return "Resubmitted" if current.is_resubmission else "Submitted"

    @property
    def withdrawable(self) -> bool:
        return rules.answer_withdrawable(self.current)

    @property
    def shared_with_staff(self) -> bool:
        """Staff can read versions of this answer: something was submitted, even if later withdrawn."""
        return self.submitted is not None or (
            self.current is not None and self.current.state == StatusUpdate.State.WITHDRAWN
        )

    @property
    def working(self) -> StatusUpdate | None:
        """What the lead's form starts from: their current version, else the carried-forward one."""
        return self.current or self.carried

    @property
    def needs_submitting(self) -> bool:
        """A draft, or an answer carried forward and not yet submitted in this round."""
        if self.current is None:
            return self.carried is not None
        return self.current.state == StatusUpdate.State.DRAFT


def force_answer_rows(force: Force, round: Round, party: str = rules.Party.FORCE) -> list[AnswerRow]:
    """Every recommendation in the round the party answers, with the force's versions (three queries)."""
    return force_answer_rows_by_round(force, [round], party)[round.pk]


@dataclass(frozen=True)
class RowsReport:
    """One report's share of a round's rows on a force's page: how many recommendations, and how many
    of the force's answers to them wait to be submitted."""

    slug: str
    short_title: str
    recommendations: int
    to_submit: int


def rows_reports(rows: list[AnswerRow]) -> list[RowsReport]:
    """The reports of a round's rows, in the rows' order (the round's order of reports)."""
    counts: dict[str, list] = {}
    for row in rows:
        report = row.recommendation.report
        entry = counts.setdefault(report.slug, [report.short_title, 0, 0])
        entry[1] += 1
        entry[2] += row.needs_submitting
    return [RowsReport(slug, title, count, to_submit) for slug, (title, count, to_submit) in counts.items()]


def force_answer_rows_by_round(
    force: Force, rounds: list[Round], party: str = rules.Party.FORCE
) -> dict[int, list[AnswerRow]]:
    """force_answer_rows for several rounds at once, by round id: four queries however many rounds
    (the recommendations in scope, the force's current and last submitted versions, its earlier
    answers to carry forward, and the links between the recommendations in scope), and however
    many answers there are."""
    if not rounds:
        return {}
    in_scope: dict[int, list[Recommendation]] = {round.pk: [] for round in rounds}
    for link in (
        Round.recommendations.through.objects.filter(round__in=rounds)
        .filter(rules.answered_by(party, prefix="recommendation__"))
        .select_related("recommendation__parent", "recommendation__report")
        .order_by(*(f"recommendation__{field}" for field in IN_REPORT_ORDER))
    ):
        in_scope[link.round_id].append(link.recommendation)
    current: dict[tuple[int, int], StatusUpdate] = {}
    submitted: dict[tuple[int, int], StatusUpdate] = {}
    # Unordered: each (round, recommendation) has one current and one last submitted version, and
    # ordering by the model's four columns cost more CPU (Django compiling it) than the query itself.
    versions = (
        StatusUpdate.objects.filter(round__in=rounds, force=force)
        .filter(Q(is_current=True) | Q(is_latest_submitted=True))
        .order_by()
    )
    for version in versions.select_related("created_by", "reviewed_by", "reused_from__recommendation__report"):
        key = (version.round_id, version.recommendation_id)
        if version.is_current:
            current[key] = version
        if version.is_latest_submitted:
            submitted[key] = version
    # Only recommendations with no answer yet in some round can carry one forward: a lead well into a
    # round of 200 reads a few earlier answers, not every round's.
    unanswered = {
        item.pk for round_id, items in in_scope.items() for item in items if (round_id, item.pk) not in current
    }
    # Newest round first (sorted here, not in SQL: ordering through the join to the round costs
    # Django more to compile than sorting the few rows read).
    earlier = sorted(
        StatusUpdate.objects.filter(
            force=force,
            # Always one query, so the count is the same: with every recommendation answered, an id no
            # row has (an empty list would make Django skip the query).
            recommendation_id__in=unanswered or [0],
            is_latest_submitted=True,
            round__opens_on__lt=max(round.opens_on for round in rounds),
        )
        .select_related("round")
        .order_by(),
        key=lambda answer: (answer.round.opens_on, answer.round_id),
        reverse=True,
    )
    scope_ids = {item.pk for items in in_scope.values() for item in items}
    links = _in_link_order(
        RecommendationLink.objects.filter(source_id__in=scope_ids, target_id__in=scope_ids).order_by(),
        {item.pk: item for items in in_scope.values() for item in items},
    )
    result = {}
    for round in rounds:
        carried: dict[int, StatusUpdate] = {}
        for answer in earlier:
            if answer.round_id != round.pk and answer.round.opens_on < round.opens_on:
                carried.setdefault(answer.recommendation_id, answer)
        by_id = {item.pk: item for item in in_scope[round.pk]}
        result[round.pk] = [
            AnswerRow(
                item,
                current.get((round.pk, item.pk)),
                submitted.get((round.pk, item.pk)),
                None if (round.pk, item.pk) in current else carried.get(item.pk),
                None if (round.pk, item.pk) in current else _through(item, round, by_id, links, current),
            )
            for item in in_scope[round.pk]
        ]
    return result


def _in_link_order(links, recommendations: dict[int, Recommendation]) -> list[RecommendationLink]:
    """The links in RecommendationLink's own order (its Meta.ordering: each end's report date, then its
    place in the report), sorted from the recommendations already read rather than by joining four
    tables in SQL; the id breaks ties, so the first link offered is always the same."""

    def key(link):
        source, target = recommendations[link.source_id], recommendations[link.target_id]
        return (source.report.published_on, source.order, target.report.published_on, target.order, link.pk)

    return sorted(links, key=key)


def _through(item: Recommendation, round: Round, by_id: dict[int, Recommendation], links, current) -> Through | None:
    """The first link through which the force's answer (draft or submitted, not withdrawn) to another
    recommendation in this round can stand for one to `item` (rules.link_answers_from)."""
    for link in links:
        other = rules.link_answers_from(
            kind=link.kind, source_id=link.source_id, target_id=link.target_id, recommendation_id=item.pk
        )
        answer = current.get((round.pk, other)) if other in by_id else None
        if answer is not None and answer.state != StatusUpdate.State.WITHDRAWN:
            return Through(link, by_id[other], answer)
    return None


def answer_row(force: Force, round: Round, recommendation: Recommendation, party: str = rules.Party.FORCE) -> AnswerRow:
    """One recommendation's row (the answer form's starting point), found as the force page finds it."""
    return next(row for row in force_answer_rows(force, round, party) if row.recommendation.pk == recommendation.pk)


def submitted_answer(round: Round, force: Force, recommendation: Recommendation) -> StatusUpdate | None:
    return (
        StatusUpdate.objects.filter(round=round, force=force, recommendation=recommendation)
        .submitted()
        .select_related("created_by")
        .first()
    )
