"""Invitations: how a person gets an account without an administrator typing their password."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

INVITATION_LIFETIME = timedelta(hours=72)


class InvitationQuerySet(models.QuerySet):
    def open(self) -> "InvitationQuerySet":
        """Neither accepted nor revoked (an expired one is still open: it can be sent again)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """A person asked to join with a role (and, for a force lead, a force), by a single-use emailed link.

    Only a digest of the link's token is kept, so the table cannot be used to accept an invitation.
    """

    class Role(models.TextChoices):
        FORCE_LEAD = "force_lead", "Force lead"
        PORTFOLIO_STAFF = "portfolio_staff", "Portfolio staff"
        ADMINISTRATOR = "administrator", "Administrator"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        EXPIRED = "expired", "Expired"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"

    email = models.EmailField(help_text="The address the invitation goes to; it becomes the username.")
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    force = models.ForeignKey(
        "forces.Force", on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="For force leads."
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now, help_text="When the current link was sent.")
    expires_at = models.DateTimeField()
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        help_text="The account made when the invitation was accepted.",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="force_lead") | models.Q(force__isnull=False),
                name="invitation_force_lead_has_force",
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> as {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return reverse("invitation", kwargs={"pk": self.pk})

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.WAITING

    def get_status_display(self) -> str:
        return self.Status(self.status).label
