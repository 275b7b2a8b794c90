"""Every change and every sign-in is on record, and the record cannot be edited from the app."""

import pytest

from recommendations.models import AuditEvent
from recommendations.services import status_update_review
from tests.factories import make_answer

pytestmark = pytest.mark.django_db


def events():
    return list(AuditEvent.objects.order_by("at", "pk").values_list("action", "actor_name", "force"))


def test_sign_ins_failures_and_sign_outs_are_recorded_with_the_address(client, lead_a):
    client.post("/accounts/login/", {"username": "lead-west-midlands", "password": "wrong"})
    client.post("/accounts/login/", {"username": "lead-west-midlands", "password": "correct horse battery staple"})
    client.post("/accounts/logout/")
    assert events() == [
        ("sign_in_failed", "lead-west-midlands", ""),
        ("signed_in", "lead-west-midlands", ""),
        ("signed_out", "lead-west-midlands", ""),
    ]
    assert set(AuditEvent.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_answers_and_reviews_are_recorded(open_round, force_a, lead_a, portfolio):
    recommendation = open_round.recommendations.get(reference="1")
    update = make_answer(open_round, force_a, recommendation, user=lead_a, status="complete", narrative="Done.")
    status_update_review(update=update, user=portfolio, review="returned", note="Is it published?")
    assert events() == [
        ("answer_saved", "lead-west-midlands", "West Midlands"),
        ("answer_returned", "portfolio", "West Midlands"),
    ]
    assert "Is it published?" in AuditEvent.objects.get(action="answer_returned").summary


def test_admins_can_search_the_trail_but_not_change_it(client, admin_user, lead_a):
    client.post("/accounts/login/", {"username": "lead-west-midlands", "password": "wrong"})
    client.force_login(admin_user)
    page = client.get("/admin/recommendations/auditevent/?q=lead-west-midlands")
    assert page.status_code == 200
    assert "Failed sign-in as &#x27;lead-west-midlands&#x27;" in page.content.decode()
    event = AuditEvent.objects.get(action="sign_in_failed")
    before = AuditEvent.objects.count()
    assert client.get("/admin/recommendations/auditevent/add/").status_code == 403
    assert client.post(f"/admin/recommendations/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.count() == before


def test_answers_cannot_be_changed_or_deleted_in_the_admin(client, admin_user, open_round, force_a, lead_a):
    update = make_answer(
        open_round, force_a, user=lead_a, status="complete", narrative="The force's own words.", submit=False
    )
    client.force_login(admin_user)
    url = f"/admin/recommendations/statusupdate/{update.pk}/change/"
    assert client.get(url).status_code == 200  # read
    client.post(url, {"narrative": "Rewritten by an admin."})
    assert client.post(f"/admin/recommendations/statusupdate/{update.pk}/delete/", {"post": "yes"}).status_code == 403
    update.refresh_from_db()
    assert update.narrative == "The force's own words."


def test_publishing_a_snapshot_is_recorded(demo, portfolio):
    from recommendations.models import Round
    from recommendations.snapshots import snapshot_draft, snapshot_publish

    draft = snapshot_draft(round=Round.objects.get(slug="progress-update-march-2024"), user=portfolio)
    snapshot_publish(snapshot=draft, user=portfolio)
    event = AuditEvent.objects.get(action="snapshot_published")
    assert (event.actor_name, event.round) == ("portfolio", "Progress update, March 2024")


def test_changes_in_the_admin_are_on_the_trail_with_what_changed(client, admin_user, open_round, force_a):
    """Rounds, force leads and users change only in the admin: each change is an event with its author."""
    from django.contrib.auth import get_user_model

    from tests.factories import UserFactory

    client.force_login(admin_user)
    url = f"/admin/recommendations/round/{open_round.pk}/change/"
    form = {
        "title": open_round.title,
        "slug": open_round.slug,
        "recommendations": [r.pk for r in open_round.recommendations.all()],
        "forces_asked": [f.pk for f in open_round.forces_asked.all()],
        "opens_on": open_round.opens_on.isoformat(),
        "due_on": (open_round.due_on.replace(year=open_round.due_on.year + 1)).isoformat(),
    }
    assert client.post(url, form).status_code == 302
    newcomer = UserFactory(username="new-lead")
    added = client.post("/admin/forces/forcemembership/add/", {"user": newcomer.pk, "force": force_a.pk})
    assert added.status_code == 302
    membership = force_a.memberships.get(user=newcomer)
    deleted = client.post(f"/admin/forces/forcemembership/{membership.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert get_user_model().objects.filter(username="new-lead").exists()

    trail = list(
        AuditEvent.objects.exclude(action="signed_in")
        .order_by("at", "pk")
        .values_list("action", "actor_name", "summary")
    )
    assert trail == [
        ("admin_changed", "admin", f"admin changed round \u201c{open_round.title}\u201d: Changed Due on."),
        ("admin_added", "admin", "admin added force lead \u201cnew-lead leads for West Midlands\u201d"),
        ("admin_deleted", "admin", "admin deleted force lead \u201cnew-lead leads for West Midlands\u201d"),
    ]
    # Searchable with everything else.
    page = client.get("/admin/recommendations/auditevent/?q=new-lead")
    assert "admin added force lead" in page.content.decode()
    assert "admin deleted force lead" in page.content.decode()


def test_the_admin_offers_no_bulk_deletion_that_would_escape_the_trail(client, admin_user, force_a):
    client.force_login(admin_user)
    page = client.get("/admin/forces/force/")
    assert page.status_code == 200
    assert "delete_selected" not in page.content.decode()


def test_staff_analysis_and_snapshot_edits_are_recorded(client, demo, portfolio):
    from recommendations.models import NotablePractice, Round, Snapshot

    march = Round.objects.get(slug="progress-update-march-2024")
    client.force_login(portfolio)
    answer_url = f"/dashboard/rounds/{march.slug}/recommendations/tvip-super-complaint/1/forces/west-midlands/"
    assert client.post(answer_url, {"themes": [], "new_theme": "Joint training with partners"}).status_code == 302
    assert client.post(answer_url, {"quote_practice": "1", "quote": "A passage worth quoting."}).status_code == 302
    practice = NotablePractice.objects.get(quote="A passage worth quoting.")
    assert client.post(f"/dashboard/practice/{practice.pk}/delete/").status_code == 302
    assert client.post(f"/dashboard/rounds/{march.slug}/snapshots/new/").status_code == 302
    draft = Snapshot.objects.filter(state=Snapshot.State.DRAFT).get()
    edited = client.post(
        f"/dashboard/snapshots/{draft.pk}/recommendations/tvip-super-complaint/1/edit/", {"summary": "Reworded."}
    )
    assert edited.status_code == 302

    trail = list(
        AuditEvent.objects.filter(actor_name="portfolio")
        .exclude(action="signed_in")
        .order_by("at", "pk")
        .values_list("action", "force", "round")
    )
    assert trail == [
        ("answer_coded", "West Midlands", march.title),
        ("practice_quoted", "West Midlands", march.title),
        ("practice_unquoted", "West Midlands", march.title),
        ("snapshot_drafted", "", march.title),
        ("snapshot_edited", "", march.title),
    ]
    coded = AuditEvent.objects.get(action="answer_coded")
    assert "added Joint training with partners" in coded.summary
    assert "removed" in coded.summary  # the demo's codings on that answer were unticked
