"""Pages for national portfolio staff: the dashboard, recommendations across forces, snapshots, exports.

Every view starts by asking access.py whether the person is portfolio staff; figures come from the
roll-up (rollup.py), never counted here.
"""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tracker.middleware import bad_request

from .. import analysis, documents, exports, markup, rules, search, selectors, services, snapshots, suggestions
from ..access import (
    Can,
    answer_for_review,
    can,
    force_for_staff,
    recommendation_at,
    recommendation_for_staff,
    require,
    require_portfolio_staff,
    round_for_staff,
    round_open_for_changes,
    snapshot_for_editing,
    snapshot_for_staff,
)
from ..forms import ReturnAnswerForm
from ..forms_staff import (
    AnswerCodingForm,
    AnswerQueueForm,
    AnswerSearchForm,
    DashboardFilterForm,
    NotablePracticeForm,
    RecommendationLinkForm,
    ReturnNoteForm,
    SnapshotForm,
    SnapshotSectionForm,
)
from ..models import NotablePractice, RecommendationLink, Snapshot, StatusUpdate, Theme
from ..rules import ANONYMOUS_ATTRIBUTION, ReviewState
from ..services import status_update_review, status_updates_accept
from .lead import answer_history_page

# Forces per page of the dashboard's matrix, and answers per page of a recommendation's answers: the
# pages cost the same at 43 forces and at 430.
MATRIX_PAGE_SIZE = 50
ANSWERS_PAGE_SIZE = 50


