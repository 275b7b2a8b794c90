"""Statutory responses: a local policing body's comments on a report (seed 000), drafted from the
report, the force's submitted answers (the chief constable's comments) and the body's own answers;
edited, published (frozen), and corrected as dated versions that keep the earlier ones.

Each write is `response_<action>`, keyword-only, in one transaction, with its audit event.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from forces.models import PolicingBody

from . import rules, selectors
from .audit import audit_record
from .models import AuditEvent, Report, ResponseReminder, ResponseSection, StatusUpdate, StatutoryResponse
from .snapshots import number_in_words

TITLE_MAX = StatutoryResponse._meta.get_field("title").max_length


class ResponsePublished(Exception):
    """A published response is frozen: it cannot be changed, only corrected by a new version."""


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())


def chief_constable_text(force_name: str, answers: list[StatusUpdate]) -> str:
    """The force's answers, offered as the chief constable's comments for the office to edit."""
    if not answers:
        return ""
    parts = [f"The chief constable's comments ({force_name}'s submitted answers):"]
    for answer in sorted(answers, key=lambda a: (a.recommendation.order, a.recommendation.reference)):
        parts.append(
            f"> **Recommendation {answer.recommendation.reference}, {answer.recommendation.title}: "
            f"{answer.get_status_display()}** ({answer.round.title})\n>\n"
            + _quoted(answer.narrative or answer.not_applicable_reason)
        )
    return "\n\n".join(parts)


def introduction_text(report: Report, count: int) -> str:
    return (
        f"Published in {report.published_on:%B %Y}, {report.short_title} was written by {report.publishers}. "
        f"{report.summary}\n\nThe report made {number_in_words(count)} "
        f"recommendation{'s' if count != 1 else ''}:"
    ).replace(". \n", ".\n")


@transaction.atomic
def response_draft(*, body: PolicingBody, report: Report, user) -> StatutoryResponse:
    """The body's first response to the report, drafted: the title from the holder's name and title,
    an introduction from the report, and for each recommendation (numbered) the body's own answer
    where it answers it, or the force's latest submitted answers quoted as the chief constable's
    comments."""
    if not report.bodies_must_comment:
        raise ValidationError("Local policing bodies are not asked to comment on this report.")
    if StatutoryResponse.objects.select_for_update().filter(body=body, report=report).exists():
        raise ValidationError("This body already has a response to this report: edit it, or publish an update.")
    recommendations = list(selectors.top_level_recommendations(report))
    response = StatutoryResponse.objects.create(
        body=body,
        report=report,
        title=rules.response_title(
            report_title=report.title, holder_name=body.holder_name, holder_title=body.holder_title
        )[:TITLE_MAX],
        introduction=introduction_text(report, len(recommendations)),
        signature_name=body.holder_name,
        signature_title=body.holder_title,
        created_by=user,
    )
    comments = selectors.chief_constable_comments(body.force, report)
    own = selectors.body_answers(body.force, report)
    for number, recommendation in enumerate(recommendations, start=1):
        if rules.answering_party(recommendation.addressee) == rules.Party.BODY:
            answer = own.get(recommendation.pk)
            text = answer.narrative if answer else ""
        else:
            text = chief_constable_text(body.force.name, comments.get(recommendation.pk, []))
        ResponseSection.objects.create(
            response=response, recommendation=recommendation, number=number, heading=recommendation.title, text=text
        )
    audit_record(
        action=AuditEvent.Action.RESPONSE_DRAFTED,
        summary=f"{body}: response to {report} drafted",
        actor=user,
        force=body.force,
    )
    return response


@transaction.atomic
def response_edit(
    *,
    response: StatutoryResponse,
    user,
    title: str,
    introduction: str,
    closing: str,
    signature_name: str,
    signature_title: str,
    sections: dict[int, tuple[str, str]],
) -> StatutoryResponse:
    """Save the office's edits to a draft: its title, introduction, closing, signature, and each
    section's heading and text (by section id)."""
    locked = StatutoryResponse.objects.select_for_update().get(pk=response.pk)
    if locked.state != StatutoryResponse.State.DRAFT:
        raise ResponsePublished("A published response cannot be changed. Publish an updated version instead.")
    if not title.strip():
        raise ValidationError({"title": "Enter the response's title"})
    if not signature_title.strip():
        raise ValidationError({"signature_title": "Enter the holder's title as the response is signed"})
    locked.title = title.strip()
    locked.introduction = introduction
    locked.closing = closing
    locked.signature_name = signature_name.strip()
    locked.signature_title = signature_title.strip()
    locked.full_clean()
    locked.save()
    for section in locked.sections.all():
        if section.pk in sections:
            heading, text = sections[section.pk]
            if not heading.strip():
                raise ValidationError({f"section_{section.pk}_heading": "Enter a heading"})
            section.heading, section.text = heading.strip(), text
            section.save()
    audit_record(
        action=AuditEvent.Action.RESPONSE_EDITED,
        summary=f"{locked.body}: response to {locked.report} (version {locked.version}) edited",
        actor=user,
        force=locked.body.force,
    )
    return locked


