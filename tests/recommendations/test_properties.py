"""Property-based tests: whatever text a person or a spreadsheet sends, nothing crashes, what is
accepted is stored exactly as cleaned, and what is shown is escaped."""

import io

import pytest
from django.db import transaction
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from recommendations.forms import AnswerForm, WithdrawForm, clean_text
from recommendations.models import StatusUpdate
from recommendations.services import answer_withdraw, status_update_save
from recommendations.spreadsheet import read_return

pytestmark = pytest.mark.django_db

TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]),
    max_size=400,
) | st.sampled_from(
    ["<script>alert(1)</script>", '=HYPERLINK("http://x")', "مرحبا بالعالم", "🚓👮🏽‍♀️", "\u202eevil", "a\x00b"]
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(narrative=TEXT, status=st.sampled_from(["complete", "in_progress", "not_applicable", "bogus", ""]), reason=TEXT)
def test_the_answer_form_accepts_or_explains_and_stores_exactly_what_it_accepted(
    open_round, force_a, lead_a, narrative, status, reason
):
    form = AnswerForm(
        {"status": status, "narrative": narrative, "not_applicable_reason": reason, "evidence": "", "version": 0}
    )
    if not form.is_valid():
        assert form.errors  # every refusal comes with a message
        return
    assert "\x00" not in form.cleaned_data["narrative"]
    savepoint = transaction.savepoint()
    try:
        saved = status_update_save(
            round=open_round,
            force=force_a,
            recommendation=open_round.recommendations.first(),
            user=lead_a,
            expected_version=0,
            **{key: form.cleaned_data[key] for key in ("status", "narrative", "evidence", "not_applicable_reason")},
        )
        stored = StatusUpdate.objects.get(pk=saved.pk)
        assert stored.narrative == clean_text(narrative).strip()
    finally:
        transaction.savepoint_rollback(savepoint)


@SETTINGS
@given(reason=TEXT)
def test_a_withdrawal_reason_is_accepted_or_explained_and_stored_exactly(open_round, force_a, lead_a, reason):
    form = WithdrawForm({"reason": reason, "version": 1})
    if not form.is_valid():
        assert form.errors["reason"]  # every refusal is explained beside the field
        return
    savepoint = transaction.savepoint()
    try:
        recommendation = open_round.recommendations.first()
        status_update_save(
            round=open_round,
            force=force_a,
            recommendation=recommendation,
            user=lead_a,
            expected_version=0,
            status="complete",
            narrative="Done.",
            submit=True,
        )
        withdrawn = answer_withdraw(
            round=open_round,
            force=force_a,
            recommendation=recommendation,
            user=lead_a,
            expected_version=1,
            reason=form.cleaned_data["reason"],
        )
        assert StatusUpdate.objects.get(pk=withdrawn.pk).withdrawal_reason == clean_text(reason).strip()
    finally:
        transaction.savepoint_rollback(savepoint)


@SETTINGS
@given(text=TEXT)
def test_narratives_are_shown_escaped(text):
    from django.template import Context, Template

    rendered = Template("{{ text }}").render(Context({"text": text}))
    assert "<script>" not in rendered
    assert rendered == escape(text)


@SETTINGS
@given(cells=st.lists(st.tuples(TEXT, TEXT, TEXT, TEXT), min_size=1, max_size=6))
def test_any_spreadsheet_is_read_into_answers_or_problems_never_an_error(open_round, force_a, cells):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["title"])
    sheet.append([])
    sheet.append([])
    sheet.append(["Force", "Reference", "Recommendation", "Status", "Progress update"])
    for force, reference, status, narrative in cells:
        # openpyxl itself refuses control characters in cells, as Excel would never write them.
        row = [clean_text(value) for value in (force, reference, "", status, narrative)]
        try:
            sheet.append(row)
        except ValueError:
            return
    buffer = io.BytesIO()
    workbook.save(buffer)
    content, problems = read_return(buffer.getvalue(), force=force_a, round=open_round)
    answers = content.answers
    assert answers or problems
    for answer in answers:
        assert answer.reference in {"1", "2"}
        assert len(answer.narrative) <= 10_000
