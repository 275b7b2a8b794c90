"""A force's action plan for a recommendation: its lead adds milestones and changes them (a moved
target date asks why) from the round's answer page, while the round is open."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..access import force_answerer, round_for_force, round_open_for_changes
from ..action_plans import StaleMilestone, milestone_add, milestone_change
from ..forms import MilestoneForm
from ..models import Milestone
from ..services import RoundClosed
from .lead import _answer_url, _recommendation_in_round


def _answer_context(request, force_slug, round_slug, report_slug, reference):
    force, party = force_answerer(request, force_slug)
    round = round_open_for_changes(round_for_force(force, round_slug))
    recommendation = _recommendation_in_round(round, report_slug, reference, party)
    return force, party, round, recommendation


def _form_errors(form, refused: ValidationError) -> None:
    if hasattr(refused, "error_dict"):
        for field, errors in refused.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, refused)


def _page(request, *, force, round, recommendation, form, milestone=None, conflict=None, status=200):
    return render(
        request,
        "recommendations/milestone_form.html",
        {
            "force": force,
            "round": round,
            "recommendation": recommendation,
            "form": form,
            "milestone": milestone,
            "conflict": conflict,
            "moves": list(milestone.moves.select_related("moved_by")) if milestone else [],
            "back_url": _answer_url(force, round, recommendation) + "#action-plan",
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def milestone_add_page(request, force_slug, round_slug, report_slug, reference):
    force, party, round, recommendation = _answer_context(request, force_slug, round_slug, report_slug, reference)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            milestone_add(
                round=round,
                force=force,
                recommendation=recommendation,
                user=request.user,
                party=party,
                description=data["description"],
                target_on=data["target_on"],
                done_on=data["done_on"],
            )
        except ValidationError as refused:
            _form_errors(form, refused)
        except RoundClosed as closed:
            raise PermissionDenied(str(closed)) from None
        else:
            messages.success(request, f"Milestone added to the action plan for {recommendation.name}.")
            return redirect(_answer_url(force, round, recommendation) + "#action-plan")
    return _page(request, force=force, round=round, recommendation=recommendation, form=form)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def milestone_change_page(request, force_slug, round_slug, report_slug, reference, milestone_id):
    force, party, round, recommendation = _answer_context(request, force_slug, round_slug, report_slug, reference)
    try:
        milestone = Milestone.objects.get(pk=milestone_id, force=force, recommendation=recommendation)
    except Milestone.DoesNotExist:
        raise Http404("No such milestone in this action plan.") from None
    conflict = None
    if request.method == "POST":
        form = MilestoneForm(request.POST, changing=milestone)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = milestone_change(
                    round=round,
                    milestone=milestone,
                    user=request.user,
                    party=party,
                    expected_revision=data["revision"],
                    description=data["description"],
                    target_on=data["target_on"],
                    done_on=data["done_on"],
                    moved_reason=data["moved_reason"],
                )
            except StaleMilestone as stale:
                conflict = milestone = stale.latest
                form = MilestoneForm({**request.POST.dict(), "revision": milestone.revision}, changing=milestone)
                form.is_valid()
                form.add_error(
                    None,
                    "Someone else changed this milestone while you were editing it. Nothing of yours was saved. "
                    "Your changes are still below: compare them with theirs, then save again.",
                )
            except ValidationError as refused:
                _form_errors(form, refused)
            except RoundClosed as closed:
                raise PermissionDenied(str(closed)) from None
            else:
                moved = changed.revision != milestone.revision and changed.target_on != milestone.target_on
                messages.success(
                    request,
                    f"Milestone {'moved and saved' if moved else 'saved'} in the action plan for {recommendation.name}.",
                )
                return redirect(_answer_url(force, round, recommendation) + "#action-plan")
    else:
        form = MilestoneForm(
            changing=milestone,
            initial={
                "description": milestone.description,
                "target_on": milestone.target_on,
                "done_on": milestone.done_on,
                "revision": milestone.revision,
            },
        )
    return _page(
        request,
        force=force,
        round=round,
        recommendation=recommendation,
        form=form,
        milestone=milestone,
        conflict=conflict,
    )
