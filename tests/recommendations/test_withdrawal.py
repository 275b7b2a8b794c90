"""A submitted answer is never deleted: a lead withdraws it, which is a version of its own.

The withdrawn answer stays in the history, staff see that and why it was withdrawn, and the
roll-up stops counting it until the force submits again.
"""

import pytest
from django.db import IntegrityError, transaction

from recommendations.models import AuditEvent, NotablePractice, StatusUpdate
from recommendations.selectors import round_practice, round_rollup
from recommendations.services import status_update_save
from tests.factories import make_answer

pytestmark = pytest.mark.django_db


def withdraw_url(round, reference="1"):
    return f"/forces/west-midlands/rounds/{round.slug}/answers/tvip-super-complaint/{reference}/withdraw/"


def submitted(round, force, user, narrative="Our SOP covers honour-based abuse."):
    return make_answer(round, force, user=user, status="complete", narrative=narrative)


def versions():
    return list(
        StatusUpdate.objects.order_by("version").values_list(
            "version", "state", "status", "narrative", "withdrawal_reason", "is_current", "is_latest_submitted"
        )
    )


def complete_count(round):
    return next(item for item in round_rollup(round).recommendations if item.reference == "1").count_for("complete")


def test_a_lead_withdraws_a_submitted_answer_and_it_is_kept_but_not_counted(
    client, lead_a, portfolio, force_a, open_round
):
    submitted(open_round, force_a, lead_a)
    assert complete_count(open_round) == 1
    client.force_login(lead_a)
    form_page = client.get(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/"
    ).content.decode()
    assert "Withdraw this answer" in form_page
    confirm = client.get(withdraw_url(open_round)).content.decode()
    assert "National staff will no longer count this answer" in confirm
    assert "Our SOP covers honour-based abuse." in confirm

    response = client.post(
        withdraw_url(open_round),
        {"reason": "Submitted in error: the SOP is still a draft.", "version": "1"},
        follow=True,
    )

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == (
        f"/forces/west-midlands/?round={open_round.slug}&report=tvip-super-complaint#round-{open_round.slug}"
    )
    assert "Your answer to TVIP super-complaint 1 is withdrawn" in page
    assert "Withdrawn" in page
    assert versions() == [
        (1, "submitted", "complete", "Our SOP covers honour-based abuse.", "", False, False),
        (
            2,
            "withdrawn",
            "complete",
            "Our SOP covers honour-based abuse.",
            "Submitted in error: the SOP is still a draft.",
            True,
            False,
        ),
    ]
    rollup = round_rollup(open_round)
    assert complete_count(open_round) == 0
    assert "West Midlands" in next(item for item in rollup.recommendations if item.reference == "1").not_answered_forces
    event = AuditEvent.objects.get(action=AuditEvent.Action.ANSWER_WITHDRAWN)
    assert event.force == "West Midlands" and "Submitted in error" in event.summary

    client.force_login(portfolio)
    staff_force = client.get("/dashboard/forces/west-midlands/").content.decode()
    assert "Withdrawn" in staff_force and "Submitted in error: the SOP is still a draft." in staff_force
    history = client.get(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/history/"
    ).content.decode()
    assert "Submitted in error: the SOP is still a draft." in history
    assert "Our SOP covers honour-based abuse." in history


def test_the_lead_answers_again_from_the_withdrawn_answer_and_it_counts_once_submitted(
    client, lead_a, force_a, open_round
):
    submitted(open_round, force_a, lead_a)
    client.force_login(lead_a)
    client.post(withdraw_url(open_round), {"reason": "Not yet true.", "version": "1"})
    form_page = client.get(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/"
    ).content.decode()
    assert "You withdrew this answer" in form_page
    assert "Our SOP covers honour-based abuse." in form_page
    assert "Withdraw this answer" not in form_page

    client.post(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/",
        {"status": "in_progress", "narrative": "The SOP is being written.", "evidence": "", "version": "2"},
    )
    client.post(f"/forces/west-midlands/rounds/{open_round.slug}/check/")

    assert [row[:2] for row in versions()] == [(1, "submitted"), (2, "withdrawn"), (3, "draft"), (4, "submitted")]
    figures = next(item for item in round_rollup(open_round).recommendations if item.reference == "1")
    assert (figures.count_for("complete"), figures.count_for("in_progress")) == (0, 1)


