"""The analysts' desk: the staff answer page (review, code, next answer), review states and filters,
bulk accept, search, suggested themes, similar answers, notifications and reminders from staff.
Built on fixtures of its own, not the demo's texts."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations import search, services, suggestions
from recommendations.models import AuditEvent, Notification, Status, StatusUpdate, Theme, ThemeCoding
from recommendations.notifications import digests_send, notifications_retry
from recommendations.services import round_follow_set, status_update_save
from tests.factories import ForceFactory, RecommendationFactory, ReportFactory, RoundFactory, UserFactory, make_lead
from tests.recommendations.test_query_counts import STAFF

pytestmark = pytest.mark.django_db

TEXTS = {
    "Avon and Somerset": "Karma Nirvana delivered training to every response officer; the IAG reviewed our policy.",
    "Cheshire": "Our IAG meets quarterly and reviewed the honour-based abuse SOP with Karma Nirvana.",
    "Durham": "A specific HBA policy was published in March, with an SOP for call handlers.",
    "Essex": "We published a specific HBA policy and SOP; training follows in the autumn.",
    "Gwent": "Dedicated champions in each district give advice on forced marriage cases.",
}


def answer(round, force, recommendation, text, *, user=None, submit=True):
    current = StatusUpdate.objects.filter(round=round, force=force, recommendation=recommendation, is_current=True)
    return status_update_save(
        round=round,
        force=force,
        recommendation=recommendation,
        user=user or UserFactory(username=f"writer-{force.slug}"),
        expected_version=current.first().version if current.exists() else 0,
        status=Status.IN_PROGRESS,
        narrative=text,
        submit=submit,
    )


@pytest.fixture
def desk(portfolio):
    recommendation = RecommendationFactory(
        report=ReportFactory(slug="tvip-super-complaint", short_title="TVIP super-complaint"),
        reference="1",
        title="The risk of honour-based abuse",
    )
    forces = {name: ForceFactory(name=name) for name in TEXTS}
    leads = {name: make_lead(force) for name, force in forces.items()}
    round = RoundFactory(title="Progress update, open", recommendations=[recommendation], forces_asked=forces.values())
    answers = {
        name: answer(round, forces[name], recommendation, text, user=leads[name]) for name, text in TEXTS.items()
    }
    return {"round": round, "recommendation": recommendation, "forces": forces, "leads": leads, "answers": answers}


def answer_url(desk, name, query=""):
    round, recommendation = desk["round"], desk["recommendation"]
    url = f"/dashboard/rounds/{round.slug}/recommendations/tvip-super-complaint/{recommendation.reference}/forces/{desk['forces'][name].slug}/"
    return url + (f"?{query}" if query else "")


def test_the_answer_page_shows_everything_about_the_answer(client, portfolio, desk):
    client.force_login(portfolio)
    page = client.get(answer_url(desk, "Durham")).content.decode()
    for text in (TEXTS["Durham"], "Needs review", "Every version", "Similar answers in this round", "Accept"):
        assert text in page


def test_staff_return_an_answer_with_a_note_and_the_lead_is_emailed_the_note_after_the_commit(
    client, portfolio, desk, django_capture_on_commit_callbacks
):
    client.force_login(portfolio)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            answer_url(desk, "Durham", "review=needs_review"),
            {"action": "return", "note": "Please say when the SOP was published.", "then": "next"},
        )
    # The next answer needing review after Durham's, by force name: Essex.
    assert response.status_code == 302 and response["Location"] == answer_url(desk, "Essex", "review=needs_review")
    returned = StatusUpdate.objects.get(pk=desk["answers"]["Durham"].pk)
    assert returned.review == StatusUpdate.Review.RETURNED
    [email] = mail.outbox
    assert email.to == [desk["leads"]["Durham"].email]
    assert "Please say when the SOP was published." in email.body
    assert Notification.objects.get().sent_at is not None
    # A returned answer offers neither Return nor Accept until the force resubmits.
    page = client.get(answer_url(desk, "Durham")).content.decode()
    assert "Returned to force" in page and "Accept and go to the next answer" not in page


def test_an_accepted_answer_no_longer_offers_accept_and_a_second_accept_is_refused(client, portfolio, desk):
    client.force_login(portfolio)
    client.post(answer_url(desk, "Cheshire"), {"action": "accept", "then": "stay"})
    page = client.get(answer_url(desk, "Cheshire")).content.decode()
    assert 'id="review-state">Accepted<' in page
    assert "Accept and go to the next answer" not in page and "Return and go to the next answer" in page
    accepted = StatusUpdate.objects.get(pk=desk["answers"]["Cheshire"].pk)
    # A second accept (a page loaded before the first) is refused on the page as it is now.
    again = client.post(answer_url(desk, "Cheshire"), {"action": "accept"}, follow=True)
    assert again.status_code == 200 and "This answer can no longer be accepted." in again.content.decode()
    assert StatusUpdate.objects.get(pk=accepted.pk).reviewed_at == accepted.reviewed_at


def test_a_mail_server_that_is_down_loses_no_return_and_the_email_is_retried(
    portfolio, desk, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "tests.recommendations.test_analysts_desk.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.status_update_review(
            update=desk["answers"]["Gwent"], user=portfolio, review=StatusUpdate.Review.RETURNED, note="More, please."
        )
    assert StatusUpdate.objects.get(pk=desk["answers"]["Gwent"].pk).review == StatusUpdate.Review.RETURNED
    notification = Notification.objects.get()
    assert notification.sent_at is None and notification.attempts == 1 and "refused" in notification.last_error
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EMAIL_FAILED).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications_retry() == 1
    assert Notification.objects.get().sent_at is not None and "More, please." in mail.outbox[0].body


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("refused")


def test_next_answer_follows_the_order_chosen(client, portfolio, desk):
    ThemeCoding.objects.create(
        round=desk["round"],
        force=desk["forces"]["Avon and Somerset"],
        theme=Theme.objects.create(recommendation=desk["recommendation"], name="IAG in place"),
    )
    client.force_login(portfolio)
    # Not coded first: Cheshire, Durham, Essex, Gwent, then the coded Avon and Somerset.
    page = client.get(answer_url(desk, "Gwent", "order=uncoded")).content.decode()
    assert answer_url(desk, "Avon and Somerset", "order=uncoded").replace("&", "&amp;") in page
    page = client.get(answer_url(desk, "Avon and Somerset", "order=uncoded")).content.decode()
    assert "This is the last answer in your list." in page


def test_the_recommendation_page_filters_by_review_state_and_coding_and_accepts_in_bulk(client, portfolio, desk):
    round, recommendation = desk["round"], desk["recommendation"]
    services.status_update_review(update=desk["answers"]["Durham"], user=portfolio, review="accepted")
    client.force_login(portfolio)
    url = f"/dashboard/rounds/{round.slug}/recommendations/tvip-super-complaint/{recommendation.reference}/"
    page = client.get(url + "?review=needs_review").content.decode()
    assert "4 answers matching your filters." in page and 'id="answer-durham"' not in page
    page = client.get(url + "?review=accepted").content.decode()
    assert 'id="answer-durham"' in page and "1 answer matching" in page
    response = client.post(
        url + "accept/", {"answers": ["cheshire", "essex", "durham"], "queue": "review=needs_review"}
    )
    assert response["Location"] == url + "?review=needs_review"
    accepted = StatusUpdate.objects.filter(round=round, review="accepted").values_list("force__name", flat=True)
    assert sorted(accepted) == ["Cheshire", "Durham", "Essex"]
    assert "2 answers matching your filters." in client.get(url + "?review=needs_review").content.decode()


def test_a_withdrawn_answer_is_listed_with_its_reason_and_offers_nothing(client, portfolio, desk):
    services.answer_withdraw(
        round=desk["round"],
        force=desk["forces"]["Gwent"],
        recommendation=desk["recommendation"],
        user=desk["leads"]["Gwent"],
        expected_version=1,
        reason="Sent before sign-off.",
    )
    client.force_login(portfolio)
    url = f"/dashboard/rounds/{desk['round'].slug}/recommendations/tvip-super-complaint/1/?review=withdrawn"
    page = client.get(url).content.decode()
    assert "Sent before sign-off." in page and 'id="answer-gwent"' in page
    page = client.get(answer_url(desk, "Gwent")).content.decode()
    assert "Withdrawn" in page and 'name="action" value="accept"' not in page and "Save themes" not in page


def test_the_dashboard_counts_what_needs_review(client, portfolio, desk):
    services.status_update_review(update=desk["answers"]["Durham"], user=portfolio, review="returned", note="More.")
    client.force_login(portfolio)
    page = client.get(f"/dashboard/?round={desk['round'].slug}").content.decode()
    assert "Answers that need review (4)" in page
    assert "4 answers need review</a> (1 returned, waiting for the force)" in page


def test_a_suggestion_is_never_stored_as_a_coding_until_a_person_accepts_it(client, portfolio, desk):
    iag = Theme.objects.create(recommendation=desk["recommendation"], name="IAG in place")
    policy = Theme.objects.create(recommendation=desk["recommendation"], name="Specific HBA policy or SOP")
    for name, theme in (("Avon and Somerset", iag), ("Durham", policy)):
        ThemeCoding.objects.create(round=desk["round"], force=desk["forces"][name], theme=theme)
    client.force_login(portfolio)
    before = set(ThemeCoding.objects.values_list("force__name", "theme__name"))
    page = client.get(answer_url(desk, "Cheshire")).content.decode()
    assert "Suggested" in page and "Code this answer \u201cIAG in place\u201d" in page
    assert "Avon and Somerset (Progress update, open)" in page  # the coded answer that justifies it
    page = client.get(answer_url(desk, "Essex")).content.decode()
    assert "Code this answer \u201cSpecific HBA policy or SOP\u201d" in page
    assert set(ThemeCoding.objects.values_list("force__name", "theme__name")) == before  # shown, not stored
    client.post(answer_url(desk, "Cheshire"), {"action": "accept_suggestion", "theme": iag.pk})
    coding = ThemeCoding.objects.get(force__name="Cheshire")
    assert coding.theme == iag and coding.coded_by == portfolio
    event = AuditEvent.objects.get(action=AuditEvent.Action.SUGGESTION_ACCEPTED)
    assert event.actor == portfolio and "IAG in place" in event.summary and event.force == "Cheshire"


def test_suggestions_and_similar_answers_follow_a_new_coding_and_a_new_answer_at_once(client, portfolio, desk):
    """They are learnt once and cached under the figures' revisions: a write moves the key."""
    client.force_login(portfolio)
    page = client.get(answer_url(desk, "Cheshire")).content.decode()
    assert "Suggested themes" not in page  # nothing coded yet, nothing to learn from
    assert "Gwent, TVIP super-complaint 1" not in page[page.index('id="similar"') :]
    iag = Theme.objects.create(recommendation=desk["recommendation"], name="IAG in place")
    ThemeCoding.objects.create(round=desk["round"], force=desk["forces"]["Avon and Somerset"], theme=iag)
    page = client.get(answer_url(desk, "Cheshire")).content.decode()
    assert "Code this answer \u201cIAG in place\u201d" in page
    answer(desk["round"], desk["forces"]["Gwent"], desk["recommendation"], TEXTS["Cheshire"] + " Gwent agrees.")
    page = client.get(answer_url(desk, "Cheshire")).content.decode()
    similar = page[page.index('id="similar"') :]
    assert similar.index("Gwent, TVIP super-complaint 1") < similar.index("</nav>")


