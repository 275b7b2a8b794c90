"""The register: every recommendation across reports, and each one's timeline of forces' statuses round
by round. Portfolio staff read every force; a force lead, and its commissioner's office, read-only,
their own force (access.register_reader decides which, and what else is refused)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import selectors
from ..access import register_reader, register_recommendation, register_scope
from ..forms import RegisterFilterForm

REGISTER_PAGE_SIZE = 50
TIMELINE_PAGE_SIZE = 50  # forces, as the dashboard's matrix


@require_safe
@login_required
def register_page(request):
    """Every recommendation the reader may see, 50 to a page (?page=), filtered by report, publisher,
    addressee, theme and latest status, and searched in its reference, title and text; each row with
    a count by status in its newest round (staff) or the force's latest status (a force)."""
    reader = register_reader(request)
    scope = register_scope(reader)
    form = RegisterFilterForm(
        request.GET,
        choices=selectors.register_choices(scope),
        status_help=(
            "Where any force's latest submitted answer has this status."
            if reader.force is None
            else f"{reader.force.name}'s latest submitted answer."
        ),
    )
    recommendations = Paginator(
        selectors.register_recommendations(scope, form.filters(), reader.force), REGISTER_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    recommendations.object_list = selectors.register_rows(list(recommendations.object_list), reader.force)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "recommendations/register/register.html",
        {
            "form": form,
            "reader": reader,
            "recommendations": recommendations,
            "params": params.urlencode(),
            "filtered": any(value for key, value in request.GET.items() if key != "page"),
        },
    )


@require_safe
@login_required
def register_recommendation_page(request, report_slug, reference):
    """One recommendation: its text, report, addressee, parent and parts, the rounds it has been in;
    for staff a table of every force's status in each round, 50 forces to a page (?page=), and for
    one force (?force=, or the reader's own) its answer round by round: status, date, progress
    update and review."""
    reader, recommendation = register_recommendation(request, report_slug, reference)
    rounds = selectors.recommendation_rounds(recommendation, reader.force)
    table = None
    force = reader.force
    params = ""
    if force is None:
        forces = selectors.timeline_forces(rounds)
        chosen = request.GET.get("force", "")
        # An unknown force is ignored, as an unknown filter is: the table is still the page.
        force = next((item for item in forces if item.slug == chosen), None)
        table = Paginator(forces, TIMELINE_PAGE_SIZE).get_page(request.GET.get("page"))
        table.object_list = selectors.timeline_table(recommendation, rounds, list(table.object_list))
        params = urlencode({"force": force.slug}) if force else ""
    return render(
        request,
        "recommendations/register/recommendation.html",
        {
            "reader": reader,
            "recommendation": recommendation,
            "parts": selectors.recommendation_parts(recommendation),
            "links": selectors.recommendation_links(recommendation),
            "reader_is_staff": reader.force is None,
            "rounds": rounds,
            "table": table,
            "params": params,
            "force": force,
            "timeline": selectors.force_timeline(recommendation, force, rounds) if force is not None else None,
        },
    )
