"""Sessions warn before they end, and a form posted after the session ended keeps its text."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from recommendations.models import StatusUpdate

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
TEXT = "A long update typed over twenty minutes.\nSecond paragraph, with “quotes” & <angle brackets>."


def sign_in(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def end_every_session():
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))


def kept_fields(page: str) -> dict | None:
    match = re.search(r'<script id="app-kept-form" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1)) if match else None


@pytest.fixture
def answer_url(open_round):
    return f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/"


def post_answer(client, url):
    return client.post(
        url, {"status": "in_progress", "narrative": TEXT, "evidence": "", "version": "0", "save_draft": ""}
    )


def test_text_posted_after_the_session_ended_is_put_back_after_signing_in_and_nothing_is_saved(
    client, lead_a, answer_url
):
    sign_in(client, lead_a)
    assert client.get(answer_url).status_code == 200
    end_every_session()

    response = post_answer(client, answer_url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={answer_url}"
    login_page = client.get(response["Location"])
    assert b"Your session ended, so nothing was saved" in login_page.content
    assert StatusUpdate.objects.count() == 0

    response = client.post(
        f"/accounts/login/?next={answer_url}", {"username": lead_a.username, "password": PASSWORD, "next": answer_url}
    )
    assert response["Location"] == answer_url
    page = client.get(answer_url).content.decode()
    assert kept_fields(page) == {
        "status": ["in_progress"],
        "narrative": [TEXT],
        "evidence": [""],
        "version": ["0"],
        "save_draft": [""],
    }
    assert "We have put back what you typed" in page
    assert StatusUpdate.objects.count() == 0

    # Once: the next visit shows the page as stored.
    assert kept_fields(client.get(answer_url).content.decode()) is None
    # Pressing the button again saves it.
    post_answer(client, answer_url)
    saved = StatusUpdate.objects.get()
    assert saved.narrative.startswith("A long update typed") and "<angle brackets>." in saved.narrative


def test_someone_else_signing_in_on_the_same_browser_does_not_get_the_text(client, lead_a, force_a, answer_url):
    from tests.factories import make_lead

    colleague = make_lead(force_a, username="colleague")
    sign_in(client, lead_a)
    end_every_session()
    post_answer(client, answer_url)
    sign_in(client, colleague)
    assert kept_fields(client.get(answer_url).content.decode()) is None


def test_a_post_after_signing_out_on_purpose_is_not_kept(client, lead_a, answer_url):
    sign_in(client, lead_a)
    client.post("/accounts/logout/")
    response = post_answer(client, answer_url)
    assert response["Location"].startswith("/accounts/login/")
    assert b"Your session ended" not in client.get(response["Location"]).content
    sign_in(client, lead_a)
    assert kept_fields(client.get(answer_url).content.decode()) is None


def test_passwords_are_never_kept(client, lead_a):
    sign_in(client, lead_a)
    end_every_session()
    client.post("/dashboard/", {"password": "secret", "new_password1": "secret", "note": "kept"})
    session = Session.objects.order_by("-expire_date").first().get_decoded()
    assert session["kept_form"]["fields"] == {"note": ["kept"]}


def test_every_signed_in_page_carries_the_timeout_warning(client, lead_a, settings):
    settings.SESSION_COOKIE_AGE = 3600
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 120
    sign_in(client, lead_a)
    page = client.get("/forces/west-midlands/").content.decode()
    assert 'data-session-seconds="3600"' in page and 'data-warn-seconds="120"' in page
    assert "Stay signed in" in page
    assert "/static/js/session.js" in page
    signed_out = client.post("/accounts/logout/", follow=True)
    assert signed_out.redirect_chain and 'id="app-timeout"' not in signed_out.content.decode()


def test_stay_signed_in_starts_the_session_time_again(client, lead_a):
    sign_in(client, lead_a)
    Session.objects.update(expire_date=timezone.now() + timedelta(seconds=30))
    response = client.post("/accounts/session/keep-alive/")
    assert response.json() == {"seconds": 3600}
    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=59)


def test_an_invitation_typed_after_the_session_ended_is_kept_too(client, portfolio, force_a):
    sign_in(client, portfolio)
    end_every_session()
    response = client.post("/accounts/invitations/new/", {"name": "Sam Lead", "email": "sam@example.invalid"})
    assert response["Location"].startswith("/accounts/login/")
    sign_in(client, portfolio)
    assert kept_fields(client.get("/accounts/invitations/new/").content.decode()) == {
        "name": ["Sam Lead"],
        "email": ["sam@example.invalid"],
    }


def test_stay_signed_in_after_the_session_ended_keeps_nothing(client, lead_a):
    sign_in(client, lead_a)
    end_every_session()
    assert client.post("/accounts/session/keep-alive/")["Location"].startswith("/accounts/login/")
    assert b"Your session ended" not in client.get("/accounts/login/").content
