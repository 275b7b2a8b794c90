"""Invitations: who may invite whom, sending and re-sending the link, accepting it, and bulk CSV.

Rules:
- Administrators invite anyone; portfolio staff invite force leads only (and see, resend and revoke
  only force leads' invitations).
- A link works once, for 72 hours. Sending it again makes a new link; the old one stops working.
- An address with an account, or with an invitation still open, cannot be invited again.
- Accepting makes the account (the email address is the username), sets the password, and gives the
  role; two-factor set-up then follows where the role requires it (tracker/two_factor.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from forces.models import Force, ForceMembership
from recommendations.access import is_portfolio_staff
from recommendations.audit import audit_record
from recommendations.models import AuditEvent
from recommendations.services import portfolio_group_ensure

from .models import INVITATION_LIFETIME, Invitation

Role = Invitation.Role


# Who may invite


def roles_for_inviter(user) -> list[str]:
    """The roles this person may invite people to: all for administrators, force leads for staff."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return list(Role.values)
    if is_portfolio_staff(user):
        return [Role.FORCE_LEAD]
    return []


def may_invite(user) -> bool:
    return bool(roles_for_inviter(user))


def invitations_visible_to(user) -> QuerySet[Invitation]:
    return Invitation.objects.filter(role__in=roles_for_inviter(user)).select_related("force", "invited_by")


# Checks shared by the form and the CSV upload


def email_problem(email: str) -> str | None:
    """Why this address cannot be invited now, or None."""
    if get_user_model().objects.filter(email__iexact=email).exists() or (
        get_user_model().objects.filter(username__iexact=email).exists()
    ):
        return "This address already has an account"
    if Invitation.objects.open().filter(email__iexact=email).exists():
        return "This address already has an invitation waiting: send it again from the invitations page"
    return None


