"""The audit trail: one function that records an event, the sign-in signal receivers, and the
receiver that copies every entry of the admin's log into the trail."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
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


_ADMIN_ACTIONS = {
    ADDITION: (AuditEvent.Action.ADMIN_ADDED, "added"),
    CHANGE: (AuditEvent.Action.ADMIN_CHANGED, "changed"),
    DELETION: (AuditEvent.Action.ADMIN_DELETED, "deleted"),
}


@receiver(post_save, sender=LogEntry)
def _changed_in_the_admin(sender, instance: LogEntry, created: bool, **kwargs):
    """Rounds, recommendations, reports, forces, users, force leads and devices change only in the
    admin, which logs each addition, change and deletion of one object (the admin site's bulk
    "delete selected" action is turned off in tracker/urls.py, so none escapes this)."""
    if not created or instance.action_flag not in _ADMIN_ACTIONS:
        return
    action, verb = _ADMIN_ACTIONS[instance.action_flag]
    content_type = ContentType.objects.get_for_id(instance.content_type_id)
    model = content_type.model_class()
    what = model._meta.verbose_name if model else content_type.model  # a model since removed: its name
    change = instance.get_change_message()
    audit_record(
        action=action,
        summary=f"{instance.user.get_username()} {verb} {what} \u201c{instance.object_repr}\u201d"
        + (f": {change}" if change and instance.action_flag == CHANGE else ""),
        actor=instance.user,
    )