@transaction.atomic
def response_publish(*, response: StatutoryResponse, user, today: datetime.date | None = None) -> StatutoryResponse:
    """Publish a draft: from now on it is frozen. A correction is published as "Updated <date>"."""
    locked = StatutoryResponse.objects.select_for_update().get(pk=response.pk)
    if locked.state != StatutoryResponse.State.DRAFT:
        raise ResponsePublished("This response is already published.")
    missing = [section.number for section in locked.sections.all() if not section.text.strip()]
    if missing:
        raise ValidationError(
            "Write the body's text for every recommendation before publishing: "
            + ", ".join(str(number) for number in missing)
            + " still empty."
        )
    locked.state = StatutoryResponse.State.PUBLISHED
    locked.published_on = today or timezone.localdate()
    locked.published_by = user
    locked.save()
    audit_record(
        action=AuditEvent.Action.RESPONSE_PUBLISHED,
        summary=f"{locked.body}: response to {locked.report} published (version {locked.version})",
        actor=user,
        force=locked.body.force,
    )
    return locked


@transaction.atomic
def response_correct(*, response: StatutoryResponse, user) -> StatutoryResponse:
    """Start a correction of a published response: a new draft version copying its text. The
    published version stays as it is; publishing the draft makes it the "Updated <date>" version."""
    if response.state != StatutoryResponse.State.PUBLISHED:
        raise ValidationError("Only a published response can be corrected.")
    if (
        StatutoryResponse.objects.select_for_update()
        .filter(body_id=response.body_id, report_id=response.report_id, state=StatutoryResponse.State.DRAFT)
        .exists()
    ):
        raise ValidationError("An update of this response is already being drafted.")
    latest = selectors.response_versions(response).first()
    correction = StatutoryResponse.objects.create(
        body=response.body,
        report=response.report,
        version=latest.version + 1,
        updates_response=latest,
        title=latest.title,
        introduction=latest.introduction,
        closing=latest.closing,
        signature_name=latest.signature_name,
        signature_title=latest.signature_title,
        quotes_published_text=latest.quotes_published_text,
        created_by=user,
    )
    for section in latest.sections.all():
        ResponseSection.objects.create(
            response=correction,
            recommendation_id=section.recommendation_id,
            number=section.number,
            heading=section.heading,
            text=section.text,
        )
    audit_record(
        action=AuditEvent.Action.RESPONSE_DRAFTED,
        summary=f"{response.body}: update of the response to {response.report} drafted (version {correction.version})",
        actor=user,
        force=response.body.force,
    )
    return correction


def response_reminders_send(*, today: datetime.date) -> list[ResponseReminder]:
    """Email the office of every local policing body that has not published its comments on a report,
    14, 7 and 1 days before they are due (rules.response_due_on): the same days, record and sending
    as a round's reminders (services.reminder_send), so each goes once and a failed send is retried."""
    from forces.models import BodyMembership

    from .services import reminder_send

    published_on = [today + datetime.timedelta(days=days - rules.RESPONSE_DAYS) for days in rules.REMINDER_DAYS]
    sent = []
    for report in Report.objects.filter(bodies_must_comment=True, published_on__in=published_on):
        due_on = rules.response_due_on(report.published_on)
        days_before = (due_on - today).days
        published = StatutoryResponse.objects.filter(report=report, state=StatutoryResponse.State.PUBLISHED)
        reminded = ResponseReminder.objects.filter(report=report, days_before=days_before)
        office = (
            BodyMembership.objects.filter(user__is_active=True)
            .exclude(body__in=published.values("body_id"))
            .exclude(body__in=reminded.values("body_id"))
            .exclude(user__email="")
            .select_related("user", "body__force")
        )
        recipients: dict[PolicingBody, list[str]] = {}
        for membership in office:
            recipients.setdefault(membership.body, []).append(membership.user.email)
        for body, addresses in recipients.items():
            reminder = reminder_send(
                reminder=ResponseReminder(
                    body=body, report=report, days_before=days_before, recipients="\n".join(addresses)
                ),
                addresses=addresses,
                subject=(
                    f"Reminder: {body.name}'s comments on {report.short_title} are due in {days_before} "
                    f"day{'s' if days_before != 1 else ''}"
                ),
                message=(
                    f"{body.name} has not yet published its comments on {report.title}. They are due on "
                    f"{due_on:%d %B %Y}, {rules.RESPONSE_DAYS} days after the report's publication (Police Act "
                    "1996, section 55).\n\nSign in to the recommendation progress tracker to draft the response "
                    "from your force's answers, then publish it.\n"
                ),
                summary=(
                    f"Reminder {days_before} days before the response to {report.short_title} is due to "
                    + ", ".join(addresses)
                ),
                force=body.force,
            )
            if reminder is not None:
                sent.append(reminder)
    return sent
