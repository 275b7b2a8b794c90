"""Reads for local policing bodies: what their office sees (its force's submitted answers, the
reports it must comment on, its responses) and what national staff see of every body's responses."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from forces.models import Force, PolicingBody

from .. import rules
from ..models import Recommendation, Report, ResponseSection, StatusUpdate, StatutoryResponse


def office_force_answers(force: Force) -> QuerySet[StatusUpdate]:
    """The force's last submitted answer to each recommendation it answers, in every round, newest
    round first: what its commissioner's office may read (never a draft). One query."""
    return (
        StatusUpdate.objects.submitted()
        .filter(force=force)
        .filter(rules.answered_by(rules.Party.FORCE, prefix="recommendation__"))
        .select_related("round", "recommendation__report")
        .order_by("-round__opens_on", "recommendation__order", "recommendation__reference")
    )


def chief_constable_comments(force: Force, report: Report) -> dict[int, list[StatusUpdate]]:
    """For each recommendation of the report, the force's answers from the latest round it submitted
    one in, by top-level recommendation id (a part's answer goes under its parent). One query."""
    latest: dict[int, StatusUpdate] = {}
    for answer in (
        StatusUpdate.objects.submitted()
        .filter(force=force, recommendation__report=report)
        .filter(rules.answered_by(rules.Party.FORCE, prefix="recommendation__"))
        .select_related("round", "recommendation")
        .order_by("recommendation__order", "-round__opens_on")
    ):
        latest.setdefault(answer.recommendation_id, answer)
    by_top: dict[int, list[StatusUpdate]] = {}
    for answer in latest.values():
        top = answer.recommendation.parent_id or answer.recommendation_id
        by_top.setdefault(top, []).append(answer)
    return by_top


def body_answers(force: Force, report: Report) -> dict[int, StatusUpdate]:
    """The body's own latest submitted answer to each of the report's recommendations addressed to
    commissioners, by recommendation id. One query."""
    latest: dict[int, StatusUpdate] = {}
    for answer in (
        StatusUpdate.objects.submitted()
        .filter(force=force, recommendation__report=report)
        .filter(rules.answered_by(rules.Party.BODY, prefix="recommendation__"))
        .order_by("-round__opens_on")
    ):
        latest.setdefault(answer.recommendation_id, answer)
    return latest


def reports_requiring_comment() -> QuerySet[Report]:
    return Report.objects.filter(bodies_must_comment=True).order_by("-published_on", "title")


def top_level_recommendations(report: Report) -> QuerySet[Recommendation]:
    return report.recommendations.filter(parent__isnull=True).order_by("order", "reference")


@dataclass(frozen=True)
class ResponseDue:
    """A report as one body must answer it: due date, days left, its published versions and its draft."""

    report: Report
    body: PolicingBody
    due_on: datetime.date
    days_left: int
    published: list[StatutoryResponse]  # newest version first
    draft: StatutoryResponse | None

    @property
    def first_published_on(self) -> datetime.date | None:
        return self.published[-1].published_on if self.published else None

    @property
    def latest(self) -> StatutoryResponse | None:
        return self.published[0] if self.published else None

    @property
    def timeliness(self) -> str:
        return rules.response_timeliness(due_on=self.due_on, published_on=self.first_published_on)

    @property
    def timeliness_label(self) -> str:
        return rules.Timeliness.LABELS[self.timeliness]

    @property
    def days_left_text(self) -> str:
        return rules.days_left_sentence(self.days_left)


def _due(report: Report, body: PolicingBody, responses: list[StatutoryResponse], today: datetime.date) -> ResponseDue:
    due_on = rules.response_due_on(report.published_on)
    return ResponseDue(
        report=report,
        body=body,
        due_on=due_on,
        days_left=rules.response_days_left(due_on=due_on, today=today),
        published=sorted(
            (r for r in responses if r.state == StatutoryResponse.State.PUBLISHED), key=lambda r: -r.version
        ),
        draft=next((r for r in responses if r.state == StatutoryResponse.State.DRAFT), None),
    )


def reports_for_body(body: PolicingBody, today: datetime.date) -> list[ResponseDue]:
    """Every report bodies must comment on, with this body's responses. Two queries."""
    reports = Report.objects.filter(bodies_must_comment=True).prefetch_related(
        Prefetch("responses", queryset=StatutoryResponse.objects.filter(body=body), to_attr="body_responses")
    )
    return [_due(report, body, report.body_responses, today) for report in reports]


def bodies_for_report(report: Report, today: datetime.date) -> list[ResponseDue]:
    """Every body with its response to one report, as national staff follow them. Two queries."""
    bodies = PolicingBody.objects.select_related("force").prefetch_related(
        Prefetch(
            "responses",
            queryset=StatutoryResponse.objects.filter(report=report, state=StatutoryResponse.State.PUBLISHED),
            to_attr="report_responses",
        )
    )
    return [_due(report, body, body.report_responses, today) for body in bodies]


def response_sections(response: StatutoryResponse) -> QuerySet[ResponseSection]:
    return response.sections.select_related("recommendation").order_by("number")


def response_versions(response: StatutoryResponse) -> QuerySet[StatutoryResponse]:
    """Every published version of the body's response to the report, newest first."""
    return StatutoryResponse.objects.filter(
        body_id=response.body_id, report_id=response.report_id, state=StatutoryResponse.State.PUBLISHED
    ).order_by("-version")
