"""Pages where force leads answer for their force. Each view: access helper, form, service, redirect or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tracker.uploads import upload_too_large

from .. import evidence, rules, selectors
from ..access import (
    Can,
    can,
    evidence_document_for_reader,
    force_answerer,
    force_for_lead,
    force_for_reader,
    led_force,
    recommendation_at,
    round_for_force,
    round_open_for_changes,
)
from ..forms import DOCUMENT_PUBLISHABLE, AnswerForm, ReturnAnswerForm, ReturnUploadForm, ReuseForm, WithdrawForm
from ..models import StatusUpdate
from ..services import (
    NewDocument,
    NothingToReuse,
    NothingToSubmit,
    NotWithdrawable,
    RoundClosed,
    StaleAnswer,
    answer_reuse,
    answer_withdraw,
    return_import,
    return_submit,
    status_update_save,
)
from ..spreadsheet import read_return, return_workbook
from ..workbooks import MAX_UPLOAD_BYTES, XLSX_CONTENT_TYPE, UnreadableFile

MAX_UPLOAD_READ = MAX_UPLOAD_BYTES + 1


def _round_url(force, round, name="force", party=rules.Party.FORCE, recommendation=None):
    """The round on the force's page (at the report of `recommendation`, if given: a round of several
    reports shows one at a time), or another page of the round by its URL name."""
    if name == "force":
        if party == rules.Party.BODY:
            return reverse("recommendations:office", kwargs={"body_slug": force.policing_body.slug}) + "#answers"
        at_report = f"?round={round.slug}&report={recommendation.report.slug}" if recommendation else ""
        return force.get_absolute_url() + f"{at_report}#round-{round.slug}"
    return reverse(f"recommendations:{name}", kwargs={"force_slug": force.slug, "round_slug": round.slug})


def _answer_url(force, round, recommendation, name="answer"):
    return reverse(
        f"recommendations:{name}",
        kwargs={"force_slug": force.slug, "round_slug": round.slug, **recommendation.address},
    )


def _recommendation_in_round(round, report_slug, reference, party=rules.Party.FORCE):
    """A recommendation in the round that the party answers; one the other party answers is refused
    (403), any other is not found."""
    recommendation = recommendation_at(round.recommendations.select_related("parent"), report_slug, reference)
    if rules.answering_party(recommendation.addressee) != party:
        raise PermissionDenied(
            "This recommendation is answered by the commissioner's office."
            if party == rules.Party.FORCE
            else "This recommendation is answered by the force."
        )
    return recommendation


@require_safe
@login_required
def force_page(request, force_slug):
    """A force's rounds: open ones with every recommendation and the state of the force's answer, closed ones below.

    An open round that asks about several reports lists them (each with how many answers wait to be
    submitted) and shows one report's recommendations at a time: ?round=<slug>&report=<slug> for that
    round, the round's first report otherwise, as the dashboard does; the button to check and submit
    stays the whole round's.
    """
    force = force_for_reader(request, force_slug)
    rounds = list(selectors.rounds_for_force(force))
    rows_by_round = selectors.force_answer_rows_by_round(force, [round for round in rounds if round.is_open])
    # The force's own due date in each open round: a granted extension's, or the round's.
    deadlines = selectors.force_deadlines(force, [round for round in rounds if round.pk in rows_by_round])
    today = timezone.localdate()
    open_rounds = [
        {
            **_open_round(request, round, rows),
            "deadline": deadlines[round.pk],
            "days_left": deadlines[round.pk].days_left(today),
        }
        for round in rounds
        if (rows := rows_by_round.get(round.pk)) is not None
    ]
    return render(
        request,
        "recommendations/force.html",
        {
            "force": force,
            "open_rounds": open_rounds,
            "closed_rounds": [round for round in rounds if not round.is_open],
            "is_own_force": led_force(request.user) == force,
            "overdue": selectors.overdue_milestone_counts(force, today) if open_rounds else {},
        },
    )


def _open_round(request, round, rows: list[selectors.AnswerRow]) -> dict:
    """One open round on a force's page: its rows, or one report's when it asks about several."""
    reports = selectors.rows_reports(rows)
    report = None
    if len(reports) > 1:
        chosen = request.GET.get("report") if request.GET.get("round") == round.slug else None
        report = next((item for item in reports if item.slug == chosen), None) if chosen else reports[0]
        if report is None:
            raise Http404("This round asks about no such report.")
    return {
        "round": round,
        "rows": rows if report is None else [row for row in rows if row.recommendation.report.slug == report.slug],
        "to_submit": sum(row.needs_submitting for row in rows),
        "reports": reports if report else [],
        "report": report,
    }


@require_safe
@login_required
def round_answers(request, force_slug, round_slug):
    """A force's submitted answers in one round, read-only: how closed rounds are shown to their lead."""
    force = force_for_reader(request, force_slug)
    round = round_for_force(force, round_slug)
    return render(
        request,
        "recommendations/round_answers.html",
        {"force": force, "round": round, "rows": selectors.force_answer_rows(force, round)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def answer_edit(request, force_slug, round_slug, report_slug, reference):
    """The answer form for one recommendation: "Continue" goes on to the next, "Save as draft" back to the list.

    If someone else saved the answer after this person opened it, nothing is saved: the form comes
    back with their text still in it and what the other person saved shown above it.
    """
    force, party = force_answerer(request, force_slug)
    round = round_open_for_changes(round_for_force(force, round_slug))
    recommendation = _recommendation_in_round(round, report_slug, reference, party)
    row = selectors.answer_row(force, round, recommendation, party)
    documents = selectors.answer_documents(row.current)
    conflict = None
    if request.method == "POST":
        form = AnswerForm(request.POST, request.FILES, documents=documents)
        if upload_too_large(request):
            form.is_valid()
            form.add_error("document", DOCUMENT_TOO_LARGE)
        elif form.is_valid():
            data = form.cleaned_data
            checked = data["document"]
            try:
                status_update_save(
                    round=round,
                    force=force,
                    recommendation=recommendation,
                    user=request.user,
                    expected_version=data["version"],
                    status=data["status"],
                    narrative=data["narrative"],
                    evidence=data["evidence"],
                    not_applicable_reason=data["not_applicable_reason"],
                    party=party,
                    documents=[NewDocument(checked, data["document_marking"] == DOCUMENT_PUBLISHABLE)]
                    if checked
                    else [],
                    documents_removed=data["documents_removed"],
                )
            except StaleAnswer as stale:
                conflict = stale.latest
                documents = selectors.answer_documents(conflict)
                form = AnswerForm(
                    data={**request.POST.dict(), "version": conflict.version if conflict else 0}, documents=documents
                )
                form.is_valid()
                form.add_error(
                    None,
                    "Someone else saved this answer while you were editing it. Nothing of yours was saved"
                    + (" and your document was not added: choose it again" if checked else "")
                    + ". Your text is still below. Compare it with theirs, then save again.",
                )
            except ValidationError as refused:
                form.add_error(None, refused)
            except RoundClosed as closed:
                raise PermissionDenied(str(closed)) from None
            else:
                changed = _documents_changed(checked, documents, data["documents_removed"])
                if "attach" in request.POST:
                    messages.success(request, f"{changed}Your answer is saved as a draft.")
                    return redirect(_answer_url(force, round, recommendation) + "#documents")
                if "save_draft" in request.POST:
                    messages.success(request, f"{changed}{recommendation.name} saved as a draft.")
                    return redirect(_round_url(force, round, party=party, recommendation=recommendation))
                if changed:
                    messages.success(request, f"{changed}{recommendation.name} saved as a draft.")
                return redirect(_next_step(force, round, recommendation, party))
        if form.errors and not conflict and (request.FILES.get("document") or upload_too_large(request)):
            form.add_error(None, DOCUMENT_NOT_ADDED)
    else:
        source = row.working
        form = AnswerForm(
            documents=documents,
            initial={
                "status": source.status if source else None,
                "narrative": source.narrative if source else "",
                "evidence": source.evidence if source else "",
                "not_applicable_reason": source.not_applicable_reason if source else "",
                "version": row.current.version if row.current else 0,
            },
        )
    return render(
        request,
        "recommendations/answer_form.html",
        {
            "force": force,
            "round": round,
            "recommendation": recommendation,
            "row": row,
            "form": form,
            "conflict": conflict,
            "documents": documents,
            "plan": selectors.action_plan(force, recommendation, timezone.localdate()),
            "back_url": _round_url(force, round, party=party),
            "for_body": party == rules.Party.BODY,
        },
    )


DOCUMENT_TOO_LARGE = evidence.TOO_LARGE
DOCUMENT_NOT_ADDED = (
    "Nothing was saved and the document was not added. Your text is still below: put right what is listed "
    "here, then choose the document again"
)


def _documents_changed(checked, documents, removed_ids) -> str:
    """What the save did to the answer's documents, in a sentence or two (or nothing)."""
    removed = [row.name for row in documents if row.pk in set(removed_ids)]
    said = f"{checked.name} added. " if checked else ""
    if removed:
        said += f"{', '.join(removed)} removed from this answer (earlier versions keep {'it' if len(removed) == 1 else 'them'}). "
    return said


@require_safe
@login_required
def answer_document(request, force_slug, round_slug, report_slug, reference, document_id):
    """One evidence document of an answer, as a download (never shown in the browser), to the people
    who may read that version of the answer (access.evidence_document_for_reader)."""
    attached = evidence_document_for_reader(request, force_slug, round_slug, report_slug, reference, document_id)
    response = FileResponse(
        default_storage.open(attached.document.storage_name, "rb"),
        as_attachment=True,
        filename=attached.name,
        content_type=attached.document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def answer_withdraw_page(request, force_slug, round_slug, report_slug, reference):
    """The lead takes back a submitted answer, saying why. It is kept as a "withdrawn" version
    and is not counted nationally until the force submits an answer again."""
    force, party = force_answerer(request, force_slug)
    round = round_open_for_changes(round_for_force(force, round_slug))
    recommendation = _recommendation_in_round(round, report_slug, reference, party)
    row = selectors.answer_row(force, round, recommendation, party)
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                answer_withdraw(
                    round=round,
                    force=force,
                    recommendation=recommendation,
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except StaleAnswer:
                form.add_error(
                    None,
                    "This answer was changed after you opened this page, so it was not withdrawn. "
                    "Check the answer as it is now before you withdraw it.",
                )
                row = selectors.answer_row(force, round, recommendation, party)
            except NotWithdrawable as refused:
                form.add_error(None, str(refused))
            except RoundClosed as closed:
                raise PermissionDenied(str(closed)) from None
            else:
                messages.success(
                    request,
                    f"Your answer to {recommendation.name} is withdrawn. It is not counted in the national "
                    "figures until you submit an answer again.",
                )
                return redirect(_round_url(force, round, party=party, recommendation=recommendation))
    else:
        form = WithdrawForm(initial={"version": row.current.version if row.current else 0})
    return render(
        request,
        "recommendations/answer_withdraw.html",
        {"force": force, "round": round, "recommendation": recommendation, "row": row, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def answer_reuse_page(request, force_slug, round_slug, report_slug, reference):
    """Answer once: copy the force's answer to a linked recommendation in this round here, as a
    draft marked with where it came from, and go back to the return."""
    force, party = force_answerer(request, force_slug)
    round = round_open_for_changes(round_for_force(force, round_slug))
    recommendation = _recommendation_in_round(round, report_slug, reference, party)
    answer_url = _answer_url(force, round, recommendation)
    form = ReuseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was reused: open the answer again and choose “Use this answer”.")
        return redirect(answer_url)
    try:
        version = answer_reuse(
            round=round,
            force=force,
            recommendation=recommendation,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            party=party,
        )
    except StaleAnswer:
        messages.error(
            request,
            f"{recommendation.name} was answered after you opened it, so nothing was reused. Check the answer as it is now.",
        )
        return redirect(answer_url)
    except NothingToReuse as nothing:
        messages.error(request, f"{nothing} Answer it on its own.")
        return redirect(answer_url)
    except RoundClosed as closed:
        raise PermissionDenied(str(closed)) from None
    messages.success(
        request,
        f"{recommendation.name} now has your answer to {version.reused_from.recommendation.name}, saved as a draft. "
        "Check it, then submit your return.",
    )
    return redirect(_round_url(force, round, party=party, recommendation=recommendation))


def _next_step(force, round, after, party=rules.Party.FORCE):
    """The next recommendation the lead has not yet answered in this round, or the check-your-answers page."""
    rows = selectors.force_answer_rows(force, round, party)
    position = [row.recommendation.pk for row in rows].index(after.pk)
    for row in rows[position + 1 :] + rows[:position]:
        if row.current is None:
            return _answer_url(force, round, row.recommendation)
    return _round_url(force, round, "check_answers")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def check_answers(request, force_slug, round_slug):
    """Every answer in the force's return, with change links; submitting it sends drafts and carried-forward answers."""
    force, party = force_answerer(request, force_slug)
    round = round_open_for_changes(round_for_force(force, round_slug))
    rows = selectors.force_answer_rows(force, round, party)
    if request.method == "POST":
        try:
            return_submit(round=round, force=force, user=request.user, party=party)
        except NothingToSubmit as nothing:
            messages.info(request, str(nothing))
            return redirect(_round_url(force, round, party=party))
        except RoundClosed as closed:
            raise PermissionDenied(str(closed)) from None
        return redirect(_round_url(force, round, "submitted"))
    return render(
        request,
        "recommendations/check_answers.html",
        {
            "force": force,
            "round": round,
            "rows": rows,
            "to_submit": sum(row.needs_submitting for row in rows),
            "back_url": _round_url(force, round, party=party),
        },
    )


@require_safe
@login_required
def return_submitted(request, force_slug, round_slug):
    """The confirmation after a return is submitted."""
    force, party = force_answerer(request, force_slug)
    round = round_for_force(force, round_slug)
    return render(
        request,
        "recommendations/submitted.html",
        {
            "force": force,
            "round": round,
            "back_url": _round_url(force, round, party=party),
            "for_body": party == rules.Party.BODY,
        },
    )


@require_safe
@login_required
def answer_history(request, force_slug, round_slug, report_slug, reference):
    """Every version of a force's answer with who and when, and what changed between two of them.

    Portfolio staff see the submitted and withdrawn versions; the force's own lead also sees their drafts.
    """
    force = force_for_reader(request, force_slug)
    round = round_for_force(force, round_slug)
    recommendation = recommendation_at(round.recommendations.select_related("parent"), report_slug, reference)
    review_form = ReturnAnswerForm() if can(request.user, Can.REVIEW_ANSWERS) else None
    return answer_history_page(request, force, round, recommendation, review_form)


def answer_history_page(request, force, round, recommendation, review_form, status=200):
    """The version history page (also shown by staff.answer_review when a return's note is missing)."""
    versions = selectors.answer_history(round, force, recommendation)
    if led_force(request.user) != force:
        versions = versions.exclude(state=StatusUpdate.State.DRAFT)
    versions = list(versions)
    if not versions:
        raise Http404("No versions of this answer yet.")
    by_number = {version.version: version for version in versions}
    # By default the last two submitted versions: a draft and its own submission read "unchanged".
    submitted = [version for version in versions if version.state == StatusUpdate.State.SUBMITTED]
    default = submitted[:2] if len(submitted) > 1 else versions[:2]
    newer = by_number.get(_int(request.GET.get("to")), default[0])
    older = by_number.get(_int(request.GET.get("from")), default[1] if len(default) > 1 else None)
    comparison = selectors.version_comparison(older, newer) if older and older != newer else None
    return render(
        request,
        "recommendations/answer_history.html",
        {
            "force": force,
            "round": round,
            "recommendation": recommendation,
            "versions": versions,
            "older": older,
            "newer": newer,
            "comparison": comparison,
            "review_form": review_form,
        },
        status=status,
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_safe
@login_required
def return_download(request, force_slug, round_slug):
    """The force's return as an XLSX workbook to fill in offline."""
    force = force_for_lead(request, force_slug)
    round = round_for_force(force, round_slug)
    response = HttpResponse(return_workbook(force, round), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{force.slug}-{round.slug}.xlsx"'
    return response


def _imported_sentence(saved: int, planned: int) -> str:
    if not saved and not planned:
        return "Your spreadsheet matches the answers and milestones already saved: nothing changed."
    parts = []
    if saved:
        parts.append(f"{saved} answer{'s' if saved != 1 else ''} from your spreadsheet saved as drafts")
    if planned:
        parts.append(f"{planned} milestone{'s' if planned != 1 else ''} added or changed")
    then = " Check them, then submit your return." if saved else ""
    return " and ".join(parts) + "." + then


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def return_upload(request, force_slug, round_slug):
    """Upload a filled-in return: checked as a whole, saved as drafts only if every row is right."""
    force = force_for_lead(request, force_slug)
    round = round_open_for_changes(round_for_force(force, round_slug))
    problems = []
    form = ReturnUploadForm(request.POST, request.FILES) if request.method == "POST" else ReturnUploadForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Read one byte past the limit, so an oversized file is refused without reading it all.
            content, problems = read_return(upload.read(MAX_UPLOAD_READ), force=force, round=round)
        except UnreadableFile as unreadable:
            form.add_error("file", str(unreadable))
        else:
            if problems:
                form.add_error(
                    "file",
                    f"The file has {len(problems)} problem{'s' if len(problems) != 1 else ''}. Nothing was saved: correct the file and upload it again.",
                )
            else:
                try:
                    saved, planned = return_import(
                        round=round, force=force, user=request.user, rows=content.answers, milestones=content.milestones
                    )
                except RoundClosed as closed:
                    raise PermissionDenied(str(closed)) from None
                except ValidationError as refused:
                    # A milestone changed on its page since the file was checked: nothing was saved.
                    form.add_error(
                        "file", f"Nothing was saved: {' '.join(refused.messages)} Download the return again."
                    )
                else:
                    messages.success(request, _imported_sentence(saved, planned))
                    return redirect(_round_url(force, round, "check_answers"))
    return render(
        request,
        "recommendations/upload.html",
        {"force": force, "round": round, "form": form, "problems": problems},
        status=400 if form.errors else 200,
    )
