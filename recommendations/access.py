"""Who may see and change what. Every view and download asks these helpers; nothing else decides.

- A force lead reads and changes only their own force's answers, and only in an open round.
- Portfolio staff (the "Portfolio staff" group) and administrators read every force, and do the
  work each of the permissions below names: review answers, code them, draft and publish snapshots.
- Anyone else signed in sees nothing but their own account page.

Someone else's force is answered with 404, so a guessed address tells nothing; a page of the
wrong kind for the person's role (a lead on the dashboard) is answered with 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from forces.models import Force, ForceMembership

from .models import Recommendation, Round, Snapshot, StatusUpdate

PORTFOLIO_GROUP = "Portfolio staff"


class Can:
    """The permissions of national staff's work, each named for what it guards (defined on Round)."""

    READ_EVERY_FORCE = "recommendations.view_all_forces"
    REVIEW_ANSWERS = "recommendations.review_answers"
    CODE_ANSWERS = "recommendations.code_answers"
    DRAFT_SNAPSHOTS = "recommendations.draft_snapshots"
    PUBLISH_SNAPSHOTS = "recommendations.publish_snapshots"


# What the "Portfolio staff" group may do: all of it (services.portfolio_group_ensure gives it these).
PORTFOLIO_PERMISSIONS = [
    Can.READ_EVERY_FORCE,
    Can.REVIEW_ANSWERS,
    Can.CODE_ANSWERS,
    Can.DRAFT_SNAPSHOTS,
    Can.PUBLISH_SNAPSHOTS,
]


def can(user, permission: str) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.has_perm(permission)))


def is_portfolio_staff(user) -> bool:
    """Reads every force: the dashboard and every staff page start here."""
    return can(user, Can.READ_EVERY_FORCE)


def require(request: HttpRequest, permission: str) -> None:
    """403 unless the person reads every force and may do this work."""
    require_portfolio_staff(request)
    if not can(request.user, permission):
        raise PermissionDenied("Your account cannot do this. Ask an administrator if you need to.")


def led_force(user) -> Force | None:
    """The force a user leads for, or None. Cached on the user for the request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_led_force"):
        membership = ForceMembership.objects.select_related("force").filter(user=user).first()
        user._led_force = membership.force if membership else None
    return user._led_force


def require_portfolio_staff(request: HttpRequest) -> None:
    if not is_portfolio_staff(request.user):
        raise PermissionDenied("This page is for portfolio staff.")


def force_for_reader(request: HttpRequest, force_slug: str) -> Force:
    """The force whose answers the signed-in person may read: their own, or any for staff."""
    force = get_object_or_404(Force, slug=force_slug)
    if is_portfolio_staff(request.user) or led_force(request.user) == force:
        return force
    raise Http404("No such force.")


def force_for_lead(request: HttpRequest, force_slug: str) -> Force:
    """The force whose answers the signed-in person may change: only the force they lead for."""
    force = led_force(request.user)
    if force is None or force.slug != force_slug:
        if is_portfolio_staff(request.user):
            raise PermissionDenied("Only the force's own lead may change its answers.")
        raise Http404("No such force.")
    return force


def round_for_force(force: Force, round_slug: str) -> Round:
    """A round that asked this force; any other is not found."""
    return get_object_or_404(Round.objects.for_force(force), slug=round_slug)


def round_open_for_changes(round: Round) -> Round:
    if not round.is_open:
        raise PermissionDenied("This round is closed: answers can no longer be changed.")
    return round


# Portfolio staff. Each helper checks the role itself, so a view cannot forget to.


def round_for_staff(request: HttpRequest, round_slug: str) -> Round:
    require_portfolio_staff(request)
    return get_object_or_404(Round, slug=round_slug)


def recommendation_for_staff(request: HttpRequest, round: Round, reference: str) -> Recommendation:
    """A recommendation in scope of the round; any other is not found."""
    require_portfolio_staff(request)
    return get_object_or_404(round.recommendations.all(), reference=reference)


def force_for_staff(request: HttpRequest, force_slug: str) -> Force:
    require_portfolio_staff(request)
    return get_object_or_404(Force, slug=force_slug)


def snapshot_for_staff(request: HttpRequest, snapshot_id: int) -> Snapshot:
    require_portfolio_staff(request)
    return get_object_or_404(Snapshot.objects.select_related("round", "updates_snapshot"), pk=snapshot_id)


def snapshot_for_editing(request: HttpRequest, snapshot_id: int) -> Snapshot:
    """A draft snapshot; a published one is frozen, and a correction is a new snapshot."""
    snapshot = snapshot_for_staff(request, snapshot_id)
    if snapshot.state != Snapshot.State.DRAFT:
        raise PermissionDenied("A published snapshot cannot be changed. Draft a correction instead.")
    return snapshot


def answer_for_review(request: HttpRequest, force_slug: str, round_slug: str, reference: str):
    """The force's latest submitted answer, for a reviewer, in a round still open (a force could not
    answer a return in a closed one)."""
    require(request, Can.REVIEW_ANSWERS)
    force = get_object_or_404(Force, slug=force_slug)
    round = round_open_for_changes(round_for_force(force, round_slug))
    return get_object_or_404(
        StatusUpdate.objects.submitted().select_related("round", "force", "recommendation"),
        round=round,
        force=force,
        recommendation__in=round.recommendations.all(),
        recommendation__reference=reference,
    )
