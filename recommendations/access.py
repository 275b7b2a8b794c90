"""Who may see and change what. Every view and download asks these helpers; nothing else decides.

- A force lead reads and changes only their own force's answers, and only in an open round.
- Portfolio staff (the "Portfolio staff" group) and administrators read every force, and do the
  work each of the permissions below names: review answers, code them, draft and publish snapshots.
- A commissioner's office (a user who belongs to a local policing body) reads its own force's
  submitted answers in every round (never drafts, never another force), answers the recommendations
  addressed to commissioners through the same forms as leads, and writes and publishes its body's
  statutory responses. Another body's objects are not found (404); a force lead's pages are 403.
- Anyone else signed in sees nothing but their own account page.

Someone else's force is answered with 404, so a guessed address tells nothing; a page of the
wrong kind for the person's role (a lead on the dashboard) is answered with 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from forces.models import BodyMembership, Force, ForceMembership, PolicingBody

from . import rules
from .models import (
    EvidenceDocument,
    Extension,
    Recommendation,
    Report,
    Round,
    Snapshot,
    StatusUpdate,
    StatutoryResponse,
)

PORTFOLIO_GROUP = "Portfolio staff"


class Can:
    """The permissions of national staff's work, each named for what it guards (defined on Round)."""

    READ_EVERY_FORCE = "recommendations.view_all_forces"
    REVIEW_ANSWERS = "recommendations.review_answers"
    CODE_ANSWERS = "recommendations.code_answers"
    DRAFT_SNAPSHOTS = "recommendations.draft_snapshots"
    PUBLISH_SNAPSHOTS = "recommendations.publish_snapshots"
    LINK_RECOMMENDATIONS = "recommendations.link_recommendations"
    DECIDE_EXTENSIONS = "recommendations.decide_extensions"


