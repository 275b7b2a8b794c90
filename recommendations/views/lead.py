"""Pages where force leads answer for their force. Each view: access helper, form, service, redirect or render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import selectors
from ..access import force_for_reader, is_portfolio_staff, led_force

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