@require_safe
@login_required
def dashboard(request):
    """The consolidated picture of one round (the newest answered one unless ?round= names another).

    Reads the round's figures (the roll-up, the force-by-recommendation matrix, the movements since
    the previous round, the chase list; cached until an answer, coding, reminder or the admin
    changes them) and the snapshots; renders the dashboard with one page of the matrix, filtered by
    ?country= and ?status=. The matrix (a row for every force) is shown when asked for: ?matrix=show,
    a filter or a page of it; otherwise the page says how many forces it holds and links to it.

    A round asking about several reports shows one report's recommendations at a time (?report=, the
    first in the round's order by default): their figures and their columns of the matrix, narrowed
    from the same cached figures; the headline and the chase list stay the whole round's.
    """
    require_portfolio_staff(request)
    index = selectors.rounds_index()
    rounds = index.rounds
    slug = request.GET.get("round")
    if slug:
        round = next((item for item in rounds if item.slug == slug), None)
        if round is None:
            raise Http404("No such round.")
    else:
        round = selectors.default_dashboard_round(rounds)
    context = {"rounds": rounds, "round": round, "rollup": None}
    today = timezone.localdate()
    if round is not None:
        filters = DashboardFilterForm(request.GET)
        chosen = filters.values()
        whole = selectors.round_figures(round, index)
        report = _dashboard_report(request, whole)
        figures = selectors.report_figures(whole, report.slug) if report else whole
        matrix = Paginator(selectors.round_matrix(figures, **chosen), MATRIX_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        show_matrix = any(name in request.GET for name in ("matrix", "country", "status", "page"))
        if show_matrix:
            matrix.object_list = selectors.matrix_rows(matrix.object_list, figures.recommendations)
        context.update(
            show_matrix=show_matrix,
            figures=figures,
            figures_cache_seconds=selectors.FIGURES_CACHE_SECONDS,
            rollup=figures.rollup,
            reports=whole.reports,
            report=report,
            round_recommendations=len(whole.recommendations),
            filters=filters,
            chosen=chosen,
            chase=[(force, force.late(today)) for force in figures.chase],
            chase_late=sum(force.late(today) for force in figures.chase),
            today=today,
            matrix=matrix,
            recommendations=figures.recommendations,
            previous=figures.previous,
            movements=figures.movements,
            snapshots=whole.snapshots,
            following=whole.follow_of(request.user),
            overdue_milestones=selectors.round_overdue_milestones(figures, today),
        )
    return render(request, "recommendations/dashboard.html", context)


def _dashboard_report(request, figures) -> selectors.RoundReport | None:
    """The report the dashboard shows (?report=, else the round's first), when the round asks about
    more than one; None when it asks about one."""
    if len(figures.reports) < 2:
        return None
    slug = request.GET.get("report")
    if not slug:
        return figures.reports[0]
    report = next((item for item in figures.reports if item.slug == slug), None)
    if report is None:
        raise Http404("This round asks about no such report.")
    return report


def _queue_form(request, recommendation) -> AnswerQueueForm:
    form = AnswerQueueForm(request.GET, themes=selectors.recommendation_themes(recommendation))
    form.is_valid()
    return form


@require_safe
@login_required
def recommendation_page(request, round_slug, report_slug, reference):
    """Every force's answer to one recommendation in a round (its last submitted version, or its
    withdrawal with the reason), each with its review state, 50 to a page (?page=), filtered by
    review state, coded or not, theme, status and words, in the order chosen; staff who review may
    accept the chosen answers at once."""
    round = round_for_staff(request, round_slug)
    recommendation = recommendation_for_staff(request, round, report_slug, reference)
    queue_form = _queue_form(request, recommendation)
    filters = queue_form.values()
    can_review = can(request.user, Can.REVIEW_ANSWERS) and round.is_open
    figures = selectors.round_figures(round)
    asked = hashlib.sha256(
        f"{request.GET.get('page', '')}\n{queue_form.query_string()}\n{can_review}".encode()
    ).hexdigest()
    answers_key = f"{figures.key}:answers:{recommendation.pk}:{asked}"
    answers_html = cache.get(answers_key)
    if answers_html is None:
        answers = Paginator(selectors.recommendation_queue(round, recommendation, filters), ANSWERS_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        answers.object_list = selectors.coded_answers(round, recommendation, list(answers.object_list))
        answers_html = render_to_string(
            "recommendations/staff/recommendation_answers.html",
            {
                "round": round,
                "recommendation": recommendation,
                "filters": filters,
                "queue": queue_form.query_string(),
                "answers": answers,
                "can_review": can_review,
            },
            request=request,
        )
        cache.set(answers_key, answers_html, selectors.FIGURES_CACHE_SECONDS)
    return render(
        request,
        "recommendations/staff/recommendation.html",
        {
            "round": round,
            "recommendation": recommendation,
            "figures": figures.figures_for(recommendation.id),
            "links": selectors.recommendation_links(recommendation),
            "queue_form": queue_form,
            "queue": queue_form.query_string(),
            "can_review": can_review,
            # Rendered once per revision of the round's figures (which every answer, coding, review
            # and quote raises), page and filters, and kept under that key.
            "answers_html": answers_html,
        },
    )


@login_required
@require_POST
def answers_accept(request, round_slug, report_slug, reference):
    """Accept the chosen answers (those still needing review) to one recommendation at once."""
    require(request, Can.REVIEW_ANSWERS)
    round = round_open_for_changes(round_for_staff(request, round_slug))
    recommendation = recommendation_for_staff(request, round, report_slug, reference)
    chosen = selectors.answers_for_bulk_accept(round, recommendation, request.POST.getlist("answers"))
    if chosen:
        status_updates_accept(updates=chosen, user=request.user)
        messages.success(request, f"{len(chosen)} {'answer' if len(chosen) == 1 else 'answers'} accepted.")
    else:
        messages.error(request, "Select the answers to accept.")
    queue = request.POST.get("queue", "")
    return redirect(
        reverse("recommendations:staff_recommendation", args=[round.slug, *recommendation.address.values()])
        + (f"?{queue}" if queue else "")
    )


def _answer_url(round, recommendation, force_slug: str, queue: str) -> str:
    return reverse("recommendations:staff_answer", args=[round.slug, *recommendation.address.values(), force_slug]) + (
        f"?{queue}" if queue else ""
    )


def _listed_url(round, recommendation, force_slug: str, queue: str, page: int) -> str:
    """The recommendation's list, filtered as the staff member chose, at the page showing the answer."""
    return (
        reverse("recommendations:staff_recommendation", args=[round.slug, *recommendation.address.values()])
        + f"?{queue + '&' if queue else ''}page={page}#answer-{force_slug}"
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def answer_page(request, round_slug, report_slug, reference, force_slug):
    """One force's answer, everything about it, and what staff can still do with it.

    Reads the answer (its last submitted version, or its withdrawal), every version with what
    changed from the one before, its review, themes and quoted practice, suggested themes, the most
    similar answers in the round, and where it sits in the list the staff member is working through
    (the filters and order of the recommendation page, carried in the query string). Offers only the
    actions that still apply (rules.review_actions) and that the person may do; each can save and
    go to the next answer in that list.
    """
    round = round_for_staff(request, round_slug)
    recommendation = recommendation_for_staff(request, round, report_slug, reference)
    force = force_for_staff(request, force_slug)
    answer = selectors.staff_answer(round, force, recommendation)
    if answer is None:
        raise Http404("This force has not submitted an answer to this recommendation.")
    queue_form = _queue_form(request, recommendation)
    queue = queue_form.query_string()
    review_state = selectors.answer_review_state(answer)
    withdrawn = review_state == ReviewState.WITHDRAWN
    may_review = can(request.user, Can.REVIEW_ANSWERS)
    may_code = can(request.user, Can.CODE_ANSWERS) and not withdrawn
    offered = rules.review_actions(review_state=review_state, round_open=round.is_open) if may_review else frozenset()
    [coded] = selectors.coded_answers(round, recommendation, [answer])
    coding_form = AnswerCodingForm(recommendation=recommendation, initial={"themes": coded.theme_ids})
    practice_form = NotablePracticeForm()
    return_form = ReturnNoteForm()
    if request.method == "POST":
        # Without an action: the coding form, or the quote form by its button's name.
        action = request.POST.get("action") or ("quote" if "quote_practice" in request.POST else "code")
        done = None
        if action in (rules.REVIEW_RETURN, rules.REVIEW_ACCEPT):
            require(request, Can.REVIEW_ANSWERS)
            round_open_for_changes(round)
            if action not in offered:
                # Someone reviewed it, or the force changed it, since this page was loaded: say so on
                # the page as it is now.
                messages.error(
                    request, "This answer can no longer be " + ("returned." if action == "return" else "accepted.")
                )
                return redirect(_answer_url(round, recommendation, force.slug, queue))
        else:
            require(request, Can.CODE_ANSWERS)
            if withdrawn:
                raise PermissionDenied("The force withdrew this answer: it cannot be coded or quoted.")
        # Where "save and go to the next answer" goes: the list as it stood before this change.
        place = selectors.queue_place(
            selectors.recommendation_queue(round, recommendation, queue_form.values()), force, ANSWERS_PAGE_SIZE
        )
        if action == rules.REVIEW_ACCEPT:
            if _reviewed(request, answer, StatusUpdate.Review.ACCEPTED):
                done = f"The answer from {force.name} is accepted."
            else:
                return redirect(_answer_url(round, recommendation, force.slug, queue))
        elif action == rules.REVIEW_RETURN:
            return_form = ReturnNoteForm(request.POST)
            if return_form.is_valid():
                if not _reviewed(request, answer, StatusUpdate.Review.RETURNED, return_form.cleaned_data["note"]):
                    return redirect(_answer_url(round, recommendation, force.slug, queue))
                done = f"The answer from {force.name} is returned to the force with your note."
        elif action == "code":
            coding_form = AnswerCodingForm(request.POST, recommendation=recommendation)
            if coding_form.is_valid():
                analysis.answer_coding_set(
                    round=round,
                    force=force,
                    recommendation=recommendation,
                    themes=list(coding_form.cleaned_data["themes"]),
                    new_theme_name=coding_form.cleaned_data["new_theme"],
                    user=request.user,
                )
                done = f"Themes saved for {force.name}."
        elif action == "accept_suggestion":
            theme = get_object_or_404(Theme, pk=request.POST.get("theme"), recommendation=recommendation)
            analysis.suggested_theme_accept(round=round, force=force, theme=theme, user=request.user)
            done = f"Suggested theme \u201c{theme.name}\u201d coded on {force.name}'s answer."
        elif action == "quote":
            practice_form = NotablePracticeForm(request.POST)
            if practice_form.is_valid():
                analysis.notable_practice_add(
                    round=round,
                    force=force,
                    recommendation=recommendation,
                    user=request.user,
                    **practice_form.cleaned_data,
                )
                done = "The passage will be quoted in the snapshot."
        else:
            return bad_request(request, "The page sent an action it does not offer. Go back and try again.")
        if done:
            messages.success(request, done)
            then = request.POST.get("then", "")
            if not then and action == "code":  # "Save themes": back to the answer in the list
                return redirect(_listed_url(round, recommendation, force.slug, queue, place.page))
            if then != "next":
                return redirect(_answer_url(round, recommendation, force.slug, queue))
            if place.next_slug:
                return redirect(_answer_url(round, recommendation, place.next_slug, queue))
            messages.info(request, "That was the last answer in your list.")
            return redirect(
                reverse("recommendations:staff_recommendation", args=[round.slug, *recommendation.address.values()])
                + (f"?{queue}" if queue else "")
            )
    place = selectors.queue_place(
        selectors.recommendation_queue(round, recommendation, queue_form.values()), force, ANSWERS_PAGE_SIZE
    )
    versions = list(selectors.answer_history(round, force, recommendation))
    revisions = selectors.figures_revisions()  # what the suggestions and similar answers are cached under
    return render(
        request,
        "recommendations/staff/answer.html",
        {
            "round": round,
            "recommendation": recommendation,
            "force": force,
            "answer": answer,
            "documents": selectors.answer_documents(answer),
            "plan": selectors.action_plan(force, recommendation, timezone.localdate()),
            "review_state": review_state,
            "review_label": rules.REVIEW_STATE_LABELS[review_state],
            "offered": offered,
            "may_code": may_code,
            "coded": coded,
            "versions": [
                (version, selectors.version_comparison(older, version) if older else None)
                for version, older in zip(versions, [*versions[1:], None], strict=True)
            ],
            "suggestions": suggestions.theme_suggestions(answer, coded.theme_ids, revisions) if may_code else [],
            "similar": suggestions.similar_answers(answer, revisions),
            "queue": queue,
            "next_slug": place.next_slug,
            "listed_url": _listed_url(round, recommendation, force.slug, queue, place.page),
            "coding_form": coding_form,
            "practice_form": practice_form,
            "return_form": return_form,
            "anonymous_attribution": ANONYMOUS_ATTRIBUTION,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_safe
@login_required
def answers_search_page(request):
    """Search every submitted answer in every round, report and force (?q= and filters), 50 to a
    page, each result with a highlighted extract and a link to the answer's page."""
    require_portfolio_staff(request)
    form = AnswerSearchForm(request.GET or None)
    results = None
    query = ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        results = Paginator(search.answers_search(query, form.filters()), ANSWERS_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        results.object_list = search.search_hits(list(results.object_list), query)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "recommendations/staff/search.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "params": params.urlencode(),
            "full_text": search.uses_full_text(),
        },
    )


@login_required
@require_POST
def round_follow(request, round_slug):
    """Follow a round (a daily digest of its submissions, resubmissions and withdrawals), turn the
    digest off or on, or stop following it."""
    round = round_for_staff(request, round_slug)
    choice = request.POST.get("follow", "")
    if choice not in ("digest", "quiet", "stop"):
        return bad_request(request, "Choose to follow with or without the digest, or to stop.")
    services.round_follow_set(round=round, user=request.user, follow=choice != "stop", digest=choice == "digest")
    messages.success(
        request,
        {
            "digest": f"You follow {round.title} and will get a daily digest by email.",
            "quiet": f"You follow {round.title}; the daily digest is off.",
            "stop": f"You no longer follow {round.title}.",
        }[choice],
    )
    return redirect(round.get_absolute_url())


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def round_remind(request, round_slug):
    """Ask, naming the forces, then remind every force that has not responded: the same rule and
    record as the daily reminders (services.reminders_send_now)."""
    require(request, Can.REVIEW_ANSWERS)
    round = round_open_for_changes(round_for_staff(request, round_slug))
    today = timezone.localdate()
    if request.method == "POST":
        sent = services.reminders_send_now(round=round, user=request.user, today=today)
        messages.success(request, f"{len(sent)} {'force' if len(sent) == 1 else 'forces'} reminded.")
        return redirect(round.get_absolute_url() + "#chase-list")
    waiting = services.reminders_waiting_forces(round=round, today=today)
    return render(request, "recommendations/staff/remind.html", {"round": round, "forces": waiting})


@login_required
@require_POST
def practice_delete(request, practice_id):
    require(request, Can.CODE_ANSWERS)
    practice = get_object_or_404(
        NotablePractice.objects.select_related("round", "recommendation__report", "force"), pk=practice_id
    )
    analysis.notable_practice_delete(practice=practice, user=request.user)
    messages.success(request, "The passage will no longer be quoted.")
    return redirect(
        "recommendations:staff_answer",
        practice.round.slug,
        *practice.recommendation.address.values(),
        practice.force.slug,
    )


LINKS_PER_PAGE = 50


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def links_page(request):
    """Every link between recommendations of different reports, and the form to add one: a force
    then answers the pair once (services.answer_reuse)."""
    require_portfolio_staff(request)
    may_link = can(request.user, Can.LINK_RECOMMENDATIONS)
    form = None
    if may_link:
        form = RecommendationLinkForm(request.POST if request.method == "POST" else None)
    elif request.method == "POST":
        require(request, Can.LINK_RECOMMENDATIONS)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            link = analysis.recommendation_link_add(
                source=data["source"], kind=data["kind"], target=data["target"], note=data["note"], user=request.user
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, f"{link.source.name} {link.get_kind_display()} {link.target.name}: linked.")
            return redirect("recommendations:links")
    page = Paginator(selectors.recommendation_links(), LINKS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "recommendations/staff/links.html",
        {"form": form, "page": page, "may_link": may_link},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def link_remove(request, link_id):
    require(request, Can.LINK_RECOMMENDATIONS)
    link = get_object_or_404(RecommendationLink.objects.select_related("source__report", "target__report"), pk=link_id)
    analysis.recommendation_link_remove(link=link, user=request.user)
    messages.success(
        request,
        f"{link.source.name} and {link.target.name} are no longer linked. Answers already reused keep saying where "
        "they came from.",
    )
    return redirect("recommendations:links")


@require_safe
@login_required
def force_page(request, force_slug):
    """A force's submitted answers (and withdrawn ones) in one round, in report order, each with the
    themes coded on it: the round named by ?round=, or the newest round the force is in, with every
    other round it is in listed and linked. A round it is not in is not an error: the page says so
    and shows the newest. The force's action plans follow, whatever the round."""
    force = force_for_staff(request, force_slug)
    rounds = selectors.force_rounds(force)
    chosen = request.GET.get("round", "")
    round = next((item for item in rounds if item.slug == chosen), None) if chosen else None
    unknown_round = bool(chosen) and round is None
    round = round or (rounds[0] if rounds else None)
    return render(
        request,
        "recommendations/staff/force.html",
        {
            "force": force,
            "rounds": rounds,
            "round": round,
            "unknown_round": chosen if unknown_round else "",
            "answered_any": any(item.answers for item in rounds),
            "answers": selectors.force_submitted_answers(force, round) if round else [],
            "leads": force.memberships.select_related("user"),
            "plans": selectors.force_action_plans(force, timezone.localdate()),
        },
    )


@login_required
@require_POST
def snapshot_create(request, round_slug):
    """Draft a snapshot of the round, its summaries drafted from the roll-up."""
    require(request, Can.DRAFT_SNAPSHOTS)
    round = round_for_staff(request, round_slug)
    snapshot = snapshots.snapshot_draft(round=round, user=request.user)
    messages.success(request, "Snapshot drafted from the round's figures. Edit the summaries, then publish it.")
    return redirect("recommendations:snapshot", snapshot.pk)


@login_required
@require_POST
def snapshot_correct(request, snapshot_id):
    """Start a correction: a new draft that updates a published snapshot."""
    require(request, Can.DRAFT_SNAPSHOTS)
    published = snapshot_for_staff(request, snapshot_id)
    if published.state != Snapshot.State.PUBLISHED:
        raise Http404("Only a published snapshot can be corrected.")
    snapshot = snapshots.snapshot_draft(round=published.round, user=request.user, updates_snapshot=published)
    messages.success(request, "Correction drafted. Edit it, then publish it to update the snapshot.")
    return redirect("recommendations:snapshot", snapshot.pk)


@require_safe
@login_required
def snapshot_page(request, snapshot_id):
    """The snapshot as it reads when published (or a preview of a draft), rendered from its document
    model (documents.py), the same one every download is rendered from."""
    snapshot = snapshot_for_staff(request, snapshot_id)
    return render(
        request,
        "recommendations/staff/snapshot.html",
        {
            "snapshot": snapshot,
            "document": documents.snapshot_document(snapshot),
            "corrections": snapshot.corrections.filter(state=Snapshot.State.PUBLISHED),
        },
    )


def _preview(text: str, values: dict[str, int]) -> list:
    return markup.to_blocks(snapshots.fill_figures(text, values))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def snapshot_edit(request, snapshot_id):
    """The draft's title, GOV.UK summary, author, contact, introduction and heading style; "Preview"
    shows the introduction as it will read, without saving."""
    require(request, Can.DRAFT_SNAPSHOTS)
    snapshot = snapshot_for_editing(request, snapshot_id)
    values = snapshots.round_figure_values(snapshots.snapshot_figures(snapshot))
    initial = {name: getattr(snapshot, name) for name in ("title", "summary", "author", "contact", "introduction")}
    form = SnapshotForm(
        request.POST if request.method == "POST" else None,
        initial={**initial, "headings": snapshot.headings},
        figure_values=values,
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _preview(form.cleaned_data["introduction"], values)
        else:
            snapshots.snapshot_update(snapshot=snapshot, user=request.user, **form.cleaned_data)
            messages.success(request, "Title, summary and introduction saved.")
            return redirect("recommendations:snapshot", snapshot.pk)
    return render(
        request,
        "recommendations/staff/snapshot_form.html",
        {"snapshot": snapshot, "form": form, "preview": preview, "figure_values": sorted(values.items())},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def section_edit(request, snapshot_id, report_slug, reference):
    """A draft's summary for one recommendation and what it publishes beside it; "Preview" shows the
    summary with its figures filled in, without saving."""
    require(request, Can.DRAFT_SNAPSHOTS)
    snapshot = snapshot_for_editing(request, snapshot_id)
    section = get_object_or_404(
        snapshot.sections.select_related("recommendation__report"),
        recommendation=recommendation_at(snapshot.round.recommendations.all(), report_slug, reference),
    )
    rollup = snapshots.snapshot_figures(snapshot)
    figures = next(item for item in rollup.recommendations if item.recommendation_id == section.recommendation_id)
    values = snapshots.recommendation_figure_values(figures, rollup)
    form = SnapshotSectionForm(
        request.POST if request.method == "POST" else None,
        initial={
            "summary": section.summary,
            "show_status_counts": section.show_status_counts,
            "show_theme_counts": section.show_theme_counts,
            "show_charts": section.show_charts,
        },
        figure_values=values,
    )
    form.fields["summary"].label = f"Summary for recommendation {reference}"
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _preview(form.cleaned_data["summary"], values)
        else:
            snapshots.snapshot_section_update(section=section, user=request.user, **form.cleaned_data)
            messages.success(request, f"Summary for recommendation {reference} saved.")
            return redirect(
                reverse("recommendations:snapshot", args=[snapshot.pk]) + f"#{section.recommendation.anchor}"
            )
    return render(
        request,
        "recommendations/staff/section_form.html",
        {
            "snapshot": snapshot,
            "section": section,
            "figures": figures,
            "form": form,
            "preview": preview,
            "figure_values": [(name, value) for name, value in values.items() if not name.startswith("status:")]
            + [(f"status:{count.label.lower()}", count.count) for count in figures.status_counts],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def snapshot_publish(request, snapshot_id):
    """Ask, then publish: the figures and quoted practice are frozen as they are at that moment."""
    require(request, Can.PUBLISH_SNAPSHOTS)
    snapshot = snapshot_for_editing(request, snapshot_id)
    if request.method == "POST":
        snapshots.snapshot_publish(snapshot=snapshot, user=request.user)
        messages.success(request, "Snapshot published. Its figures will not change.")
        return redirect("recommendations:snapshot", snapshot.pk)
    return render(
        request,
        "recommendations/staff/snapshot_publish.html",
        {"snapshot": snapshot, "rollup": snapshots.snapshot_figures(snapshot)},
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@login_required
def snapshot_docx(request, snapshot_id):
    snapshot = snapshot_for_staff(request, snapshot_id)
    return _download(
        exports.snapshot_docx(snapshot), exports.DOCX_CONTENT_TYPE, f"{exports.snapshot_filename(snapshot)}.docx"
    )


@require_safe
@login_required
def snapshot_ods(request, snapshot_id):
    snapshot = snapshot_for_staff(request, snapshot_id)
    return _download(
        exports.snapshot_ods(snapshot), exports.ODS_CONTENT_TYPE, f"{exports.snapshot_filename(snapshot)}.ods"
    )


@require_safe
@login_required
def snapshot_csv(request, snapshot_id):
    """The snapshot's published figures as one tidy CSV (not the answers: those are internal)."""
    snapshot = snapshot_for_staff(request, snapshot_id)
    content = exports.render_figures_csv(documents.snapshot_document(snapshot)).encode()
    return _download(content, "text/csv; charset=utf-8", f"{exports.snapshot_filename(snapshot)}-figures.csv")


@require_safe
@login_required
def snapshot_pack(request, snapshot_id):
    """The GOV.UK publishing pack: govspeak, ODS, CSV and the publishing details, in one zip."""
    snapshot = snapshot_for_staff(request, snapshot_id)
    return _download(
        exports.snapshot_pack(snapshot), exports.PACK_CONTENT_TYPE, f"{exports.snapshot_filename(snapshot)}-govuk.zip"
    )


@require_safe
@login_required
def round_answers_csv(request, round_slug):
    """Every submitted answer in the round, one row per force and recommendation, streamed."""
    round = round_for_staff(request, round_slug)
    response = StreamingHttpResponse(exports.round_answers_csv(round), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{round.slug}-answers.csv"'
    return response


def _reviewed(request, answer: StatusUpdate, review: str, note: str = "") -> bool:
    """Accept or return the answer; False, with the reason as an error message, if it changed since
    the page was loaded (reviewed by someone else, resubmitted, or its round closed)."""
    try:
        status_update_review(update=answer, user=request.user, review=review, note=note)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return False
    return True


@login_required
@require_POST
def answer_review(request, force_slug, round_slug, report_slug, reference):
    """Staff return the force's latest submitted answer with a note, or accept it."""
    update = answer_for_review(request, force_slug, round_slug, report_slug, reference)
    force, round, recommendation = update.force, update.round, update.recommendation
    history_url = reverse(
        "recommendations:answer_history", args=[force.slug, round.slug, *recommendation.address.values()]
    )
    if "accept" in request.POST:
        if _reviewed(request, update, StatusUpdate.Review.ACCEPTED):
            messages.success(request, f"The answer from {force.name} to {recommendation.name} is accepted.")
        return redirect(history_url)
    form = ReturnAnswerForm(request.POST)
    if form.is_valid():
        if _reviewed(request, update, StatusUpdate.Review.RETURNED, form.cleaned_data["note"]):
            messages.success(
                request, f"The answer from {force.name} to {recommendation.name} is returned to the force."
            )
        return redirect(history_url)
    return answer_history_page(request, force, round, recommendation, form, status=400)
