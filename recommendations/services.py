"""Writes. Each service checks the rules it needs, runs in one transaction and leaves nothing half-done."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from forces.models import Force

from . import evidence, rules
from .audit import audit_record
from .models import AuditEvent, Document, EvidenceDocument, Recommendation, Round, Status, StatusUpdate

logger = logging.getLogger(__name__)


class RoundClosed(Exception):
    """The round no longer accepts changes from forces."""


class StaleAnswer(Exception):
    """Someone saved this answer after the version the person started from."""

    def __init__(self, latest: StatusUpdate | None):
        super().__init__("This answer was changed by someone else after you opened it.")
        self.latest = latest


def _ensure_round_open(round: Round) -> None:
    if not round.is_open:
        raise RoundClosed(f"{round} is closed: answers can no longer be changed.")


def _ensure_in_scope(round: Round, force: Force, recommendation: Recommendation) -> None:
    if not round.recommendations.filter(pk=recommendation.pk).exists():
        raise ValidationError(f"{recommendation.name} is not part of {round}.")
    if not round.forces_asked.filter(pk=force.pk).exists():
        raise ValidationError(f"{force} was not asked for updates in {round}.")


@dataclass(frozen=True)
class NewDocument:
    """A file to attach to the answer's new version: checked already (evidence.document_check)."""

    checked: evidence.CheckedDocument
    publishable: bool


@transaction.atomic
def status_update_save(
    *,
    round: Round,
    force: Force,
    recommendation: Recommendation,
    user,
    expected_version: int,
    status: str,
    narrative: str,
    evidence: str = "",
    not_applicable_reason: str = "",
    submit: bool = False,
    carried_forward: bool = False,
    created_at=None,
    party: str = rules.Party.FORCE,
    reused_from: StatusUpdate | None = None,
    documents: Sequence[NewDocument] = (),
    documents_removed: Collection[int] = (),
) -> StatusUpdate:
    """Add a new version of a force's answer; earlier versions stay as they were.

    The new version keeps the evidence documents of the one before, less `documents_removed` (ids of
    that version's EvidenceDocument rows), and adds `documents`. A file is written to storage only
    after every check has passed, in this transaction; if the transaction fails, what it wrote is
    removed before the rows are rolled back, so there is never a file without its row or a row
    without its file.

    `expected_version` is the version the person started from (0 for a first answer). If anyone
    saved since, StaleAnswer is raised carrying what they saved, and nothing is written: the
    version number is unique per answer in the database, so two saves racing from the same
    version cannot both succeed. An incomplete answer (rules.answer_problems) raises
    ValidationError naming the field, before anything is read or written.

    `party` is who answers (rules.Party): the force's lead, or its local policing body's office
    for a recommendation addressed to commissioners; each may save only the answers it owns.

    `reused_from` is the force's answer to a linked recommendation this version copies (answer_reuse).
    A version saved unchanged from a reused one (a draft continued, a return submitted) keeps saying
    where it came from; once the text is changed it is the force's own.
    """
    problems = rules.answer_problems(status=status, narrative=narrative, not_applicable_reason=not_applicable_reason)
    if problems:
        raise ValidationError(problems)
    if rules.answering_party(recommendation.addressee) != party:
        raise ValidationError(f"{recommendation.name} is not answered by the {party}.")
    _ensure_round_open(round)
    _ensure_in_scope(round, force, recommendation)
    answer = StatusUpdate.objects.filter(round=round, force=force, recommendation=recommendation)
    current = _current_locked(answer, expected_version)
    kept, removed = _documents_kept(current, documents_removed, documents)
    returned = submit and answer.filter(is_latest_submitted=True, review=StatusUpdate.Review.RETURNED).exists()
    if reused_from is None and current is not None and current.reused_from_id:
        typed = {
            "status": status,
            "narrative": narrative,
            "evidence": evidence,
            "not_applicable_reason": not_applicable_reason if status == Status.NOT_APPLICABLE else "",
        }
        if _answer_content(current) == typed:
            reused_from = current.reused_from
    version = _version_add(
        answer,
        current,
        StatusUpdate(
            round=round,
            force=force,
            recommendation=recommendation,
            state=StatusUpdate.State.SUBMITTED if submit else StatusUpdate.State.DRAFT,
            status=status,
            narrative=narrative,
            evidence=evidence,
            not_applicable_reason=not_applicable_reason if status == Status.NOT_APPLICABLE else "",
            carried_forward=carried_forward,
            reused_from=reused_from,
            is_resubmission=returned,
            is_latest_submitted=submit,
            created_by=user,
            created_at=created_at or timezone.now(),
        ),
    )
    _documents_carry(kept, version)
    written: list[str] = []
    try:
        _documents_attach(documents, version, user, written)
        _answer_saved_record(version, user, removed, documents)
    except BaseException:
        # Removed while this transaction still holds the new Document rows, which a save racing to
        # store the same file waits on: it then stores the file itself.
        _stored_files_remove(written)
        raise
    return version


