"""Invitation pages: staff and administrators invite, resend and revoke; the invited person accepts.

Who may do what is decided in tracker/invitations.py (roles_for_inviter); a person who may not
invite anyone gets 403, and an invitation they may not see is not found.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import invitations
from .forms import InvitationForm, InvitationUploadForm, NewPasswordForm
from .models import Invitation


def _inviter(request) -> list[str]:
    roles = invitations.roles_for_inviter(request.user)
    if not roles:
        raise PermissionDenied("Only administrators and portfolio staff invite people.")
    return roles


def _invitation_for(request, pk: int) -> Invitation:
    _inviter(request)
    return get_object_or_404(invitations.invitations_visible_to(request.user), pk=pk)


@require_safe
@login_required
def invitation_list(request):
    """The invitations this person may manage, newest first, with their state."""
    _inviter(request)
    return render(
        request,
        "registration/invitation_list.html",
        {"invitations": invitations.invitations_visible_to(request.user)[:500]},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def invitation_new(request):
    roles = _inviter(request)
    form = InvitationForm(request.POST if request.method == "POST" else None, roles=roles)
    if request.method == "POST" and form.is_valid():
        problem = invitations.email_problem(form.cleaned_data["email"])
        if problem:
            form.add_error("email", problem)
        else:
            invitation = invitations.invitation_create(
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                force=form.cleaned_data["force"],
                invited_by=request.user,
                request=request,
            )
            messages.success(request, f"Invitation sent to {invitation.email}")
            return redirect("invitation_list")
    return render(request, "registration/invitation_new.html", {"form": form}, status=400 if form.errors else 200)


@require_safe
@login_required
def invitation_detail(request, pk: int):
    return render(request, "registration/invitation_detail.html", {"invitation": _invitation_for(request, pk)})


@login_required
@require_POST
def invitation_resend(request, pk: int):
    invitation = _invitation_for(request, pk)
    try:
        invitations.invitation_resend(invitation=invitation, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"A new link was sent to {invitation.email}. The earlier link no longer works.")
    return redirect(invitation)


@login_required
@require_POST
def invitation_revoke(request, pk: int):
    invitation = _invitation_for(request, pk)
    try:
        invitations.invitation_revoke(invitation=invitation, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"The invitation to {invitation.email} was revoked. Its link no longer works.")
    return redirect(invitation)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def invitation_upload(request):
    """Bulk invitations: the whole file is checked first; nobody is invited unless every row is right."""
    _inviter(request)
    form = InvitationUploadForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        rows, problems = invitations.invitations_read_csv(form.cleaned_data["file"].read(), request.user)
        if not problems:
            invitations.invitations_create_from_csv(rows=rows, invited_by=request.user, request=request)
            messages.success(request, f"{len(rows)} invitation{'s' if len(rows) != 1 else ''} sent")
            return redirect("invitation_list")
    return render(
        request,
        "registration/invitation_upload.html",
        {"form": form, "problems": problems},
        status=400 if problems or form.errors else 200,
    )


_REFUSED = {
    Invitation.Status.ACCEPTED: "This invitation has already been used",
    Invitation.Status.EXPIRED: "This invitation has expired",
    Invitation.Status.REVOKED: "This invitation has been withdrawn",
}


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request, token: str):
    """The emailed link: choose a password, and the account is made and signed in.

    A link that was used, has expired or was withdrawn gets a page saying so and what to do (410);
    a link that never existed gets 404.
    """
    invitation = invitations.invitation_for_token(token)
    if invitation is None:
        return render(request, "registration/invitation_refused.html", {"title": "This link does not work"}, status=404)
    if invitation.status != Invitation.Status.WAITING:
        return _refused(request, invitation)
    person = get_user_model()(username=invitation.email.lower(), email=invitation.email, first_name=invitation.name)
    form = NewPasswordForm(person, request.POST if request.method == "POST" else None, button="Create account")
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.invitation_accept(
                invitation=invitation, password=form.cleaned_data["new_password1"], request=request
            )
        except ValidationError:
            invitation.refresh_from_db()
            return _refused(request, invitation)
        login(request, user, backend="tracker.backends.SignedInBackend")
        messages.success(request, "Your account is ready. You are signed in.")
        return redirect("home")
    return render(
        request,
        "registration/invitation_accept.html",
        {"invitation": invitation, "form": form},
        status=400 if form.errors else 200,
    )


def _refused(request, invitation: Invitation):
    return render(
        request,
        "registration/invitation_refused.html",
        {"title": _REFUSED[invitation.status], "invitation": invitation},
        status=410,
    )