def test_a_withdrawal_needs_a_reason_and_nothing_is_stored_without_one(client, lead_a, force_a, open_round):
    submitted(open_round, force_a, lead_a)
    client.force_login(lead_a)
    response = client.post(withdraw_url(open_round), {"reason": "   ", "version": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say why you are withdrawing this answer" in page
    assert 'id="id_reason-error"' in page or "govuk-error-message" in page
    assert [row[:2] for row in versions()] == [(1, "submitted")]
    assert complete_count(open_round) == 1


def test_a_withdrawal_from_a_stale_page_is_refused(client, lead_a, force_a, open_round):
    submitted(open_round, force_a, lead_a)
    status_update_save(
        round=open_round,
        force=force_a,
        recommendation=open_round.recommendations.get(reference="1"),
        user=lead_a,
        expected_version=1,
        status="complete",
        narrative="Amended and resubmitted by a colleague.",
        submit=True,
    )
    client.force_login(lead_a)
    response = client.post(withdraw_url(open_round), {"reason": "Wrong answer.", "version": "1"})
    assert response.status_code == 400
    assert "changed after you opened this page" in response.content.decode()
    assert [row[:2] for row in versions()] == [(1, "submitted"), (2, "submitted")]


def test_only_a_submitted_answer_can_be_withdrawn(client, lead_a, force_a, open_round):
    client.force_login(lead_a)
    client.post(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/",
        {"status": "planned", "narrative": "A draft.", "evidence": "", "version": "0"},
    )
    assert (
        "Withdraw this answer"
        not in client.get(
            f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/"
        ).content.decode()
    )
    response = client.post(withdraw_url(open_round), {"reason": "Why not.", "version": "1"})
    assert response.status_code == 400
    assert "Only a submitted answer can be withdrawn" in response.content.decode()
    assert [row[:2] for row in versions()] == [(1, "draft")]


def test_another_forces_lead_and_staff_cannot_withdraw(client, lead_b, portfolio, lead_a, force_a, open_round):
    submitted(open_round, force_a, lead_a)
    for user, expected in ((lead_b, 404), (portfolio, 403)):
        client.force_login(user)
        assert client.post(withdraw_url(open_round), {"reason": "Not mine.", "version": "1"}).status_code == expected
    assert [row[:2] for row in versions()] == [(1, "submitted")]


def test_nothing_can_be_withdrawn_once_the_round_closes(client, lead_a, force_a, open_round):
    submitted(open_round, force_a, lead_a)
    open_round.closed = True
    open_round.save()
    client.force_login(lead_a)
    assert client.post(withdraw_url(open_round), {"reason": "Too late.", "version": "1"}).status_code == 403
    assert [row[:2] for row in versions()] == [(1, "submitted")]


def test_practice_quoted_from_a_withdrawn_answer_is_no_longer_quoted(client, lead_a, force_a, open_round):
    answer = submitted(open_round, force_a, lead_a)
    NotablePractice.objects.create(
        round=open_round, force=force_a, recommendation=answer.recommendation, quote="trains every call handler."
    )
    assert [item.quote for item in round_practice(open_round)] == ["trains every call handler."]
    client.force_login(lead_a)
    client.post(withdraw_url(open_round), {"reason": "Not yet true.", "version": "1"})
    assert round_practice(open_round) == []


def test_the_database_refuses_a_withdrawal_without_a_reason(open_round, force_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.create(
            round=open_round,
            force=force_a,
            recommendation=open_round.recommendations.first(),
            version=1,
            state="withdrawn",
            status="complete",
            withdrawal_reason="",
        )


def test_administrators_cannot_delete_or_rewrite_an_answer(client, admin_user, lead_a, force_a, open_round):
    answer = submitted(open_round, force_a, lead_a)
    client.force_login(admin_user)
    change = client.get(f"/admin/recommendations/statusupdate/{answer.pk}/change/")
    assert change.status_code == 200 and "Delete" not in change.content.decode()
    assert client.post(f"/admin/recommendations/statusupdate/{answer.pk}/delete/", {"post": "yes"}).status_code == 403
    assert StatusUpdate.objects.filter(pk=answer.pk).exists()