def _answer_saved_record(version: StatusUpdate, user, removed, documents: Sequence[NewDocument]) -> None:
    round, force, recommendation = version.round, version.force, version.recommendation
    audit_record(
        action=AuditEvent.Action.ANSWER_SAVED,
        summary=f"Version {version.version} ({version.get_state_display().lower()}) of the answer to "
        f"{recommendation.name}: {version.get_status_display()}",
        actor=user,
        force=force,
        round=round,
    )
    for attached in removed:
        audit_record(
            action=AuditEvent.Action.DOCUMENT_REMOVED,
            summary=f"{attached.name} removed from the answer to {recommendation.name} "
            f"from version {version.version} (SHA-256 {attached.document.sha256}; earlier versions keep it)",
            actor=user,
            force=force,
            round=round,
        )
    for new in documents:
        audit_record(
            action=AuditEvent.Action.DOCUMENT_ATTACHED,
            summary=f"{new.checked.name} ({new.checked.kind.label}, {'can be published' if new.publishable else 'internal'}, "
            f"SHA-256 {new.checked.sha256}) attached to version {version.version} of the answer to "
            f"{recommendation.name}",
            actor=user,
            force=force,
            round=round,
        )


class NothingToReuse(Exception):
    """No linked recommendation's answer can stand for this one (any more)."""


@transaction.atomic
def answer_reuse(
    *, round: Round, force: Force, recommendation: Recommendation, user, expected_version: int, party: str
) -> StatusUpdate:
    """Answer a recommendation once: copy the force's answer to a linked recommendation in the same
    round (selectors.AnswerRow.through) as a new draft version that records where it came from
    (`reused_from`). The lead submits it with their return like any other draft; nothing is reused
    without them asking."""
    from .selectors import answer_row

    row = answer_row(force, round, recommendation, party)
    if row.through is None:
        raise NothingToReuse(f"There is no answer to a linked recommendation to reuse for {recommendation.name}.")
    source = row.through.answer
    version = status_update_save(
        round=round,
        force=force,
        recommendation=recommendation,
        user=user,
        expected_version=expected_version,
        **_answer_content(source),
        party=party,
        reused_from=source,
    )
    audit_record(
        action=AuditEvent.Action.ANSWER_REUSED,
        summary=f"The answer to {source.recommendation.name} (version {source.version}) reused for "
        f"{recommendation.name} ({row.through.link.get_kind_display()} link)",
        actor=user,
        force=force,
        round=round,
    )
    return version


def _documents_kept(
    current: StatusUpdate | None, removed: Collection[int], new: Sequence[NewDocument]
) -> tuple[list[EvidenceDocument], list[EvidenceDocument]]:
    """The current version's documents the new version keeps, and those it leaves off; ValidationError
    (on the "document" field) if the new files would be too many, too large in all, or one is
    attached already."""
    attached = list(current.documents.select_related("document")) if current else []
    removed = set(removed)
    if removed - {row.pk for row in attached}:
        raise ValidationError({"documents_removed": "A document you chose to remove is no longer attached."})
    kept = [row for row in attached if row.pk not in removed]
    digests = [row.document.sha256 for row in kept]
    for document in new:
        if document.checked.sha256 in digests:
            raise ValidationError({"document": f"{document.checked.name} is already attached to this answer"})
        digests.append(document.checked.sha256)
    problem = evidence.answer_documents_problem(
        sizes=[row.document.size for row in kept] + [document.checked.size for document in new]
    )
    if problem:
        raise ValidationError({"document": problem})
    return kept, [row for row in attached if row.pk in removed]


def _documents_carry(kept: list[EvidenceDocument], version: StatusUpdate) -> None:
    """The next version lists the same documents, under the same names and markings."""
    EvidenceDocument.objects.bulk_create(
        EvidenceDocument(
            version=version,
            document_id=row.document_id,
            name=row.name,
            publishable=row.publishable,
            attached_by_id=row.attached_by_id,
            attached_at=row.attached_at,
        )
        for row in kept
    )