def test_leave_one_out_evaluation_counts_what_would_have_been_suggested(desk):
    iag = Theme.objects.create(recommendation=desk["recommendation"], name="IAG in place")
    for name in ("Avon and Somerset", "Cheshire"):
        ThemeCoding.objects.create(round=desk["round"], force=desk["forces"][name], theme=iag)
    result = suggestions.evaluate(desk["recommendation"])
    assert (result.coded, result.themes_coded, result.suggested, result.correct) == (2, 2, 2, 2)
    assert result.precision == 1.0 and result.recall == 1.0


def test_similar_answers_are_the_answers_that_read_most_alike(desk):
    from recommendations.selectors import figures_revisions

    similar = suggestions.similar_answers(desk["answers"]["Durham"], figures_revisions())
    assert similar[0].answer.force.name == "Essex"


def test_search_finds_a_phrase_across_rounds_with_a_highlighted_extract(client, portfolio, desk):
    later = RoundFactory(
        title="Progress update, later", recommendations=[desk["recommendation"]], forces_asked=desk["forces"].values()
    )
    answer(later, desk["forces"]["Gwent"], desk["recommendation"], "Gwent now works with Karma Nirvana on training.")
    client.force_login(portfolio)
    page = client.get('/dashboard/search/?q="Karma Nirvana"').content.decode()
    assert "3 answers found" in page
    assert "<mark>Karma</mark>" in page or "<mark>Karma Nirvana</mark>" in page
    for name in ("Avon and Somerset", "Cheshire", "Gwent"):
        assert f"{name}: " in page
    assert answer_url(desk, "Cheshire") in page
    page = client.get(f'/dashboard/search/?q="Karma Nirvana"&round={later.pk}').content.decode()
    assert "1 answer found" in page


