"""The benchmark's baseline: the least a page of this project can do, to measure the others against.

Served at /bench/baseline/ only when BENCHMARK_VIEWS is on (`make bench` turns it on). It goes
through the same middleware, sign-in and layout as every page, reads one round's submitted answers
in one query, and renders them as a force-by-recommendation table (43 x 6 for the demo round).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from recommendations.access import require_portfolio_staff
from recommendations.models import StatusUpdate


@login_required
def baseline(request):
    """?round=<slug>: that round's submitted statuses, one row per force (one query)."""
    require_portfolio_staff(request)
    rows: dict[str, list[str]] = {}
    references: dict[str, None] = {}
    for force, reference, status in (
        StatusUpdate.objects.filter(round__slug=request.GET.get("round", ""), is_latest_submitted=True)
        .order_by("force__name", "recommendation__order", "recommendation__reference")
        .values_list("force__name", "recommendation__reference", "status")
    ):
        rows.setdefault(force, []).append(status)
        references.setdefault(reference)
    return render(request, "bench/baseline.html", {"references": list(references), "rows": rows.items()})