def _documents_attach(documents: Sequence[NewDocument], version: StatusUpdate, user, written: list[str]) -> None:
    """Store each new file under its digest (once: the same file attached twice is one Document) and
    attach it to `version`, adding to `written` the name of each file this call stored."""
    for new in documents:
        checked = new.checked
        document, created = Document.objects.get_or_create(
            sha256=checked.sha256,
            defaults={
                "size": checked.size,
                "content_type": checked.kind.content_type,
                "storage_name": evidence.storage_name(checked.sha256),
            },
        )
        if created:
            _document_store(document, checked.file)
            written.append(document.storage_name)
        EvidenceDocument.objects.create(
            version=version, document=document, name=checked.name, publishable=new.publishable, attached_by=user
        )


def _document_store(document: Document, file) -> None:
    if default_storage.exists(document.storage_name):
        # Left by a save that stopped between writing and committing: its content is not trusted.
        default_storage.delete(document.storage_name)
    file.seek(0)
    stored = default_storage.save(document.storage_name, file)
    if stored != document.storage_name:
        default_storage.delete(stored)
        raise RuntimeError(f"The storage saved {document.storage_name} as {stored}.")


def _stored_files_remove(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:  # the original failure matters more; an orphan file is logged
            logger.exception("Could not remove %s after a failed save", name)


def _answer_content(version: StatusUpdate) -> dict[str, str]:
    """What a lead wrote in a version: what a later version copies (a return submitted, an answer
    reused through a link) and what says whether a save changed anything."""
    return {
        "status": version.status,
        "narrative": version.narrative,
        "evidence": version.evidence,
        "not_applicable_reason": version.not_applicable_reason,
    }


def _current_locked(answer, expected_version: int) -> StatusUpdate | None:
    """Lock the answer's current version; StaleAnswer if it is not the one the person started from."""
    current = answer.select_for_update(of=("self",)).filter(is_current=True).first()
    if expected_version != (current.version if current else 0):
        # Re-read: if we waited on the lock, the row we locked may no longer be the current one.
        raise StaleAnswer(answer.filter(is_current=True).select_related("created_by").first())
    return current


def _version_add(answer, current: StatusUpdate | None, version: StatusUpdate) -> StatusUpdate:
    """Save `version` as the answer's next version and make it the current one; if it is
    submitted it becomes the one national staff read, and if it is a withdrawal nothing is read.

    The caller holds the lock on `current` and has checked the answer is complete. A save that
    raced past the lock breaks the unique version number or the one-current rule in the database,
    and only that is reported as StaleAnswer; any other refusal by the database is a fault, and
    is raised as it is.
    """
    version.version = (current.version if current else 0) + 1
    version.is_current = True
    # The uniqueness rules are left to the database: they are what a race breaks. The answer's own
    # rules were checked by the caller (rules.answer_problems), so bad input never gets this far.
    version.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            if current:
                answer.filter(pk=current.pk).update(is_current=False)
            if version.state != StatusUpdate.State.DRAFT:
                answer.filter(is_latest_submitted=True).update(is_latest_submitted=False)
            version.save()
    except IntegrityError as error:
        if not _lost_race(error):
            raise
        raise StaleAnswer(answer.filter(is_current=True).select_related("created_by").first()) from None
    return version


# The uniqueness rules a save racing another save of the same answer breaks (see StatusUpdate.Meta).
RACE_CONSTRAINTS = ("status_update_version_unique", "status_update_one_current", "status_update_one_latest_submitted")


def _lost_race(error: IntegrityError) -> bool:
    """Whether the database refused a version because another save of the answer got there first.

    PostgreSQL names the constraint; SQLite names the columns of a unique index, and the answer's
    only unique indexes are the three race constraints.
    """
    text = str(error)
    return any(name in text for name in RACE_CONSTRAINTS) or text.startswith(
        f"UNIQUE constraint failed: {StatusUpdate._meta.db_table}."
    )


class NotWithdrawable(Exception):
    """Only an answer the force has submitted, and not changed since, can be withdrawn."""


@transaction.atomic
def answer_withdraw(
    *, round: Round, force: Force, recommendation: Recommendation, user, expected_version: int, reason: str
) -> StatusUpdate:
    """The force takes back its submitted answer: a new "withdrawn" version, carrying what was
    withdrawn and why. Nothing is deleted; the roll-up stops counting the answer until the force
    submits one again.
    """
    _ensure_round_open(round)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"withdrawal_reason": "Say why you are withdrawing this answer"})
    answer = StatusUpdate.objects.filter(round=round, force=force, recommendation=recommendation)
    current = _current_locked(answer, expected_version)
    if not rules.answer_withdrawable(current):
        raise NotWithdrawable(
            "Only a submitted answer can be withdrawn. Submit or change your draft instead."
            if current and current.state == StatusUpdate.State.DRAFT
            else "There is no submitted answer to withdraw."
        )
    version = _version_add(
        answer,
        current,
        StatusUpdate(
            round=round,
            force=force,
            recommendation=recommendation,
            state=StatusUpdate.State.WITHDRAWN,
            status=current.status,
            narrative=current.narrative,
            evidence=current.evidence,
            not_applicable_reason=current.not_applicable_reason,
            withdrawal_reason=reason,
            created_by=user,
        ),
    )
    _documents_carry(list(current.documents.all()), version)
    audit_record(
        action=AuditEvent.Action.ANSWER_WITHDRAWN,
        summary=f"Answer to {recommendation.name} withdrawn (version {current.version} "
        f"was {current.get_status_display()}): {reason}",
        actor=user,
        force=force,
        round=round,
    )
    return version