def test_search_lists_a_reports_recommendations_once_the_report_is_chosen(client, portfolio, desk):
    client.force_login(portfolio)
    page = client.get("/dashboard/search/?q=IAG").content.decode()
    assert "Choose a report and search to list its recommendations." in page
    assert "TVIP super-complaint 1. The risk of honour-based abuse" not in page
    report, recommendation = desk["recommendation"].report, desk["recommendation"]
    page = client.get(f"/dashboard/search/?q=IAG&report={report.pk}").content.decode()
    assert (
        f'<option value="{recommendation.pk}">TVIP super-complaint 1. The risk of honour-based abuse</option>' in page
    )
    assert "2 answers found" in page
    page = client.get(f"/dashboard/search/?q=IAG&report={report.pk}&recommendation={recommendation.pk}").content
    assert f'<option value="{recommendation.pk}" selected>'.encode() in page and b"2 answers found" in page
    # Nonsense or unknown filters are ignored, never an error.
    for query in ("report=nonsense", "recommendation=99999999", "theme=-1", "force=" + "9" * 30, "round=1e9"):
        response = client.get(f"/dashboard/search/?q=IAG&{query}")
        assert response.status_code == 200 and b"2 answers found" in response.content, query


@pytest.mark.parametrize("query", ['"Karma Nirvana"', "IAG", "specific HBA policy", "champions", "nothing-like-this"])
def test_search_finds_the_same_answers_on_either_database(desk, query):
    """On PostgreSQL full text, on SQLite the fallback: the same answers for these queries either way."""
    expected = {
        '"Karma Nirvana"': {"Avon and Somerset", "Cheshire"},
        "IAG": {"Avon and Somerset", "Cheshire"},
        "specific HBA policy": {"Durham", "Essex"},
        "champions": {"Gwent"},
        "nothing-like-this": set(),
    }[query]
    found = {hit.force.name for hit in search.answers_search(query)}
    assert found == expected, connection.vendor


