"""Status messages and notes are assembled from pieces (a typed reason, a force's name, a title) and
a full stop: none may read "board.." or ".,". Every call that sends a status message is made here
(a call added to the code without being exercised fails), with typed text that ends in its own
punctuation, and every message and every page the journey passes through is read for doubled marks.
"""

import ast
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import api as messages_api
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from recommendations.models import Round, Snapshot
from tests.tracker.test_two_factor import code_for, key_from_page

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MESSAGE_CALLS = {"success", "info", "warning", "error", "add_message"}
# Two marks where one was meant: "board..", "board.?", ".,", "?.", " ." (an ellipsis "..." is fine).
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
    visit(f"{base}/answers/1/", {"status": "in_progress", "narrative": narrative, "version": "0", "save_draft": "1"})
    visit(f"{base}/answers/1/", {"status": "in_progress", "narrative": narrative, "version": "1"})
    visit(f"{base}/check/", {})
    visit(f"{base}/check/", {})  # nothing new to submit
    visit(f"{base}/answers/1/withdraw/", {"reason": "Submitted before sign-off by the board.", "version": "3"})
    visit(force_url)
    visit(f"{base}/answers/1/")  # the withdrawal note above the form
    assert "by the board. It is not counted" in _text(pages[f"{base}/answers/1/"])
    visit(f"{base}/answers/1/history/")
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
    visit(f"{base}/answers/2a/review/", {"note": "Which training, and when?"})
    visit(f"{base}/answers/2a/review/", {"accept": "1"})
    past = "progress-update-march-2024"
    answer = f"/dashboard/rounds/{past}/recommendations/1/forces/west-midlands/"
    visit(answer, {"new_theme": "Board sign-off."})
    visit(answer, {"quote_practice": "1", "quote": "has a policy signed off by the board."})
    visit(f"/dashboard/practice/{demo_practice_id()}/delete/", {})
    visit(f"/dashboard/rounds/{past}/snapshots/new/", {})
    draft = Snapshot.objects.get(state="draft").pk
    visit(f"/dashboard/snapshots/{draft}/edit/", {"title": "Snapshot, spring.", "introduction": "Read with care."})
    visit(f"/dashboard/snapshots/{draft}/recommendations/1/edit/", {"summary": "Five forces had a policy."})
    visit(f"/dashboard/snapshots/{draft}/publish/", {})
    visit(f"/dashboard/snapshots/{draft}/correct/", {})
    visit(f"/forces/west-midlands/rounds/{open_round.slug}/answers/1/history/")
    visit("/dashboard/forces/west-midlands/")

    assert message_call_sites() - called == set(), "a status message this test does not send"
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