class NothingToSubmit(Exception):
    """The force has no draft or carried-forward answer waiting to be submitted."""


@transaction.atomic
def return_submit(*, round: Round, force: Force, user, party: str = rules.Party.FORCE) -> list[StatusUpdate]:
    """Submit the force's return: every draft, and every answer carried forward from an earlier
    round that the lead has seen on the check-your-answers page, each as a new submitted version.

    The lead is emailed a confirmation once the transaction has committed.
    """
    from .selectors import force_answer_rows

    _ensure_round_open(round)
    # Lock the force's current answers so a save racing with the submission waits for it.
    list(StatusUpdate.objects.select_for_update(of=("self",)).filter(round=round, force=force, is_current=True))
    rows = [row for row in force_answer_rows(force, round, party) if row.needs_submitting]
    if not rows:
        raise NothingToSubmit("There is nothing new to submit: every answer has already been submitted.")
    submitted = []
    for row in rows:
        source = row.working
        submitted.append(
            status_update_save(
                round=round,
                force=force,
                recommendation=row.recommendation,
                user=user,
                expected_version=row.current.version if row.current else 0,
                **_answer_content(source),
                submit=True,
                carried_forward=row.current is None,
                party=party,
            )
        )
    audit_record(
        action=AuditEvent.Action.RETURN_SUBMITTED,
        summary=f"Return submitted: {len(submitted)} answer{'s' if len(submitted) != 1 else ''}",
        actor=user,
        force=force,
        round=round,
    )
    transaction.on_commit(
        lambda: _email_submission_confirmation(round=round, force=force, user=user, answers=submitted)
    )
    return submitted