def test_escaped_text_is_never_marked_up_by_the_extract(desk):
    hostile = answer(desk["round"], desk["forces"]["Gwent"], desk["recommendation"], "<script>x</script> IAG training")
    [hit] = search.search_hits([a for a in search.answers_search("IAG") if a.pk == hostile.pk], "IAG")
    assert "<script>" not in hit.extract and "<mark>IAG</mark>" in hit.extract
    # The extract is escaped before the matches are marked (PostgreSQL's ts_headline may drop the tag).
    assert search._marked("<b>\ue000IAG\ue001</b>") == "&lt;b&gt;<mark>IAG</mark>&lt;/b&gt;"


def test_a_staff_member_following_a_round_gets_one_digest_a_day(portfolio, desk, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    round_follow_set(round=desk["round"], user=portfolio, follow=True)
    later = timezone.now() + timedelta(days=1)
    answer(desk["round"], desk["forces"]["Gwent"], desk["recommendation"], "Resubmitted text.")
    with django_capture_on_commit_callbacks(execute=True):
        assert len(digests_send(now=later + timedelta(seconds=1))) == 1
        assert digests_send(now=later + timedelta(hours=2)) == []  # once a day
    assert "Gwent, TVIP super-complaint 1: submitted" in mail.outbox[0].body
    round_follow_set(round=desk["round"], user=portfolio, follow=True, digest=False)
    assert digests_send(now=later + timedelta(days=2)) == []


def test_following_a_round_shows_on_its_cached_dashboard_at_once(client, portfolio, desk):
    """Who follows a round is cached with its figures; following, turning the digest off and stopping
    each raise the round's revision, so the dashboard never shows the last state."""
    client.force_login(portfolio)
    url = f"/dashboard/?round={desk['round'].slug}"
    assert "Follow this round to get one email a day" in client.get(url).content.decode()
    follow = f"/dashboard/rounds/{desk['round'].slug}/follow/"
    for choice, sentence in [
        ("digest", "You follow this round and get a daily digest"),
        ("quiet", "You follow this round; the daily digest is off"),
        ("stop", "Follow this round to get one email a day"),
    ]:
        client.post(follow, {"follow": choice})
        assert sentence in client.get(url).content.decode()
    other = UserFactory()
    round_follow_set(round=desk["round"], user=other, follow=True)  # someone else's follow is theirs
    assert "Follow this round to get one email a day" in client.get(url).content.decode()


def test_staff_remind_every_force_that_has_not_responded_after_a_confirmation_naming_them(client, portfolio, desk):
    silent = ForceFactory(name="Kent")
    make_lead(silent)
    desk["round"].forces_asked.add(silent)
    client.force_login(portfolio)
    url = f"/dashboard/rounds/{desk['round'].slug}/remind/"
    page = client.get(url).content.decode()
    assert "<li>Kent</li>" in page and "<li>Durham</li>" not in page
    client.post(url)
    assert [email.to for email in mail.outbox] == [["lead-kent@example.invalid"]]
    assert silent.reminders.get().days_before == desk["round"].days_left
    client.post(url)  # the same record as the cron reminders: once a day
    assert len(mail.outbox) == 1
    assert "Kent" not in client.get(url).content.decode().split("<h1")[1]


@pytest.mark.parametrize("extra", [0, 20])
def test_the_answer_page_and_search_make_the_same_queries_however_many_answers(client, portfolio, desk, extra):
    """Checked at both sizes by test_query_counts; here the count is pinned per size and compared."""
    for number in range(extra):
        force = ForceFactory(name=f"Extra force {number}")
        desk["round"].forces_asked.add(force)
        answer(desk["round"], force, desk["recommendation"], f"Extra answer {number} about IAG and training.")
    client.force_login(portfolio)
    counts = []
    for url in (answer_url(desk, "Durham", "review=needs_review&order=uncoded"), "/dashboard/search/?q=IAG"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts == QUERY_COUNTS


# After the two every staff page makes (test_query_counts.STAFF), the answer page makes fourteen of
# its own (the round, recommendation, force, answer, its themes, codings and quoted practice, its place
# in the queue, the answer's versions, the figures' revisions the suggestions and similar answers are
# cached under, its evidence documents, its action plan's milestones and the coding form's themes; no
# similar answer here reads enough alike to be shown, so none is read) and search five (the count and
# page of answers, then the rounds, reports and forces to filter by).
QUERY_COUNTS = [STAFF + 14, STAFF + 5]


def test_a_review_moves_the_cached_figures_at_once(portfolio, desk):
    from recommendations import selectors

    assert selectors.round_figures(desk["round"]).rollup.needs_review == 5
    services.status_update_review(update=desk["answers"]["Essex"], user=portfolio, review="accepted")
    figures = selectors.round_figures(desk["round"])
    assert figures.rollup.needs_review == 4
    assert figures.figures_for(desk["recommendation"].pk).needs_review == 4


@pytest.mark.parametrize(
    ("path", "data", "reason"),
    [
        ("", {"action": "delete-everything"}, "The page sent an action it does not offer."),
        ("follow", {"follow": "loudly"}, "Choose to follow with or without the digest, or to stop."),
    ],
)
def test_a_value_no_form_sends_gets_the_services_own_page_saying_why(client, portfolio, desk, path, data, reason):
    client.force_login(portfolio)
    url = answer_url(desk, "Durham") if not path else f"/dashboard/rounds/{desk['round'].slug}/follow/"
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Sorry, there is a problem with that request" in page and reason in page and "govuk-template" in page
