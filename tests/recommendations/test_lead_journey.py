"""A force lead answers, checks and submits their return; every refusal changes nothing."""

import pytest
from django.core import mail

from recommendations.models import StatusUpdate
from recommendations.services import status_update_save

pytestmark = pytest.mark.django_db

ANSWER_URL = "/forces/west-midlands/rounds/{round}/answers/tvip-super-complaint/{reference}/"


def answer_url(round, reference="1"):
    return ANSWER_URL.format(round=round.slug, reference=reference)


def post_answer(client, round, reference="1", **fields):
    data = {"status": "in_progress", "narrative": "Policy being rewritten.", "evidence": "", "version": "0", **fields}
    return client.post(answer_url(round, reference), data)


def stored():
    return list(StatusUpdate.objects.order_by("pk").values_list("force__name", "version", "state", "narrative"))


def test_a_lead_saves_a_draft_and_returns_to_their_list(client, lead_a, open_round):
    client.force_login(lead_a)
    response = post_answer(client, open_round, save_draft="1")
    assert response.status_code == 302
    # Back at the list, at the report of the answer saved (a round of several reports shows one at a time).
    assert response["Location"] == (
        f"/forces/west-midlands/?round={open_round.slug}&report=tvip-super-complaint#round-{open_round.slug}"
    )
    assert stored() == [("West Midlands", 1, "draft", "Policy being rewritten.")]
    page = client.get("/forces/west-midlands/").content.decode()
    assert "Draft" in page
    assert "saved as a draft" in page


def test_continue_goes_to_the_next_unanswered_recommendation_then_to_check_answers(client, lead_a, open_round):
    client.force_login(lead_a)
    assert post_answer(client, open_round, "1", **{"continue": "1"})["Location"] == answer_url(open_round, "2")
    response = post_answer(client, open_round, "2", **{"continue": "1"})
    assert response["Location"] == f"/forces/west-midlands/rounds/{open_round.slug}/check/"


def test_check_answers_then_submit_sends_every_draft_and_a_confirmation(
    client, lead_a, portfolio, open_round, django_capture_on_commit_callbacks
):
    lead_a.email = "lead@west-midlands.example"
    lead_a.save()
    client.force_login(lead_a)
    post_answer(client, open_round, "1", narrative="Our answer to one.")
    check = client.get(f"/forces/west-midlands/rounds/{open_round.slug}/check/").content.decode()
    assert "Our answer to one." in check
    assert "Submit return" in check

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/forces/west-midlands/rounds/{open_round.slug}/check/", follow=True)

    assert response.redirect_chain[-1][0] == f"/forces/west-midlands/rounds/{open_round.slug}/submitted/"
    assert "Return submitted" in response.content.decode()
    assert stored() == [
        ("West Midlands", 1, "draft", "Our answer to one."),
        ("West Midlands", 2, "submitted", "Our answer to one."),
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lead@west-midlands.example"]
    assert "submitted" in mail.outbox[0].subject

    client.force_login(portfolio)
    history = client.get(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/history/"
    ).content.decode()
    assert "Our answer to one." in history


def test_another_forces_lead_can_neither_read_nor_change_the_answer(client, lead_a, lead_b, open_round):
    client.force_login(lead_a)
    post_answer(client, open_round, narrative="West Midlands only.")
    before = stored()
    client.force_login(lead_b)
    assert client.get(answer_url(open_round)).status_code == 404
    assert post_answer(client, open_round, narrative="Kent was here.", version="1").status_code == 404
    assert (
        client.get(
            f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/history/"
        ).status_code
        == 404
    )
    assert client.post(f"/forces/west-midlands/rounds/{open_round.slug}/check/").status_code == 404
    assert stored() == before


def test_portfolio_staff_may_not_answer_for_a_force(client, portfolio, force_a, open_round):
    client.force_login(portfolio)
    assert post_answer(client, open_round).status_code == 403
    assert stored() == []


def test_a_closed_round_refuses_changes(client, lead_a, open_round):
    client.force_login(lead_a)
    post_answer(client, open_round, narrative="Before closing.")
    open_round.closed = True
    open_round.save()
    before = stored()
    assert post_answer(client, open_round, narrative="After closing.", version="1").status_code == 403
    assert client.post(f"/forces/west-midlands/rounds/{open_round.slug}/check/").status_code == 403
    assert stored() == before


def test_signed_out_visitors_are_sent_to_sign_in_and_nothing_is_saved(client, force_a, open_round):
    response = post_answer(client, open_round)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert stored() == []


def test_a_stale_save_is_refused_showing_the_other_persons_text_and_keeping_yours(client, lead_a, open_round):
    client.force_login(lead_a)
    post_answer(client, open_round, narrative="First version.")
    # A colleague saves version 2 meanwhile.
    status_update_save(
        round=open_round,
        force=lead_a.force_membership.force,
        recommendation=open_round.recommendations.get(reference="1"),
        user=lead_a,
        expected_version=1,
        status="complete",
        narrative="Colleague's words.",
    )
    response = post_answer(client, open_round, narrative="My careful words.", version="1")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this answer while you were editing it" in page
    assert "Colleague&#x27;s words." in page
    assert "My careful words." in page
    assert 'name="version" value="2"' in page
    assert [row[3] for row in stored()] == ["First version.", "Colleague's words."]


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"status": ""}, "status", "Select the status of this recommendation"),
        ({"status": "sort_of"}, "status", "Select the status of this recommendation"),
        ({"narrative": ""}, "narrative", "Enter a progress update"),
        ({"narrative": "x" * 10_001}, "narrative", "must be 10,000 characters or fewer; it has 10,001"),
        ({"narrative": "y" * 300_000}, "narrative", "must be 10,000 characters or fewer; it has 300,000"),
        (
            {"status": "not_applicable", "not_applicable_reason": ""},
            "not_applicable_reason",
            "Say why this recommendation",
        ),
        ({"evidence": "not a link"}, "evidence", "Evidence link 1 is not a web address"),
        ({"version": "abc"}, "version", "This page was incomplete when it was sent"),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_nothing_is_stored(
    client, lead_a, open_round, fields, field, message
):
    client.force_login(lead_a)
    response = post_answer(client, open_round, **fields)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert message in page
    assert f'href="#id_{field}' in page or field == "version"
    assert stored() == []


