"""More time on a round: a force's lead asks for it, with a reason; portfolio staff list the requests
and grant a new due date for that force, or refuse with a note (extensions.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from .. import selectors
from ..access import (
    Can,
    can,
    extension_for_decision,
    force_for_lead,
    require_portfolio_staff,
    round_for_force,
    round_open_for_changes,
)
from ..extensions import ExtensionAlreadyDecided, extension_ask, extension_decide
from ..forms import ExtensionRequestForm
from ..forms_staff import ExtensionDecisionForm
from ..services import RoundClosed
from ..templatetags.tracker import mid_sentence
from .action_plans import _form_errors


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def extension_ask_page(request, force_slug, round_slug):
    """The force's lead asks for more time on an open round."""
    force = force_for_lead(request, force_slug)
    round = round_open_for_changes(round_for_force(force, round_slug))
    deadline = selectors.force_deadline(force, round)
    back_url = force.get_absolute_url() + f"#round-{round.slug}"
    form = ExtensionRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            extension_ask(
                round=round,
                force=force,
                user=request.user,
                asked_for=form.cleaned_data["asked_for"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as refused:
            _form_errors(form, refused)
        except RoundClosed as closed:
            raise PermissionDenied(str(closed)) from None
        else:
            messages.success(
                request,
                f"You asked for more time on {mid_sentence(round.title)}. National staff will decide, and you will be emailed.",
            )
            return redirect(back_url)
    return render(
        request,
        "recommendations/extension_ask.html",
        {"force": force, "round": round, "deadline": deadline, "form": form, "back_url": back_url},
    )


@require_safe
@login_required
def extensions_page(request):
    """The requests for more time waiting for a decision, oldest first, and the latest decisions."""
    require_portfolio_staff(request)
    return render(
        request,
        "recommendations/staff/extensions.html",
        {
            "waiting": list(selectors.extensions_waiting()),
            "decided": list(selectors.extensions_decided()),
            "may_decide": can(request.user, Can.DECIDE_EXTENSIONS),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def extension_decide_page(request, extension_id):
    """Grant a force more time (a new due date) or refuse it (with a note). A request decided
    already, by someone else or before, is shown as it was decided."""
    extension = extension_for_decision(request, extension_id)
    form = ExtensionDecisionForm(
        request.POST if request.method == "POST" else None,
        round_due_on=extension.round.due_on,
        initial={"due_on": extension.asked_for},
    )
    if request.method == "POST" and extension.state == extension.State.WAITING and form.is_valid():
        data = form.cleaned_data
        try:
            decided = extension_decide(
                extension=extension,
                user=request.user,
                decision=data["decision"],
                due_on=data["due_on"],
                note=data["note"],
            )
        except ExtensionAlreadyDecided as already:
            extension = already.latest
            form.add_error(
                None,
                f"{extension.decided_by or 'Someone'} decided this request while you were reading it: nothing of yours "
                "was saved. Their decision is below.",
            )
        except ValidationError as refused:
            _form_errors(form, refused)
        else:
            granted = decided.state == decided.State.GRANTED
            messages.success(
                request,
                f"{decided.force.name} granted more time: due {decided.due_on:%-d %B %Y}."
                if granted
                else f"More time refused for {decided.force.name}.",
            )
            return redirect("recommendations:extensions")
    return render(
        request,
        "recommendations/staff/extension_decide.html",
        {
            "extension": extension,
            "form": form,
            "deadline": selectors.force_deadline(extension.force, extension.round),
        },
    )
