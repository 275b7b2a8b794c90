"""Every change and every sign-in is on record, and the record cannot be edited from the app."""

import pytest

from recommendations.models import AuditEvent
from recommendations.services import status_update_review, status_update_save

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
    update = status_update_save(
        round=open_round,
        force=force_a,
        recommendation=recommendation,
        user=lead_a,
        expected_version=0,
        status="complete",
        narrative="Done.",
        submit=True,
    )
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
    update = status_update_save(
        round=open_round,
        force=force_a,
        recommendation=open_round.recommendations.get(reference="1"),
        user=lead_a,
        expected_version=0,
        status="complete",
        narrative="The force's own words.",
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