def _email_submission_confirmation(*, round: Round, force: Force, user, answers: list[StatusUpdate]) -> None:
    if not user.email:
        return
    lines = [f"- {answer.recommendation.name}: {answer.get_status_display()}" for answer in answers]
    send_mail(
        subject=f"{force.name}: your return for {round.title} has been submitted",
        message=(
            f"Thank you. {force.name}'s return for {round.title} was submitted by {user.get_username()} "
            f"on {timezone.localtime():%d %B %Y at %H:%M}.\n\nAnswers submitted:\n" + "\n".join(lines) + "\n\n"
            "You can amend an answer until the round closes. Each amendment is kept as a new version.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
        fail_silently=True,
    )


@transaction.atomic
def status_update_review(*, update: StatusUpdate, user, review: str, note: str = "") -> StatusUpdate:
    """Staff return a submitted answer to the force with a note, or accept it.

    Only the force's latest submitted version can be reviewed, and only while the round is open:
    a force could not answer a return in a closed round.
    """
    _ensure_round_open(update.round)
    locked = StatusUpdate.objects.select_for_update(of=("self",)).get(pk=update.pk)
    if not locked.is_latest_submitted:
        raise ValidationError("The force has submitted a newer answer since; review that one.")
    returned = review == StatusUpdate.Review.RETURNED
    offered = rules.review_actions(
        review_state=rules.answer_review_state(
            state=locked.state, review=locked.review, is_resubmission=locked.is_resubmission
        ),
        round_open=True,
    )
    if (rules.REVIEW_RETURN if returned else rules.REVIEW_ACCEPT) not in offered:
        raise ValidationError(
            "This answer is already returned to the force."
            if returned
            else "This answer is already accepted."
            if locked.review == StatusUpdate.Review.ACCEPTED
            else "This answer is returned to the force: wait for it to resubmit."
        )
    if returned and not note.strip():
        raise ValidationError("Say what the force needs to add or change.")
    StatusUpdate.objects.filter(pk=locked.pk).update(
        review=review, review_note=note.strip(), reviewed_by=user, reviewed_at=timezone.now()
    )
    locked.refresh_from_db()
    if returned:
        from .notifications import answer_returned_notify

        answer_returned_notify(update=locked, note=note.strip())
    audit_record(
        action=AuditEvent.Action.ANSWER_RETURNED if returned else AuditEvent.Action.ANSWER_ACCEPTED,
        summary=f"Answer to {locked.recommendation.name} (version {locked.version}) "
        + (f"returned: {note.strip()}" if returned else "accepted"),
        actor=user,
        force=locked.force,
        round=locked.round,
    )
    return locked


@transaction.atomic
def status_updates_accept(*, updates: list[StatusUpdate], user) -> list[StatusUpdate]:
    """Accept several submitted answers at once (all or nothing): each as status_update_review does."""
    return [status_update_review(update=update, user=user, review=StatusUpdate.Review.ACCEPTED) for update in updates]


@transaction.atomic
def round_follow_set(*, round: Round, user, follow: bool, digest: bool = True) -> None:
    """Follow a round (with its daily digest on or off), or stop following it."""
    from .models import RoundFollow

    if not follow:
        RoundFollow.objects.filter(round=round, user=user).delete()
        return
    RoundFollow.objects.update_or_create(round=round, user=user, defaults={"digest": digest})


@transaction.atomic
def portfolio_group_ensure():
    """The "Portfolio staff" group with exactly the permissions access.PORTFOLIO_PERMISSIONS names."""
    from django.contrib.auth.models import Group, Permission

    from .access import PORTFOLIO_GROUP, PORTFOLIO_PERMISSIONS

    group, _ = Group.objects.get_or_create(name=PORTFOLIO_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="recommendations",
            codename__in=[permission.split(".", 1)[1] for permission in PORTFOLIO_PERMISSIONS],
        )
    )
    return group


@transaction.atomic
def return_import(*, round: Round, force: Force, user, rows, milestones=()) -> tuple[int, int]:
    """Save the answers of a checked spreadsheet return as drafts, and its milestones (new and
    changed: action_plans.milestones_import); returns how many answers and milestones changed.

    All or nothing, in one transaction. Each row starts from the answer as it is at that moment,
    so the spreadsheet replaces it as a new draft version; earlier versions stay.
    """
    from .action_plans import milestones_import

    _ensure_round_open(round)
    recommendations = {r.pk: r for r in round.recommendations.filter(rules.answered_by(rules.Party.FORCE))}
    saved = 0
    for row in rows:
        recommendation = recommendations[row.recommendation_id]
        current = (
            StatusUpdate.objects.select_for_update(of=("self",))
            .filter(round=round, force=force, recommendation=recommendation, is_current=True)
            .first()
        )
        if current and (current.status, current.narrative, current.evidence, current.not_applicable_reason) == (
            row.status,
            row.narrative,
            row.evidence,
            row.not_applicable_reason,
        ):
            continue
        status_update_save(
            round=round,
            force=force,
            recommendation=recommendation,
            user=user,
            expected_version=current.version if current else 0,
            status=row.status,
            narrative=row.narrative,
            evidence=row.evidence,
            not_applicable_reason=row.not_applicable_reason,
        )
        saved += 1
    audit_record(
        action=AuditEvent.Action.RETURN_IMPORTED,
        summary=f"Spreadsheet return imported: {len(rows)} rows, {saved} answers saved as drafts",
        actor=user,
        force=force,
        round=round,
    )
    return saved, milestones_import(round=round, force=force, user=user, rows=milestones)


