"""The audit trail: one function that records an event, and the sign-in signal receivers."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditEvent


def audit_record(*, action: str, summary: str, actor=None, force=None, round=None, request=None) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        summary=summary[:500],
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "",
        force=str(force or ""),
        round=str(round or ""),
        ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
    )


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    audit_record(
        action=AuditEvent.Action.SIGNED_IN, summary=f"{user.get_username()} signed in", actor=user, request=request
    )


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(
            action=AuditEvent.Action.SIGNED_OUT,
            summary=f"{user.get_username()} signed out",
            actor=user,
            request=request,
        )


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    event = audit_record(
        action=AuditEvent.Action.SIGN_IN_FAILED, summary=f"Failed sign-in as {username!r}", request=request
    )
    event.actor_name = username
    event.save(update_fields=["actor_name"])