def test_a_null_character_is_refused_before_the_form_and_nothing_is_stored(client, lead_a, open_round):
    # The edge (tracker/middleware.py) refuses it for every form; the form would refuse it too.
    client.force_login(lead_a)
    response = post_answer(client, open_round, narrative="Null\x00byte")
    assert response.status_code == 400
    assert "null character" in response.content.decode()
    assert stored() == []


def test_control_characters_are_removed_and_nothing_else(client, lead_a, open_round):
    client.force_login(lead_a)
    post_answer(client, open_round, narrative="Line one\x07\x1b\r\nمرحبا 🚓 <script>alert(1)</script>")
    assert stored()[0][3] == "Line one\nمرحبا 🚓 <script>alert(1)</script>"
    page = client.get(f"/forces/west-midlands/rounds/{open_round.slug}/check/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_not_applicable_with_a_reason_is_kept(client, lead_a, open_round):
    client.force_login(lead_a)
    post_answer(client, open_round, status="not_applicable", narrative="", not_applicable_reason="No such unit here.")
    version = StatusUpdate.objects.get()
    assert (version.status, version.not_applicable_reason) == ("not_applicable", "No such unit here.")


def test_an_earlier_rounds_answer_is_carried_forward_until_confirmed(client, lead_a, open_round, force_a):
    from tests.factories import RoundFactory

    earlier = RoundFactory(
        title="Earlier round",
        opens_on=open_round.opens_on.replace(year=open_round.opens_on.year - 1),
        due_on=open_round.due_on.replace(year=open_round.due_on.year - 1),
        recommendations=list(open_round.recommendations.all()),
        forces_asked=[force_a],
    )
    status_update_save(
        round=earlier,
        force=force_a,
        recommendation=open_round.recommendations.get(reference="1"),
        user=lead_a,
        expected_version=0,
        status="complete",
        narrative="Done last year.",
        submit=True,
    )
    client.force_login(lead_a)
    assert "Carried forward" in client.get("/forces/west-midlands/").content.decode()
    form = client.get(answer_url(open_round)).content.decode()
    assert "Done last year." in form
    assert "carried forward from Earlier round" in form

    client.post(f"/forces/west-midlands/rounds/{open_round.slug}/check/")

    submitted = StatusUpdate.objects.get(round=open_round)
    assert (submitted.narrative, submitted.state, submitted.carried_forward) == ("Done last year.", "submitted", True)


def test_staff_return_an_answer_with_a_note_and_the_lead_answers_again(client, lead_a, portfolio, open_round):
    client.force_login(lead_a)
    post_answer(client, open_round, narrative="Our SOP covers it.")
    client.post(f"/forces/west-midlands/rounds/{open_round.slug}/check/")

    client.force_login(portfolio)
    review_url = f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/review/"
    empty = client.post(review_url, {"note": ""})
    assert empty.status_code == 400 and "Enter a note for the force" in empty.content.decode()
    client.post(review_url, {"note": "Please say whether the SOP is published."})

    client.force_login(lead_a)
    page = client.get("/forces/west-midlands/").content.decode()
    assert "Returned for more information" in page
    assert "Please say whether the SOP is published." in page
    post_answer(client, open_round, narrative="Our SOP is published on our website.", version="2")
    client.post(f"/forces/west-midlands/rounds/{open_round.slug}/check/")
    assert "Resubmitted" in client.get("/forces/west-midlands/").content.decode()

    client.force_login(portfolio)
    client.post(review_url, {"accept": "1"})
    client.force_login(lead_a)
    assert "Accepted" in client.get("/forces/west-midlands/").content.decode()


def test_a_lead_may_not_review_answers(client, lead_a, open_round):
    client.force_login(lead_a)
    post_answer(client, open_round)
    client.post(f"/forces/west-midlands/rounds/{open_round.slug}/check/")
    response = client.post(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/review/", {"accept": "1"}
    )
    assert response.status_code == 403
    assert StatusUpdate.objects.get(is_latest_submitted=True).review == ""


def test_history_shows_what_changed_between_two_versions(client, lead_a, open_round):
    client.force_login(lead_a)
    post_answer(client, open_round, narrative="The policy is drafted.")
    post_answer(client, open_round, narrative="The policy is published.", version="1")
    page = client.get(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/history/?from=1&to=2"
    ).content.decode()
    assert "What changed from version 1 to version 2" in page
    assert (
        '<del class="app-diff-removed"><span class="govuk-visually-hidden">removed: </span><bdi dir="auto">drafted.</bdi>'
        '<span class="govuk-visually-hidden"> (end of removed)</span></del> '
        '<ins class="app-diff-added"><span class="govuk-visually-hidden">added: </span><bdi dir="auto">published.</bdi>'
    ) in page


def test_a_changed_status_reads_as_two_words_not_one(client, lead_a, open_round):
    client.force_login(lead_a)
    post_answer(client, open_round)
    post_answer(client, open_round, status="complete", version="1")
    page = client.get(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/history/?from=1&to=2"
    ).content.decode()
    assert 'In progress</bdi><span class="govuk-visually-hidden"> (end of removed)</span></del> <ins' in page


def test_the_comparison_starts_from_the_last_two_submitted_versions(client, lead_a, portfolio, open_round):
    check = f"/forces/west-midlands/rounds/{open_round.slug}/check/"
    history = f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/history/"
    client.force_login(lead_a)
    post_answer(client, open_round, narrative="The policy is drafted.", save_draft="1")  # version 1, a draft
    client.post(check)  # version 2, its submission
    post_answer(client, open_round, narrative="The policy is published.", version="2", save_draft="1")  # 3
    client.post(check)  # version 4
    post_answer(client, open_round, narrative="Withdrawn soon.", version="4", save_draft="1")  # 5, a draft
    for person in (lead_a, portfolio):
        client.force_login(person)
        page = client.get(history).content.decode()
        assert "What changed from version 2 to version 4" in page, person
    # Asked for, any two versions can still be compared.
    client.force_login(lead_a)
    assert "What changed from version 4 to version 5" in client.get(history + "?from=4&to=5").content.decode()


def test_answers_in_a_closed_round_cannot_be_returned(client, lead_a, portfolio, open_round):
    client.force_login(lead_a)
    post_answer(client, open_round)
    client.post(f"/forces/west-midlands/rounds/{open_round.slug}/check/")
    open_round.closed = True
    open_round.save()
    client.force_login(portfolio)
    history = client.get(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/history/"
    ).content.decode()
    assert "Review the submitted answer" not in history
    review_url = f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/review/"
    assert client.post(review_url, {"note": "Too late to answer this."}).status_code == 403
    assert StatusUpdate.objects.get(is_latest_submitted=True).review == ""