def reminders_send(*, today) -> list:
    """Email the leads of every force that has not responded, 14, 7 and 1 days before its own due
    date (rules.force_due_on: a granted extension's, or the round's).

    Who has responded is the roll-up's answer (rules.answer_counted), the same as the chase list's.
    Safe to run as often as cron likes: a reminder is recorded (unique per round, force and day)
    in the same transaction as it is sent, so it goes once, and a failed send is tried again next run.
    """
    sent = []
    for round in Round.objects.filter(rules.rounds_accepting_changes(today)):
        sent += _reminders_to_forces_waiting(round=round, today=today, on_days=rules.REMINDER_DAYS)
    return sent


def _forces_to_remind(round: Round, today, on_days=None, due_dates=None) -> dict[int, int]:
    """The forces a reminder would go to now (by id), each with its days before its own due date
    (0 once it is due): not responded (the roll-up's not_responded_force_ids), not reminded yet on
    that day before, and, given `on_days`, only those that many days before."""
    from .models import Reminder
    from .selectors import force_due_dates, round_rollup

    waiting = round_rollup(round).not_responded_force_ids
    if not waiting:
        return {}
    due_dates = force_due_dates(round) if due_dates is None else due_dates
    days_before = {pk: max((due_dates[pk] - today).days, 0) for pk in waiting if pk in due_dates}
    if on_days is not None:
        days_before = {pk: days for pk, days in days_before.items() if days in on_days}
    reminded = set(
        Reminder.objects.filter(round=round, force_id__in=days_before).values_list("force_id", "days_before")
    )
    return {pk: days for pk, days in days_before.items() if (pk, days) not in reminded}


def reminders_waiting_forces(*, round: Round, today) -> list[Force]:
    """The forces a reminder would go to now, by name: what the staff's "remind every force" page lists."""
    return list(round.forces_asked.filter(pk__in=_forces_to_remind(round, today)).order_by("name"))


def reminders_send_now(*, round: Round, user, today) -> list:
    """Staff remind every force that has not responded, now: the same rule, message and record as
    the cron reminders (a force reminded today, by cron or by staff, is not reminded again)."""
    _ensure_round_open(round)
    return _reminders_to_forces_waiting(round=round, today=today, user=user)


def _reminders_to_forces_waiting(*, round: Round, today, on_days=None, user=None) -> list:
    from forces.models import ForceMembership

    from .models import Reminder
    from .selectors import force_due_dates

    due_dates = force_due_dates(round)
    days_before = _forces_to_remind(round, today, on_days, due_dates)
    if not days_before:
        return []
    leads = (
        ForceMembership.objects.filter(force_id__in=days_before, user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "force")
        .order_by("force__name", "user__username")
    )
    recipients: dict = {}
    for membership in leads:
        recipients.setdefault(membership.force, []).append(membership.user.email)
    sent = []
    for force, addresses in recipients.items():
        days = days_before[force.pk]
        due = f"is due in {days} day{'s' if days != 1 else ''}" if days else "is due"
        reminder = reminder_send(
            reminder=Reminder(round=round, force=force, days_before=days, recipients="\n".join(addresses)),
            addresses=addresses,
            subject=f"Reminder: {force.name}'s return for {round.title} {due}",
            message=(
                f"{force.name} has not yet submitted its return for {round.title}, due on "
                f"{due_dates[force.pk]:%d %B %Y}.\n\nSign in to the recommendation progress tracker to answer, "
                "or download the spreadsheet return from your force's page.\n"
            ),
            summary=f"Reminder {days} days before the due date to " + ", ".join(addresses),
            user=user,
            force=force,
            round=round,
        )
        if reminder is not None:
            sent.append(reminder)
    return sent


def reminder_send(
    *, reminder, addresses: list[str], subject: str, message: str, summary: str, user=None, force, round=""
):
    """Record a reminder (the unsaved row given), email it and audit it, in one transaction: a
    round's to a force's leads, or a response's to a body's office. The row is unique per day before
    the due date, so a reminder goes once however often cron runs; None if another run sent it
    already, or if the mail server failed (nothing is recorded, so the next run tries again)."""
    try:
        with transaction.atomic():
            reminder.save(force_insert=True)
            send_mail(subject=subject, message=message, from_email=None, recipient_list=addresses)
            audit_record(action=AuditEvent.Action.REMINDER_SENT, summary=summary, actor=user, force=force, round=round)
    except IntegrityError:
        return None  # another run sent this one already
    except OSError:
        logger.exception("Reminder to %s could not be sent: %s", force, subject)
        return None
    return reminder
