"""Status messages and notes are assembled from pieces (a typed reason, a force's name, a title) and
a full stop: none may read "board.." or ".,". Every call that sends a status message is made here
(a call added to the code without being exercised fails), with typed text that ends in its own
punctuation, and every message and every page the journey passes through is read for doubled marks.
"""

import ast
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import api as messages_api
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from forces.models import Force
from recommendations.models import Milestone, Round, Snapshot, StatutoryResponse
from tests.factories import make_answer
from tests.tracker.test_two_factor import code_for, key_from_page
from tracker import invitations
from tracker.models import Invitation

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MESSAGE_CALLS = {"success", "info", "warning", "error", "add_message"}
# Two marks where one was meant: "board..", "board.?", ".,", "?.", " ." (an ellipsis "..." is fine).
NEW_PASSWORD = "a long and unguessable passphrase"
DOUBLED = re.compile(r"(?<![.])[.!?][.!?,;:](?![.])|[,;:][.,;:]|\s[.,;:!?](?=\s|$)")


def message_call_sites() -> set[tuple[str, int]]:
    """Every `messages.<level>(...)` call in the product's code, as (file, line)."""
    sites = set()
    for path in [*ROOT.glob("recommendations/**/*.py"), *ROOT.glob("tracker/**/*.py"), *ROOT.glob("forces/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in MESSAGE_CALLS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "messages"
            ):
                sites.add((str(path.relative_to(ROOT)), node.lineno))
    return sites


def _text(html: str) -> str:
    html = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", html, flags=re.DOTALL)
    html = re.sub(r'<span class="govuk-warning-text__icon"[^>]*>!</span>', " ", html)  # the warning sign
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def test_doubled_punctuation_is_caught():
    for wrong in ("by the board..", "published?.", "done.,", "Themes saved for Kent ."):
        assert DOUBLED.search(wrong), wrong
    for right in ("by the board.", "Wait... then go.", "a.b.c", "2.5 forces", "Recommendation 2a saved."):
        assert not DOUBLED.search(right), right


def test_no_status_message_or_note_doubles_its_punctuation(client, demo, monkeypatch):
    sent: list[str] = []
    called: set[tuple[str, int]] = set()
    real_add = messages_api.add_message

    def recording_add(request, level, message, *args, **kwargs):
        import sys

        frame = sys._getframe(2)  # add_message <- messages.success <- the view
        called.add((str(Path(frame.f_code.co_filename).resolve().relative_to(ROOT)), frame.f_lineno))
        sent.append(str(message))
        return real_add(request, level, message, *args, **kwargs)

    monkeypatch.setattr(messages_api, "add_message", recording_add)
    users = {user.username: user for user in get_user_model().objects.all()}
    open_round = Round.objects.get(closed=False)
    Round.objects.filter(pk=open_round.pk).update(title="Progress update, spring.")
    force_url = "/forces/west-midlands/"
    base = f"/forces/west-midlands/rounds/{open_round.slug}"
    pages: dict[str, str] = {}

    def visit(path, data=None, **kwargs):
        response = client.post(path, data or {}, **kwargs) if data is not None else client.get(path)
        if response.status_code == 302:
            response = client.get(response["Location"])
        pages[path] = response.content.decode()
        return response

    # The lead: a draft, an answer, a submission, nothing left to submit, a withdrawal with a typed reason.
    client.force_login(users["lead-west-midlands"])
    narrative = "Policy signed off by the board."
    visit(
        f"{base}/answers/tvip-super-complaint/1/",
        {"status": "in_progress", "narrative": narrative, "version": "0", "save_draft": "1"},
    )
    visit(f"{base}/answers/tvip-super-complaint/1/", {"status": "in_progress", "narrative": narrative, "version": "1"})
    # A document added with "Add document", then with "Continue".
    pdf = b"%PDF-1.4\n%%EOF\n"
    document = {"status": "in_progress", "narrative": narrative, "document_marking": "internal"}
    visit(
        f"{base}/answers/tvip-super-complaint/2b/",
        {**document, "version": "0", "attach": "", "document": SimpleUploadedFile("policy.pdf", pdf)},
    )
    visit(
        f"{base}/answers/tvip-super-complaint/2b/",
        {**document, "version": "1", "document": SimpleUploadedFile("minutes.pdf", pdf + b" ")},
    )
    # The action plan: a milestone added, then its target moved with a typed reason.
    visit(
        f"{base}/answers/tvip-super-complaint/1/milestones/add/",
        {"description": "Train sergeants.", "target_on_0": "1", "target_on_1": "6", "target_on_2": "2030"},
    )
    milestone = Milestone.objects.get(description="Train sergeants.")
    visit(
        f"{base}/answers/tvip-super-complaint/1/milestones/{milestone.pk}/",
        {
            "description": "Train sergeants.",
            "target_on_0": "1",
            "target_on_1": "9",
            "target_on_2": "2030",
            "moved_reason": "Trainers not free until August.",
            "revision": "1",
        },
    )
    visit(f"{base}/answers/tvip-super-complaint/1/")  # the slippage sentence and the reason
    visit(f"{base}/check/", {})
    visit(f"{base}/check/", {})  # nothing new to submit
    visit(
        f"{base}/answers/tvip-super-complaint/1/withdraw/",
        {"reason": "Submitted before sign-off by the board.", "version": "3"},
    )
    visit(force_url)
    visit(f"{base}/answers/tvip-super-complaint/1/")  # the withdrawal note above the form
    assert "by the board. It is not counted" in _text(pages[f"{base}/answers/tvip-super-complaint/1/"])
    visit(f"{base}/answers/tvip-super-complaint/1/history/")
    # ... a spreadsheet return, then the same file again (nothing changed).
    workbook = load_workbook(io.BytesIO(client.get(f"{base}/return.xlsx").content))
    for row in workbook.active.iter_rows(min_row=5):
        if row[1].value == "2a":
            row[3].value, row[4].value = "Planned", "Training booked for the spring?"
    buffer = io.BytesIO()
    workbook.save(buffer)
    for _ in range(2):
        visit(f"{base}/upload/", {"file": SimpleUploadedFile("return.xlsx", buffer.getvalue())})
    visit(f"{base}/check/", {})
    # ... two-factor sign-in on, then off.
    key = key_from_page(client.get("/accounts/two-factor/set-up/").content.decode())
    visit("/accounts/two-factor/set-up/", {"code": code_for(key)})
    visit("/accounts/two-factor/turn-off/", {})

    # Staff: return one answer with a typed note, accept another, code, quote, stop quoting, and a snapshot.
    client.force_login(users["portfolio"])
    visit(f"{base}/answers/tvip-super-complaint/2a/review/", {"note": "Which training, and when?"})
    visit(f"{base}/answers/tvip-super-complaint/2a/review/", {"accept": "1"})
    past = "progress-update-march-2024"
    answer = f"/dashboard/rounds/{past}/recommendations/tvip-super-complaint/1/forces/west-midlands/"
    visit(answer, {"new_theme": "Board sign-off."})
    visit(answer, {"quote_practice": "1", "quote": "has a policy signed off by the board."})
    visit(f"/dashboard/practice/{demo_practice_id()}/delete/", {})
    visit(f"/dashboard/rounds/{past}/snapshots/new/", {})
    draft = Snapshot.objects.get(state="draft").pk
    visit(
        f"/dashboard/snapshots/{draft}/edit/",
        {"title": "Snapshot, spring.", "introduction": "Read with care.", "headings": Snapshot.Headings.choices[0][0]},
    )
    visit(
        f"/dashboard/snapshots/{draft}/recommendations/tvip-super-complaint/1/edit/",
        {"summary": "Five forces had a policy."},
    )
    visit(f"/dashboard/snapshots/{draft}/publish/", {})
    visit(f"/dashboard/snapshots/{draft}/correct/", {})
    visit(f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/history/")
    visit("/dashboard/forces/west-midlands/")
    _desk_journey(visit, open_round)
    _answer_once_journey(visit, client, users, open_round, base)
    _office_journey(visit, client, users)
    _invitation_journey(visit, client, users)
    _kept_form_journey(visit, client, users, base)
    _report_import_journey(visit, client, users)
    _extensions_journey(visit, client, users, open_round)

    missing = sorted(message_call_sites() - called)
    assert missing == [], f"status messages this test does not send: {missing}"
    doubled = [message for message in sent if DOUBLED.search(message)]
    for path, page in pages.items():
        for banner in re.findall(r'<div class="govuk-(?:notification-banner|inset-text)\b.*?</div>', page, re.DOTALL):
            if DOUBLED.search(_text(banner)):
                doubled.append(f"{path}: {_text(banner)}")
        for found in DOUBLED.finditer(_text(page)):
            text = _text(page)
            doubled.append(f"{path}: ...{text[max(0, found.start() - 60) : found.end() + 20]}...")
    assert doubled == [], "\n".join(doubled)


def demo_practice_id() -> int:
    from recommendations.models import NotablePractice

    return NotablePractice.objects.latest("pk").pk


def _answer_once_journey(visit, client, users, open_round, base):
    """Answer once: staff link two recommendations (a note ending in its own full stop) and unlink
    them; the lead reuses an answer, and is told why when nothing can be reused (a bad form, no
    answer to reuse, or an answer saved since)."""
    from recommendations.models import Recommendation, RecommendationLink

    force = Force.objects.get(slug="west-midlands")
    tvip_2b = Recommendation.objects.get(report__slug="tvip-super-complaint", reference="2b")
    other_2b = Recommendation.objects.get(report__slug="illustrative-follow-up", reference="2b")
    make_answer(open_round, force, tvip_2b, submit=False, narrative="IAG refreshed by the board.")
    client.force_login(users["portfolio"])
    visit("/dashboard/links/", {"source": tvip_2b.pk, "kind": "covers", "target": other_2b.pk, "note": "Same ask."})
    client.force_login(users["lead-west-midlands"])
    visit(f"{base}/answers/illustrative-follow-up/1/reuse/", {"version": "x"})  # not a version
    visit(f"{base}/answers/illustrative-follow-up/1/reuse/", {"version": "0"})  # TVIP 1 was withdrawn
    visit(f"{base}/answers/illustrative-follow-up/2b/reuse/", {"version": "5"})  # not the version shown
    visit(f"{base}/answers/illustrative-follow-up/2b/reuse/", {"version": "0"})  # reused
    visit(f"{base}/answers/illustrative-follow-up/2b/")
    client.force_login(users["portfolio"])
    link = RecommendationLink.objects.get(source=tvip_2b)
    visit(f"/dashboard/links/{link.pk}/remove/", {})


def _extensions_journey(visit, client, users, open_round):
    """More time: West Midlands' lead asks (a reason ending in its own full stop); staff grant it with
    a note, and refuse Essex's waiting request with a note; the lead reads the decision."""
    from recommendations.models import Extension

    client.force_login(users["lead-west-midlands"])
    due = open_round.due_on + timedelta(days=10)
    visit(
        f"/forces/west-midlands/rounds/{open_round.slug}/more-time/",
        {"asked_for_0": due.day, "asked_for_1": due.month, "asked_for_2": due.year, "reason": "Board meets late."},
    )
    client.force_login(users["portfolio"])
    visit("/dashboard/more-time/")
    asked = Extension.objects.get(force__slug="west-midlands", state="waiting")
    visit(
        f"/dashboard/more-time/{asked.pk}/",
        {"decision": "grant", "due_on_0": due.day, "due_on_1": due.month, "due_on_2": due.year, "note": "Fine."},
    )
    essex = Extension.objects.get(force__slug="essex", state="waiting")
    visit(f"/dashboard/more-time/{essex.pk}/", {"decision": "refuse", "note": "The round cannot wait."})
    visit("/dashboard/more-time/")
    client.force_login(users["lead-west-midlands"])
    visit("/forces/west-midlands/")


def _desk_journey(visit, open_round):
    """The analysts' desk: accept from the history page, from the answer page (then "next" from the
    last answer in the list), again once accepted, in bulk and with none chosen; follow; remind."""
    forces = Force.objects.filter(slug__in=["durham", "essex", "kent"]).order_by("name")
    first, second, third = (make_answer(open_round, force, "1") for force in forces)
    visit(
        f"/forces/{first.force.slug}/rounds/{open_round.slug}/answers/tvip-super-complaint/{first.recommendation.reference}/review/",
        {"accept": "1"},
    )
    page = (
        f"/dashboard/rounds/{open_round.slug}/recommendations/tvip-super-complaint/{second.recommendation.reference}/"
    )
    only_it = f"{page}forces/{second.force.slug}/?q={second.force.name}"
    visit(only_it, {"action": "accept", "then": "next"})
    visit(only_it, {"action": "accept"})
    visit(
        f"/dashboard/rounds/{open_round.slug}/recommendations/tvip-super-complaint/{third.recommendation.reference}/accept/",
        {},
    )
    visit(
        f"/dashboard/rounds/{open_round.slug}/recommendations/tvip-super-complaint/{third.recommendation.reference}/accept/",
        {"answers": [third.force.slug]},
    )
    visit(f"/dashboard/rounds/{open_round.slug}/follow/", {"follow": "digest"})
    visit(f"/dashboard/rounds/{open_round.slug}/remind/", {})


def _office_journey(visit, client, users):
    """A commissioner's office drafts its response (and again), saves, publishes and corrects it twice."""
    client.force_login(users["pcc-kent"])
    new = "/offices/kent/reports/tvip-super-complaint/response/new/"
    visit(new, {})
    visit(new, {})
    draft = StatutoryResponse.objects.get(body__slug="kent", state=StatutoryResponse.State.DRAFT)
    form = {
        "title": "Kent's response, as signed.",
        "introduction": "We welcome the report.",
        "closing": "Yours faithfully,",
        "signature_name": "A. Commissioner",
        "signature_title": "Kent Police and Crime Commissioner",
    }
    for section in draft.sections.all():
        form[f"section_{section.pk}_heading"] = section.heading
        form[f"section_{section.pk}_text"] = "Agreed, and in hand."
    visit(f"/offices/kent/responses/{draft.pk}/edit/", form)
    visit(f"/offices/kent/responses/{draft.pk}/publish/", {})
    visit(f"/offices/kent/responses/{draft.pk}/correct/", {})
    visit(f"/offices/kent/responses/{draft.pk}/correct/", {})


def _report_import_journey(visit, client, users):
    """An administrator imports a report whose short title ends in its own full stop."""
    client.force_login(users["admin"])
    rows = "Reference,Parent,Short title,Full text,Addressee\n1,,Risk.,Assess the risk.,Chief constables\n"
    details = {"title": "A thematic report.", "short_title": "Thematic.", "slug": "thematic", "publishers": "HMICFRS."}
    visit(
        "/admin/recommendations/report/import/",
        {**details, "published_on": "2026-11-20", "file": SimpleUploadedFile("report.csv", rows.encode())},
    )


def _invitation_journey(visit, client, users):
    """An administrator invites one person, resends and revokes (twice each), invites from a CSV
    file; an invited person accepts."""
    client.force_login(users["admin"])
    visit(
        "/accounts/invitations/new/", {"name": "Sam Lead.", "email": "sam@example.invalid", "role": "portfolio_staff"}
    )
    invitation = Invitation.objects.get(email="sam@example.invalid")
    for _ in range(2):  # sent again, then revoked; then neither can be done again
        visit(f"/accounts/invitations/{invitation.pk}/resend/", {})
        visit(f"/accounts/invitations/{invitation.pk}/revoke/", {})
    csv_file = SimpleUploadedFile("people.csv", b"email,name,role,force\nkim@example.invalid,Kim,force lead,Kent\n")
    visit("/accounts/invitations/upload/", {"file": csv_file})
    token = "a-token-for-the-status-messages"
    Invitation.objects.filter(email="kim@example.invalid").update(token_digest=invitations.token_digest(token))
    client.logout()
    visit(f"/accounts/invitation/{token}/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def _kept_form_journey(visit, client, users, base):
    """The session ends while a lead types; what they typed is kept, then given back after signing in."""
    lead = users["lead-west-midlands"]
    lead.set_password(NEW_PASSWORD)
    lead.save()
    client.force_login(lead)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    answer = f"{base}/answers/tvip-super-complaint/2a/"
    visit(answer, {"status": "planned", "narrative": "Typed as the session ended.", "version": "9"})
    client.post("/accounts/login/", {"username": lead.username, "password": NEW_PASSWORD})
    visit(answer)
