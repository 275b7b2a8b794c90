"""Pages for national portfolio staff: the dashboard, recommendations across forces, snapshots, exports."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .. import selectors
from ..access import require_portfolio_staff


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
