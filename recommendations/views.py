"""Pages for force leads and portfolio staff. Each view: access helper, selector or service, render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from . import selectors
from .access import force_for_reader, is_portfolio_staff, led_force, require_portfolio_staff

@login_required
def force_page(request, force_slug):
    """A force's rounds: open ones with every recommendation and the state of the force's answer, closed ones below."""
    force = force_for_reader(request, force_slug)
    rounds = list(selectors.rounds_for_force(force))
    open_rounds = [
        {"round": round, "rows": selectors.force_answer_rows(force, round)} for round in rounds if round.is_open
    ]
    closed_rounds = [round for round in rounds if not round.is_open]
    return render(
        request,
        "recommendations/force.html",
        {
            "force": force,
            "open_rounds": open_rounds,
            "closed_rounds": closed_rounds,
            "is_own_force": led_force(request.user) == force,
            "is_staff_reader": is_portfolio_staff(request.user),
        },
    )

@login_required
def dashboard(request):
    """The consolidated picture of one round (the newest answered one unless ?round= names another)."""
    require_portfolio_staff(request)
    rounds = list(selectors.dashboard_rounds())
    slug = request.GET.get("round")
    if slug:
        round = next((item for item in rounds if item.slug == slug), None)
        if round is None:
            raise Http404("No such round.")
    else:
        round = selectors.default_dashboard_round()
    rollup = selectors.round_rollup(round) if round else None
    return render(
        request,
        "recommendations/dashboard.html",
        {"rounds": rounds, "round": round, "rollup": rollup},
    )

__all__ = ["dashboard", "force_page", "Round"]
