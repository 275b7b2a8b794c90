"""Emails the service sends besides reminders: a lead told that an answer was returned (with the
note), or that a request for more time was decided, and a daily digest for staff who follow a round.

Each is a `Notification` row written in the same transaction as what caused it, and sent once that
transaction has committed: a mail server that is down never undoes or loses a save. What did not go
is tried again by `manage.py send_notifications` (run from cron beside `send_reminders`), up to
MAX_ATTEMPTS times; every send and every failure is recorded on the row and in the audit trail.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from forces.models import ForceMembership

from .audit import audit_record
from .models import AuditEvent, Extension, Notification, Round, RoundFollow, StatusUpdate

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# One digest a day: a little under 24 hours, so a daily cron run that starts a minute early still sends.
DIGEST_INTERVAL = timedelta(hours=23)


def notification_queue(*, kind: str, round: Round, recipients: list[str], subject: str, body: str) -> Notification:
    """Record an email to send, and send it once the surrounding transaction commits."""
    notification = Notification.objects.create(
        kind=kind, round=round, recipients="\n".join(recipients), subject=subject[:300], body=body
    )
    transaction.on_commit(lambda: notification_send(notification_id=notification.pk))
    return notification


def notification_send(*, notification_id: int) -> bool:
    """Send one recorded email if it has not gone yet; record the outcome. Never raises for a mail fault."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("round").filter(pk=notification_id).first()
        )
        if notification is None or notification.sent_at is not None:
            return False
        Notification.objects.filter(pk=notification.pk).update(attempts=F("attempts") + 1)
        try:
            send_mail(
                subject=notification.subject,
                message=notification.body,
                from_email=None,
                recipient_list=notification.recipient_list(),
            )
        except OSError as error:  # the mail server refused or could not be reached
            logger.warning("Notification %s could not be sent: %s", notification.pk, error)
            Notification.objects.filter(pk=notification.pk).update(last_error=str(error)[:1000])
            audit_record(
                action=AuditEvent.Action.EMAIL_FAILED,
                summary=f"Email not sent yet (will be retried): {notification.subject}: {error}",
                round=notification.round,
            )
            return False
        Notification.objects.filter(pk=notification.pk).update(sent_at=timezone.now(), last_error="")
        audit_record(
            action=AuditEvent.Action.EMAIL_SENT,
            summary=f"Email sent to {', '.join(notification.recipient_list())}: {notification.subject}",
            round=notification.round,
        )
    return True


def notifications_retry() -> int:
    """Send every recorded email that has not gone yet and has attempts left; how many went."""
    pending = Notification.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).order_by("created_at")
    return sum(notification_send(notification_id=pk) for pk in pending.values_list("pk", flat=True))


def _lead_addresses(force_id: int) -> list[str]:
    """The email addresses of a force's active leads, by username."""
    return list(
        ForceMembership.objects.filter(force_id=force_id, user__is_active=True)
        .exclude(user__email="")
        .order_by("user__username")
        .values_list("user__email", flat=True)
    )


def answer_returned_notify(*, update: StatusUpdate, note: str) -> Notification | None:
    """Tell the force's leads that staff returned its answer, with the note. Called inside the
    review's transaction."""
    addresses = _lead_addresses(update.force_id)
    if not addresses:
        return None
    named = update.recommendation.name
    return notification_queue(
        kind=Notification.Kind.ANSWER_RETURNED,
        round=update.round,
        recipients=addresses,
        subject=f"{update.force.name}: your answer to {named} has been returned",
        body=(
            f"National portfolio staff have returned {update.force.name}'s answer to {named} "
            f"in {update.round.title} for more information.\n\nTheir note:\n\n{note}\n\n"
            "Sign in to the recommendation progress tracker to change your answer and submit it again.\n"
        ),
    )


def extension_decided_notify(*, extension: Extension) -> Notification | None:
    """Tell the force's leads that staff granted or refused the more time they asked for, with the new
    date or the note. Called inside the decision's transaction."""
    addresses = _lead_addresses(extension.force_id)
    if not addresses:
        return None
    force, round = extension.force.name, extension.round.title
    if extension.state == Extension.State.GRANTED:
        subject = f"{force}: more time granted on {round}"
        decision = f"granted {force} more time on {round}: your return is now due on {extension.due_on:%-d %B %Y}."
    else:
        subject = f"{force}: more time refused on {round}"
        decision = (
            f"refused {force} more time on {round}: your return is still due on {extension.round.due_on:%-d %B %Y}."
        )
    note = f"\n\nTheir note:\n\n{extension.note}" if extension.note else ""
    return notification_queue(
        kind=Notification.Kind.EXTENSION_DECIDED,
        round=extension.round,
        recipients=addresses,
        subject=subject,
        body=f"National portfolio staff have {decision}{note}\n\nSign in to the recommendation progress tracker to see it on your force's page.\n",
    )


def _digest_lines(round: Round, since: datetime, until: datetime) -> list[str]:
    versions = (
        StatusUpdate.objects.filter(
            round=round,
            created_at__gte=since,
            created_at__lt=until,
            state__in=[StatusUpdate.State.SUBMITTED, StatusUpdate.State.WITHDRAWN],
        )
        .select_related("force", "recommendation__report")
        .order_by("created_at")
    )
    lines = []
    for version in versions:
        if version.state == StatusUpdate.State.WITHDRAWN:
            what = f"withdrawn: {version.withdrawal_reason}"
        elif version.is_resubmission:
            what = f"resubmitted ({version.get_status_display()})"
        else:
            what = f"submitted ({version.get_status_display()})"
        lines.append(f"- {version.force.name}, {version.recommendation.name}: {what}")
    return lines


def digests_send(*, now: datetime | None = None) -> list[Notification]:
    """Each staff member following a round with the digest on gets one email a day listing the
    submissions, resubmissions and withdrawals since their last digest (nothing if there were none)."""
    now = now or timezone.now()
    queued = []
    follows = RoundFollow.objects.filter(digest=True, user__is_active=True).exclude(user__email="")
    for follow in follows.select_related("user", "round"):
        if now - follow.digest_sent_up_to < DIGEST_INTERVAL:
            continue
        with transaction.atomic():
            lines = _digest_lines(follow.round, follow.digest_sent_up_to, now)
            if lines:
                queued.append(
                    notification_queue(
                        kind=Notification.Kind.DIGEST,
                        round=follow.round,
                        recipients=[follow.user.email],
                        subject=f"{follow.round.title}: {len(lines)} change{'s' if len(lines) != 1 else ''} "
                        f"since {timezone.localtime(follow.digest_sent_up_to):%d %B %Y %H:%M}",
                        body="Submissions, resubmissions and withdrawals since your last digest:\n\n"
                        + "\n".join(lines)
                        + "\n\nTo stop these emails, turn off the daily digest on the round's dashboard.\n",
                    )
                )
            RoundFollow.objects.filter(pk=follow.pk).update(digest_sent_up_to=now)
    return queued