# Sending


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _send(invitation: Invitation, token: str, request) -> None:
    link = request.build_absolute_uri(reverse("invitation_accept", kwargs={"token": token}))
    inviter = invitation.invited_by.get_full_name() or invitation.invited_by.get_username()
    where = f" for {invitation.force}" if invitation.force else ""
    send_mail(
        subject="You are invited to the recommendation progress tracker",
        message=(
            f"Dear {invitation.name},\n\n"
            f"{inviter} has invited you to the recommendation progress tracker as "
            f"{invitation.get_role_display().lower()}{where}.\n\n"
            "To accept, open this link and choose a password. It works once, and expires at "
            f"{timezone.localtime(invitation.expires_at):%H:%M on %-d %B %Y}:\n\n{link}\n\n"
            "If you were not expecting this, you can ignore this email.\n"
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def invitation_create(*, email: str, name: str, role: str, force: Force | None, invited_by, request) -> Invitation:
    """Invite one person; the email goes once the invitation is stored."""
    if role not in roles_for_inviter(invited_by):
        raise ValidationError("You cannot invite people to this role.")
    if role != Role.FORCE_LEAD:
        force = None
    token, digest = _new_token()
    now = timezone.now()
    invitation = Invitation(
        email=email.strip(),
        name=name.strip(),
        role=role,
        force=force,
        invited_by=invited_by,
        created_at=now,
        sent_at=now,
        expires_at=now + INVITATION_LIFETIME,
        token_digest=digest,
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        action=AuditEvent.Action.INVITATION_SENT,
        summary=f"{invited_by.get_username()} invited {invitation}",
        actor=invited_by,
        force=force,
        request=request,
    )
    transaction.on_commit(lambda: _send(invitation, token, request))
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by, request) -> Invitation:
    """A new link with a new 72 hours; the earlier link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.REVOKED):
        raise ValidationError(f"This invitation is {invitation.get_status_display().lower()}: it cannot be sent again.")
    token, invitation.token_digest = _new_token()
    invitation.sent_at = timezone.now()
    invitation.expires_at = invitation.sent_at + INVITATION_LIFETIME
    invitation.save(update_fields=["token_digest", "sent_at", "expires_at"])
    audit_record(
        action=AuditEvent.Action.INVITATION_RESENT,
        summary=f"{by.get_username()} sent the invitation again to {invitation}",
        actor=by,
        force=invitation.force,
        request=request,
    )
    transaction.on_commit(lambda: _send(invitation, token, request))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by, request) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.REVOKED):
        raise ValidationError(f"This invitation is {invitation.get_status_display().lower()} already.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        action=AuditEvent.Action.INVITATION_REVOKED,
        summary=f"{by.get_username()} revoked the invitation to {invitation}",
        actor=by,
        force=invitation.force,
        request=request,
    )
    return invitation


# Accepting


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("force").filter(token_digest=token_digest(token)).first()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str, request):
    """Make the account with its role and password; refuses a link that was used, revoked or expired.

    The invitation row is locked, so two tabs pressing the button at once make one account.
    """
    # The row alone is locked: PostgreSQL cannot lock the optional side of a join (the force).
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.WAITING:
        raise ValidationError(invitation.status)
    first, _, last = invitation.name.rpartition(" ")
    user = get_user_model()(
        username=invitation.email.lower(),
        email=invitation.email,
        first_name=(first or last)[:150],
        last_name=(last if first else "")[:150],
    )
    user.set_password(password)
    if invitation.role == Role.ADMINISTRATOR:
        user.is_staff = user.is_superuser = True
    user.save()
    if invitation.role == Role.FORCE_LEAD:
        ForceMembership.objects.create(user=user, force=invitation.force)
    elif invitation.role == Role.PORTFOLIO_STAFF:
        user.groups.add(portfolio_group_ensure())
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    audit_record(
        action=AuditEvent.Action.INVITATION_ACCEPTED,
        summary=f"{user.get_username()} accepted the invitation as {invitation.get_role_display().lower()}",
        actor=user,
        force=invitation.force,
        request=request,
    )
    return user


# Bulk invitations from a CSV file: email, name, role, force


CSV_COLUMNS = ("email", "name", "role", "force")
CSV_MAX_BYTES = 1024 * 1024
CSV_MAX_ROWS = 1000
_ROLE_NAMES = {
    "force lead": Role.FORCE_LEAD,
    "lead": Role.FORCE_LEAD,
    "force_lead": Role.FORCE_LEAD,
    "portfolio staff": Role.PORTFOLIO_STAFF,
    "portfolio_staff": Role.PORTFOLIO_STAFF,
    "staff": Role.PORTFOLIO_STAFF,
    "administrator": Role.ADMINISTRATOR,
    "admin": Role.ADMINISTRATOR,
}


@dataclass(frozen=True)
class CsvRow:
    email: str
    name: str
    role: str
    force: Force | None


def invitations_read_csv(data: bytes, inviter) -> tuple[list[CsvRow], list[str]]:
    """Check a whole file: the rows to invite, or every problem with its row and column.

    Row 1 is the heading row, as a spreadsheet numbers them.
    """
    if len(data) > CSV_MAX_BYTES:
        return [], ["The file is larger than 1 MB: split it into smaller files"]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], ["The file is not a CSV file saved as UTF-8: in Excel choose 'CSV UTF-8' when saving"]
    if "\x00" in text:
        return [], ["The file is not a CSV file: save it from your spreadsheet as 'CSV UTF-8'"]
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as error:
        return [], [f"The file could not be read as CSV: {error}"]
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return [], ["The file is empty"]
    heading = [cell.strip().lower() for cell in rows[0]]
    missing = [column for column in CSV_COLUMNS if column not in heading]
    if missing:
        return [], [
            f"Row 1: the heading row must name the columns {', '.join(CSV_COLUMNS)}; missing: {', '.join(missing)}"
        ]
    if len(rows) - 1 > CSV_MAX_ROWS:
        return [], [f"The file has more than {CSV_MAX_ROWS} people: split it into smaller files"]
    index = {column: heading.index(column) for column in CSV_COLUMNS}
    allowed = roles_for_inviter(inviter)
    forces = {}
    problems: list[str] = []
    found: list[CsvRow] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = {column: (row[i].strip() if i < len(row) else "") for column, i in index.items()}
        row_problems = []

        def problem(column: str, message: str, number=number, row_problems=row_problems) -> None:
            row_problems.append(f"Row {number}, column {column}: {message}")

        email = cells["email"]
        if not email:
            problem("email", "enter an email address")
        else:
            try:
                validate_email(email)
            except ValidationError:
                problem("email", f"“{email}” is not an email address")
            else:
                if email.lower() in seen:
                    problem("email", f"{email} is also on row {seen[email.lower()]}")
                else:
                    seen[email.lower()] = number
                    reason = email_problem(email)
                    if reason:
                        problem("email", f"{reason} ({email})")
        if not cells["name"]:
            problem("name", "enter the person's name")
        elif len(cells["name"]) > 150:
            problem("name", "the name must be 150 characters or fewer")
        role = _ROLE_NAMES.get(cells["role"].lower())
        if role is None:
            problem("role", f"“{cells['role']}” is not a role: use force lead, portfolio staff or administrator")
        elif role not in allowed:
            problem("role", f"you cannot invite people as {Role(role).label.lower()}")
        force = None
        if role == Role.FORCE_LEAD:
            if not cells["force"]:
                problem("force", "enter the force a force lead leads for")
            else:
                if cells["force"] not in forces:
                    forces[cells["force"]] = list(Force.objects.matching(cells["force"])[:2])
                matches = forces[cells["force"]]
                if len(matches) != 1:
                    problem("force", f"no force is called “{cells['force']}”")
                else:
                    force = matches[0]
        problems.extend(row_problems)
        if not row_problems:
            found.append(CsvRow(email=email, name=cells["name"], role=role, force=force))
    if not problems and not found:
        problems.append("The file has a heading row but nobody to invite")
    return (found if not problems else []), problems


@transaction.atomic
def invitations_create_from_csv(*, rows: list[CsvRow], invited_by, request) -> list[Invitation]:
    """All or nothing: every row becomes an invitation, or (should one fail now) none does."""
    return [
        invitation_create(
            email=row.email, name=row.name, role=row.role, force=row.force, invited_by=invited_by, request=request
        )
        for row in rows
    ]