# What the "Portfolio staff" group may do: all of it (services.portfolio_group_ensure gives it these).
PORTFOLIO_PERMISSIONS = [
    Can.READ_EVERY_FORCE,
    Can.REVIEW_ANSWERS,
    Can.CODE_ANSWERS,
    Can.DRAFT_SNAPSHOTS,
    Can.PUBLISH_SNAPSHOTS,
    Can.LINK_RECOMMENDATIONS,
    Can.DECIDE_EXTENSIONS,
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
        if user.__class__.force_membership.is_cached(user):  # read with the user (tracker/backends.py)
            membership = getattr(user, "force_membership", None)
        else:
            membership = ForceMembership.objects.select_related("force").filter(user=user).first()
        user._led_force = membership.force if membership else None
    return user._led_force


def require_portfolio_staff(request: HttpRequest) -> None:
    if not is_portfolio_staff(request.user):
        raise PermissionDenied("This page is for portfolio staff.")


def force_for_reader(request: HttpRequest, force_slug: str) -> Force:
    """The force whose answers the signed-in person may read: their own, or any for staff."""
    own = led_force(request.user)
    if own is not None and own.slug == force_slug:
        return own
    force = get_object_or_404(Force, slug=force_slug)
    if is_portfolio_staff(request.user) or led_force(request.user) == force:
        return force
    _refuse_own_office(request, force)
    raise Http404("No such force.")


def force_for_lead(request: HttpRequest, force_slug: str) -> Force:
    """The force whose answers the signed-in person may change: only the force they lead for."""
    force = led_force(request.user)
    if force is None or force.slug != force_slug:
        if is_portfolio_staff(request.user):
            raise PermissionDenied("Only the force's own lead may change its answers.")
        body = office_body(request.user) if force is None else None
        if body is not None and body.force.slug == force_slug:
            raise PermissionDenied("This page is for the force's lead.")
        raise Http404("No such force.")
    return force


def _refuse_own_office(request: HttpRequest, force: Force) -> None:
    """403 for the force's own commissioner's office on a force lead's page (its drafts, its history):
    the office reads the force's submitted answers on its own page."""
    if led_force(request.user) is None:
        body = office_body(request.user)
        if body is not None and body.force_id == force.pk:
            raise PermissionDenied("Your office reads the force's submitted answers on its own page.")


def office_body(user) -> PolicingBody | None:
    """The local policing body whose office a user works in, or None. Cached on the user for the request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_office_body"):
        membership = BodyMembership.objects.select_related("body__force").filter(user=user).first()
        user._office_body = membership.body if membership else None
    return user._office_body


def force_answerer(request: HttpRequest, force_slug: str) -> tuple[Force, str]:
    """The force whose answers the signed-in person may change, and the party they answer for:
    the force's lead answers for the force, its body's office for the body (rules.Party).
    Staff: 403; anyone else, or another force: 404."""
    force = led_force(request.user)
    if force is not None and force.slug == force_slug:
        return force, rules.Party.FORCE
    body = office_body(request.user)
    if body is not None and body.force.slug == force_slug:
        return body.force, rules.Party.BODY
    if is_portfolio_staff(request.user):
        raise PermissionDenied("Only the force's own lead, or its commissioner's office, may change its answers.")
    raise Http404("No such force.")


def body_for_reader(request: HttpRequest, body_slug: str) -> PolicingBody:
    """A body's page: its own office, or staff reading every body. Another office: 404; a lead: 403."""
    body = get_object_or_404(PolicingBody.objects.select_related("force"), slug=body_slug)
    own = office_body(request.user)
    if is_portfolio_staff(request.user) or (own is not None and own.pk == body.pk):
        return body
    if own is None and led_force(request.user) is not None:
        raise PermissionDenied("This page is for the commissioner's office.")
    raise Http404("No such body.")


def body_for_office(request: HttpRequest, body_slug: str) -> PolicingBody:
    """The body whose work the signed-in person may change: only their own office's."""
    body = body_for_reader(request, body_slug)
    own = office_body(request.user)
    if own is None or own.pk != body.pk:
        raise PermissionDenied("Only the body's own office may change its response.")
    return body


def response_for_reader(request: HttpRequest, body_slug: str, response_id: int) -> StatutoryResponse:
    """One of a body's responses. Staff read published ones only: a draft is the office's own work."""
    body = body_for_reader(request, body_slug)
    response = get_object_or_404(
        StatutoryResponse.objects.select_related("body__force", "report", "updates_response"), pk=response_id, body=body
    )
    own = office_body(request.user)
    if response.state == StatutoryResponse.State.DRAFT and (own is None or own.pk != body.pk):
        raise Http404("No such response.")
    return response


def response_for_editing(request: HttpRequest, body_slug: str, response_id: int) -> StatutoryResponse:
    """A draft of the office's own body; a published response is frozen (correct it as a new version)."""
    body = body_for_office(request, body_slug)
    response = response_for_reader(request, body_slug, response_id)
    if response.body_id != body.pk or response.state != StatutoryResponse.State.DRAFT:
        raise PermissionDenied("A published response cannot be changed. Publish an updated version instead.")
    return response


def report_for_body(report_slug: str):
    """A report local policing bodies must comment on; any other is not found."""

    return get_object_or_404(Report, slug=report_slug, bodies_must_comment=True)


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


def recommendation_at(recommendations, report_slug: str, reference: str) -> Recommendation:
    """The recommendation an address names, among `recommendations` (a queryset): by its report and
    its reference, since two reports may both have a "1". Any other is not found."""
    return get_object_or_404(recommendations.select_related("report"), report__slug=report_slug, reference=reference)


def recommendation_for_staff(request: HttpRequest, round: Round, report_slug: str, reference: str) -> Recommendation:
    """A recommendation in scope of the round; any other is not found."""
    require_portfolio_staff(request)
    return recommendation_at(round.recommendations.all(), report_slug, reference)


@dataclass(frozen=True)
class RegisterReader:
    """Who reads the register, and so whose answers it shows: every force's (portfolio staff,
    `force` None) or one force's (its lead, or its commissioner's office, read-only)."""

    force: Force | None
    parties: tuple[str, ...]  # who answers the recommendations shown (rules.Party)
    reads_versions: bool  # may open an answer's version history (staff, the force's own lead)


def register_reader(request: HttpRequest) -> RegisterReader:
    """Staff read every force; a force lead their force's answers to the recommendations it answers;
    a commissioner's office its force's, and its own. Anyone else signed in: 403."""
    if is_portfolio_staff(request.user):
        return RegisterReader(force=None, parties=(rules.Party.FORCE, rules.Party.BODY), reads_versions=True)
    force = led_force(request.user)
    if force is not None:
        return RegisterReader(force=force, parties=(rules.Party.FORCE,), reads_versions=True)
    body = office_body(request.user)
    if body is not None:
        return RegisterReader(force=body.force, parties=(rules.Party.FORCE, rules.Party.BODY), reads_versions=False)
    raise PermissionDenied("The register is for force leads, commissioners' offices and portfolio staff.")


def register_scope(reader: RegisterReader) -> QuerySet[Recommendation]:
    """The recommendations a reader sees in the register: every one for staff; for a force, those
    of the rounds that asked it, answered by the reader's party."""
    if reader.force is None:
        return Recommendation.objects.all()
    asked = Round.recommendations.through.objects.filter(
        recommendation_id=OuterRef("pk"), round__forces_asked=reader.force
    )
    parties = rules.answered_by(reader.parties[0])
    for party in reader.parties[1:]:
        parties |= rules.answered_by(party)
    return Recommendation.objects.filter(parties, Exists(asked))


def register_recommendation(request: HttpRequest, report_slug: str, reference: str):
    """A recommendation's register page: the reader, and the recommendation if they may see it
    (any other is not found)."""
    reader = register_reader(request)
    return reader, recommendation_at(register_scope(reader).select_related("parent"), report_slug, reference)


def extension_for_decision(request: HttpRequest, extension_id: int) -> Extension:
    """A force's request for more time, for staff who may grant or refuse it."""
    require(request, Can.DECIDE_EXTENSIONS)
    return get_object_or_404(
        Extension.objects.select_related("round", "force", "asked_by", "decided_by"), pk=extension_id
    )


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


def answer_for_review(request: HttpRequest, force_slug: str, round_slug: str, report_slug: str, reference: str):
    """The force's latest submitted answer, for a reviewer, in a round still open (a force could not
    answer a return in a closed one)."""
    require(request, Can.REVIEW_ANSWERS)
    force = get_object_or_404(Force, slug=force_slug)
    round = round_open_for_changes(round_for_force(force, round_slug))
    return get_object_or_404(
        StatusUpdate.objects.submitted().select_related("round", "force", "recommendation"),
        round=round,
        force=force,
        recommendation=recommendation_at(round.recommendations.all(), report_slug, reference),
    )


def evidence_document_for_reader(
    request: HttpRequest, force_slug: str, round_slug: str, report_slug: str, reference: str, document_id: int
) -> EvidenceDocument:
    """An evidence document attached to a version of an answer the person may read, as the answer's
    history is read: the force's own lead reads every version; portfolio staff read the versions the
    force submitted or withdrew, never a draft. A commissioner's office reads every version of its own
    answers (the recommendations its body answers) and gets 403 on the force's, as on the force's
    history. Another force's, or a draft's to staff: not found (404)."""
    body = office_body(request.user) if led_force(request.user) is None else None
    own_office = body is not None and body.force.slug == force_slug
    force = body.force if own_office else force_for_reader(request, force_slug)
    round = round_for_force(force, round_slug)
    recommendation = recommendation_at(round.recommendations.all(), report_slug, reference)
    if own_office and rules.answering_party(recommendation.addressee) != rules.Party.BODY:
        raise PermissionDenied("Your office reads the force's submitted answers on its own page.")
    attached = get_object_or_404(
        EvidenceDocument.objects.select_related("document", "version"),
        pk=document_id,
        version__round=round,
        version__force=force,
        version__recommendation=recommendation,
    )
    writer = own_office or led_force(request.user) == force
    if attached.version.state == StatusUpdate.State.DRAFT and not writer:
        raise Http404("No such document.")
    return attached
