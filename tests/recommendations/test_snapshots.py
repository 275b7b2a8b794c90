"""Snapshots: drafted from the roll-up, edited, previewed, published (frozen), corrected."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model

from forces.models import Force
from recommendations import snapshots
from recommendations.models import NotablePractice, Recommendation, Round, Snapshot, SnapshotSection
from recommendations.rollup import RecommendationFigures, StatusCount, ThemeCount
from tests.factories import make_answer

pytestmark = pytest.mark.django_db

MARCH = "progress-update-march-2024"


def without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def figures(answered: int, *, asked: int = 43, low: bool = False, statuses=None, themes=()) -> RecommendationFigures:
    statuses = statuses or {}
    return RecommendationFigures(
        recommendation_id=1,
        reference="1",
        title="Policy",
        text="",
        asked=asked,
        answered=answered,
        status_counts=[
            StatusCount(value, label, statuses.get(value, 0))
            for value, label in [
                ("complete", "Complete"),
                ("in_progress", "In progress"),
                ("planned", "Planned"),
                ("will_not_implement", "Will not implement"),
            ]
        ],
        theme_counts=[ThemeCount(n, name, count) for n, (name, count) in enumerate(themes)],
        answered_forces=[],
        not_answered_forces=[],
        low_coverage=low,
    )


@pytest.mark.parametrize(
    ("count", "capital", "words"),
    [(0, False, "no"), (1, True, "One"), (5, True, "Five"), (9, False, "nine"), (10, True, "10"), (40, False, "40")],
)
def test_numbers_are_words_below_ten_and_numerals_from_ten(count, capital, words):
    assert snapshots.number_in_words(count, capital=capital) == words


def test_the_summary_is_drafted_from_the_figures_like_seed_001():
    text = snapshots.summary_sentences(
        figures(
            40,
            statuses={"complete": 30, "in_progress": 5, "planned": 5},
            themes=[("Specific HBA policy or SOP", 5), ("Karma Nirvana training", 1), ("Unused", 0)],
        )
    )
    assert text.split("\n\n") == [
        "Of the forces that responded, 30 reported it as complete, five as in progress and five as planned.",
        "Five forces' answers were coded \u201cSpecific HBA policy or SOP\u201d.",
        "One force's answer was coded \u201cKarma Nirvana training\u201d.",
        "There were no forces who said they will not implement it.",
    ]


def test_a_drafted_summary_holds_its_figures_as_placeholders_not_numbers():
    template = snapshots.summary_template(
        figures(40, statuses={"complete": 30, "in_progress": 10}, themes=[("Specific HBA policy or SOP", 5)])
    )
    assert "Of the forces that responded, {status:complete} reported it as complete" in template
    assert "{Theme:Specific HBA policy or SOP} forces' answers were coded" in template
    assert not any(number in template for number in ("30", "10", "Five"))


def test_forces_that_will_not_implement_are_counted_in_the_summary():
    text = snapshots.summary_sentences(figures(43, statuses={"complete": 41, "will_not_implement": 2}))
    assert "Of the forces that responded, 41 reported it as complete." in text
    assert "Two forces said they will not implement it." in text


def test_staff_draft_a_snapshot_from_the_dashboard(client, portfolio, demo):
    client.force_login(portfolio)
    response = client.post(f"/dashboard/rounds/{MARCH}/snapshots/new/")
    snapshot = Snapshot.objects.get(state="draft")
    assert response["Location"] == f"/dashboard/snapshots/{snapshot.pk}/"
    assert snapshot.updates_snapshot is None and snapshot.figures == {}
    summaries = dict(snapshot.sections.values_list("recommendation__reference", "summary"))
    assert list(summaries) == ["1", "2a", "2b", "2c", "2d", "3"]
    assert "{Theme:Specific HBA policy or SOP} forces' answers were coded" in summaries["1"]
    page = client.get(response["Location"]).content.decode()
    assert "Draft, not published" in page
    assert "40 out of the 43 forces from across England and Wales responded to this request" in page
    assert "Five forces&#x27; answers were coded \u201cSpecific HBA policy or SOP\u201d." in page
    assert "Not all forces answered this recommendation: 15 of 43 did" in page


def test_a_draft_snapshot_must_be_posted_to_be_made(client, portfolio, demo):
    client.force_login(portfolio)
    assert client.get(f"/dashboard/rounds/{MARCH}/snapshots/new/").status_code == 405


def test_staff_edit_a_summary_and_the_title(client, portfolio, demo):
    client.force_login(portfolio)
    client.post(f"/dashboard/rounds/{MARCH}/snapshots/new/")
    snapshot = Snapshot.objects.get(state="draft")
    url = f"/dashboard/snapshots/{snapshot.pk}/recommendations/tvip-super-complaint/2b/edit/"
    assert "IAG in place" in client.get(url).content.decode()  # the figures beside the form
    response = client.post(url, {"summary": "Most forces have an IAG.\n\nA handful did not comment."})
    assert response["Location"] == f"/dashboard/snapshots/{snapshot.pk}/#recommendation-tvip-super-complaint-2b"
    assert SnapshotSection.objects.get(snapshot=snapshot, recommendation__reference="2b").summary.startswith("Most")
    page = client.post(url, {"summary": "  "}).content.decode()
    assert "govuk-error-summary" in page and "Enter a summary for this recommendation" in page
    response = client.post(
        f"/dashboard/snapshots/{snapshot.pk}/edit/",
        {"title": "HBA snapshot", "introduction": "Hi.", "headings": "title"},
    )
    assert response.status_code == 302
    snapshot.refresh_from_db()
    assert (snapshot.title, snapshot.introduction, snapshot.headings) == ("HBA snapshot", "Hi.", "title")
    page = client.post(f"/dashboard/snapshots/{snapshot.pk}/edit/", {"title": ""}).content.decode()
    assert "Enter a title" in page and "govuk-error-summary" in page


def test_quoted_practice_is_anonymised_unless_staff_name_the_force(portfolio, demo):
    march = Round.objects.get(slug=MARCH)
    recommendation = Recommendation.objects.get(reference="2d")
    NotablePractice.objects.create(
        round=march,
        force=Force.objects.get(name="Surrey"),
        recommendation=recommendation,
        quote="runs a HBA conference.",
    )
    NotablePractice.objects.create(
        round=march,
        force=Force.objects.get(name="Gwent"),
        recommendation=recommendation,
        quote="agreed to be named.",
        name_force=True,
    )
    snapshot = snapshots.snapshot_draft(round=march, user=portfolio)
    snapshot = snapshots.snapshot_publish(snapshot=snapshot, user=portfolio)
    quoted = SnapshotSection.objects.get(snapshot=snapshot, recommendation=recommendation).notable_practice
    assert quoted[-2:] == [
        {"attribution": "One force", "quote": "runs a HBA conference."},
        {"attribution": "Gwent", "quote": "agreed to be named."},
    ]
    assert "Surrey" not in str(quoted)


def test_a_published_snapshot_is_frozen_when_answers_change(client, portfolio, demo):
    client.force_login(portfolio)
    client.post(f"/dashboard/rounds/{MARCH}/snapshots/new/")
    snapshot = Snapshot.objects.get(state="draft")
    assert (
        "Once published, the snapshot cannot be changed"
        in client.get(f"/dashboard/snapshots/{snapshot.pk}/publish/").content.decode()
    )
    client.post(f"/dashboard/snapshots/{snapshot.pk}/publish/")
    snapshot.refresh_from_db()
    assert snapshot.state == "published" and snapshot.published_by == portfolio
    assert snapshot.figures["responded"] == 40
    client.get(f"/dashboard/snapshots/{snapshot.pk}/")  # shows, and so clears, the "published" message
    before = without_tokens(client.get(f"/dashboard/snapshots/{snapshot.pk}/").content.decode())

    # The round is reopened and Kent, which had not responded, answers recommendations 1 and 3.
    march = Round.objects.get(slug=MARCH)
    march.closed = False
    march.save()
    kent = Force.objects.get(name="Kent")
    lead = get_user_model().objects.get(username="lead-kent")
    for reference in ["1", "3"]:
        make_answer(
            march, kent, march.recommendations.get(reference=reference), user=lead, status="complete", narrative="Done."
        )

    after = without_tokens(client.get(f"/dashboard/snapshots/{snapshot.pk}/").content.decode())
    assert after == before
    assert "40 out of the 43 forces from across" in after and "<li>Kent</li>" not in after
    assert "15 out of the 43 forces answered this recommendation." in after
    assert "41 out of 43 forces responded" in client.get(f"/dashboard/?round={MARCH}").content.decode()
    snapshot.refresh_from_db()
    assert snapshot.figures["responded"] == 40


def test_a_published_snapshot_cannot_be_edited(client, portfolio, demo):
    client.force_login(portfolio)
    published = Snapshot.objects.get(state="published")
    for url in [
        f"/dashboard/snapshots/{published.pk}/edit/",
        f"/dashboard/snapshots/{published.pk}/recommendations/tvip-super-complaint/1/edit/",
        f"/dashboard/snapshots/{published.pk}/publish/",
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "New", "summary": "New"}).status_code == 403, url
    section = published.sections.get(recommendation__reference="1")
    with pytest.raises(snapshots.SnapshotPublished):
        snapshots.snapshot_section_update(section=section, summary="Rewritten", user=portfolio)
    with pytest.raises(snapshots.SnapshotPublished):
        snapshots.snapshot_publish(snapshot=published, user=portfolio)
    assert published.sections.get(recommendation__reference="1").summary.startswith("Amongst the forces")


def test_a_correction_is_a_new_snapshot_that_says_updated(client, portfolio, demo):
    client.force_login(portfolio)
    original = Snapshot.objects.get(state="published")
    response = client.post(f"/dashboard/snapshots/{original.pk}/correct/")
    correction = Snapshot.objects.get(state="draft")
    assert response["Location"] == f"/dashboard/snapshots/{correction.pk}/"
    assert correction.updates_snapshot == original and correction.title == original.title
    assert (
        correction.sections.get(recommendation__reference="1").summary
        == original.sections.get(recommendation__reference="1").summary
    )
    snapshots.snapshot_publish(snapshot=correction, user=portfolio, today=datetime.date(2024, 4, 2))
    page = client.get(f"/dashboard/snapshots/{correction.pk}/").content.decode()
    assert "Updated 2 April 2024" in page
    assert "snapshot published 25 March 2024" in page
    original_page = client.get(f"/dashboard/snapshots/{original.pk}/").content.decode()
    assert "Published 25 March 2024" in original_page
    assert f'href="/dashboard/snapshots/{correction.pk}/"' in original_page


def test_the_demo_snapshot_reads_like_seed_001(client, portfolio, demo):
    client.force_login(portfolio)
    snapshot = Snapshot.objects.get(state="published")
    page = client.get(f"/dashboard/snapshots/{snapshot.pk}/").content.decode()
    assert "Updated NPCC response to TVIP super-complaint" in page
    assert "Published 25 March 2024" in page
    assert "1. Introduction and background" in page
    assert "40 out of the 43 forces from across England and Wales responded to this request" in page
    assert "Five forces had implemented or were developing a specific HBA policy or SOP" in page
    assert "One force has 54 dedicated HBA Champions to provide best practice and insights on HBA." in page
    annex = page.split('id="annex-a-forces"')[1].split("</ul>")[0]
    assert annex.count("<li>") == 40
    assert "<li>West Mercia</li>" in annex and "<li>Avon &amp; Somerset</li>" in annex
    for name in ["Dyfed-Powys", "Essex", "Kent"]:
        assert f"<li>{name}</li>" not in annex
    assert 'style="' not in page


def test_a_lead_is_refused_every_snapshot_page(client, lead_b, demo):
    client.force_login(lead_b)
    snapshot = Snapshot.objects.get(state="published")
    for url in [f"/dashboard/snapshots/{snapshot.pk}/", f"/dashboard/snapshots/{snapshot.pk}/edit/"]:
        assert client.get(url).status_code == 403
    assert client.post(f"/dashboard/rounds/{MARCH}/snapshots/new/").status_code == 403
    assert client.post(f"/dashboard/snapshots/{snapshot.pk}/correct/").status_code == 403
    assert Snapshot.objects.count() == 1
