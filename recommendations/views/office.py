"""Pages of a local policing body's office (the commissioner's office): its page, and its
statutory responses. Staff read them too. Each view: access helper, form, service, redirect or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import access, rules, selectors
from ..forms_office import ResponseForm
from ..models import StatutoryResponse
from ..response_docx import response_docx, response_filename, updated_line
from ..responses import ResponsePublished, response_correct, response_draft, response_edit, response_publish

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _response_url(response, name="response"):
    return reverse(f"recommendations:{name}", kwargs={"body_slug": response.body.slug, "response_id": response.pk})


@require_safe
@login_required
def office_page(request, body_slug):
    """The office's page: each report it must comment on (due date, days left, its response), the
    recommendations addressed to commissioners to answer in open rounds, and its force's submitted
    answers in every round (never drafts)."""
    body = access.body_for_reader(request, body_slug)
    own = access.office_body(request.user) == body
    force = body.force
    open_rounds = []
    if own:
        rounds = [round for round in selectors.rounds_for_force(force) if round.is_open]
        rows_by_round = selectors.force_answer_rows_by_round(force, rounds, rules.Party.BODY)
        open_rounds = [
            {"round": round, "rows": rows, "to_submit": sum(row.needs_submitting for row in rows)}
            for round in rounds
            if (rows := rows_by_round.get(round.pk))
        ]
    return render(
        request,
        "recommendations/office/office.html",
        {
            "body": body,
            "own": own,
            "dues": selectors.reports_for_body(body, timezone.localdate()),
            "open_rounds": open_rounds,
            "answers": list(selectors.office_force_answers(force)),
        },
    )


@login_required
@require_POST
def response_create(request, body_slug, report_slug):
    """Draft the body's response to a report from the report and the answers, then edit it."""
    body = access.body_for_office(request, body_slug)
    report = access.report_for_body(report_slug)
    try:
        response = response_draft(body=body, report=report, user=request.user)
    except ValidationError as refused:
        messages.info(request, " ".join(refused.messages))
        return redirect("recommendations:office", body_slug=body.slug)
    messages.success(request, "Response drafted from the report and the answers. Edit it, then preview and publish.")
    return redirect(_response_url(response, "response_edit"))


@require_safe
@login_required
def response_page(request, body_slug, response_id):
    """A response as it reads (a draft's preview, or a published version), with what the office may do next."""
    response = access.response_for_reader(request, body_slug, response_id)
    own = access.office_body(request.user) == response.body
    versions = list(selectors.response_versions(response))
    return render(
        request,
        "recommendations/office/response.html",
        {
            "response": response,
            "sections": list(selectors.response_sections(response)),
            "versions": versions,
            "own": own,
            "updated_line": updated_line(response),
            "is_latest": bool(versions) and versions[0].pk == response.pk,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def response_edit_page(request, body_slug, response_id):
    """Edit a draft response: title, introduction, each recommendation's heading and text, closing, signature."""
    response = access.response_for_editing(request, body_slug, response_id)
    sections = list(selectors.response_sections(response))
    if request.method == "POST":
        form = ResponseForm(request.POST, sections=sections)
        if form.is_valid():
            data = form.cleaned_data
            try:
                response_edit(
                    response=response,
                    user=request.user,
                    title=data["title"],
                    introduction=data["introduction"],
                    closing=data["closing"],
                    signature_name=data["signature_name"],
                    signature_title=data["signature_title"],
                    sections=form.section_values(),
                )
            except ValidationError as invalid:
                for field, errors in invalid.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "Response saved. This is how it will read.")
                return redirect(_response_url(response))
    else:
        form = ResponseForm(
            sections=sections,
            initial={
                "title": response.title,
                "introduction": response.introduction,
                "closing": response.closing,
                "signature_name": response.signature_name,
                "signature_title": response.signature_title,
            },
        )
    return render(
        request,
        "recommendations/office/response_form.html",
        {"response": response, "form": form, "due": rules.response_due_on(response.report.published_on)},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def response_publish_page(request, body_slug, response_id):
    """Confirm and publish a draft; from then on it is frozen."""
    response = access.response_for_editing(request, body_slug, response_id)
    problem = None
    if request.method == "POST":
        try:
            published = response_publish(response=response, user=request.user)
        except ValidationError as refused:
            problem = " ".join(refused.messages)
        except ResponsePublished as frozen:
            raise Http404(str(frozen)) from None
        else:
            messages.success(request, f"Response published: {updated_line(published)}.")
            return redirect(_response_url(published))
    return render(
        request,
        "recommendations/office/response_publish.html",
        {"response": response, "problem": problem, "due": rules.response_due_on(response.report.published_on)},
        status=400 if problem else 200,
    )


@login_required
@require_POST
def response_correct_page(request, body_slug, response_id):
    """Start an updated version of a published response; the published one stays as it is."""
    access.body_for_office(request, body_slug)
    response = access.response_for_reader(request, body_slug, response_id)
    try:
        correction = response_correct(response=response, user=request.user)
    except ValidationError as refused:
        messages.info(request, " ".join(refused.messages))
        return redirect(_response_url(response))
    return redirect(_response_url(correction, "response_edit"))


@require_safe
@login_required
def response_public(request, body_slug, response_id):
    """The published response as a plain page the body can put on its own website, and print."""
    response = access.response_for_reader(request, body_slug, response_id)
    if response.state != StatutoryResponse.State.PUBLISHED:
        raise Http404("Only a published response has a public page.")
    return render(
        request,
        "recommendations/office/response_public.html",
        {
            "response": response,
            "sections": list(selectors.response_sections(response)),
            "updated_line": updated_line(response),
        },
    )


@require_safe
@login_required
def response_download(request, body_slug, response_id):
    """The response as a DOCX, written from the same text as its page."""
    response = access.response_for_reader(request, body_slug, response_id)
    document = response_docx(response, list(selectors.response_sections(response)))
    download = HttpResponse(document, content_type=DOCX_CONTENT_TYPE)
    download["Content-Disposition"] = f'attachment; filename="{response_filename(response)}"'
    return download


@require_safe
@login_required
def bodies_page(request):
    """National staff: every local policing body's response to a report: published on time, late, or not yet."""
    access.require_portfolio_staff(request)
    reports = list(selectors.reports_requiring_comment())
    chosen = next((r for r in reports if r.slug == request.GET.get("report")), reports[0] if reports else None)
    rows = selectors.bodies_for_report(chosen, timezone.localdate()) if chosen else []
    counts = {key: sum(row.timeliness == key for row in rows) for key in rules.Timeliness.LABELS}
    return render(
        request,
        "recommendations/office/bodies.html",
        {"reports": reports, "report": chosen, "rows": rows, "counts": counts, "labels": rules.Timeliness.LABELS},
    )
