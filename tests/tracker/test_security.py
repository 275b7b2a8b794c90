"""Sign-in throttling, security headers and the Content-Security-Policy."""

import datetime
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_repeated_failures_lock_that_account_from_that_address(client, lead_a, lead_b):
    for _ in range(4):
        assert sign_in(client, "lead-west-midlands", "wrong").status_code == 200
    locked = sign_in(client, "lead-west-midlands", "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # Even the right password is refused while locked ...
    assert sign_in(client, "lead-west-midlands", "correct horse battery staple").status_code == 429
    # ... but another account from the same address is not locked.
    assert sign_in(client, "lead-kent", "correct horse battery staple").status_code == 302


def test_a_success_resets_the_count_of_failures(client, lead_a):
    for _ in range(4):
        sign_in(client, "lead-west-midlands", "wrong")
    assert sign_in(client, "lead-west-midlands", "correct horse battery staple").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert sign_in(client, "lead-west-midlands", "wrong").status_code == 200


def test_every_page_carries_the_security_headers(client, lead_a):
    client.force_login(lead_a)
    response = client.get("/forces/west-midlands/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_templates_have_no_inline_script_or_style_and_nothing_from_another_origin():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"\sstyle=\"",
            r"<style",
            r"\son[a-z]+=\"",
            r"(src|href)=\"(https?:)?//",
        ):
            for match in re.finditer(pattern, text):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []


def test_sessions_end_after_an_hour_idle_and_when_the_browser_closes(settings):
    assert settings.SESSION_COOKIE_AGE == 3600
    # The idle timeout is kept by the session store, which refreshes the expiry at most once a minute
    # (tests/tracker/test_sessions.py), not by a write on every request.
    assert settings.SESSION_ENGINE == "tracker.sessions"
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from tracker import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_changing_a_password_signs_out_every_other_session(client, lead_a):
    from django.test import Client

    other = Client()
    other.force_login(lead_a)
    assert other.get("/forces/west-midlands/").status_code == 200
    lead_a.set_password("a brand new passphrase 42")
    lead_a.save()
    assert other.get("/forces/west-midlands/").status_code == 302


HOUR_LESS_2M = datetime.timedelta(minutes=58)


def get_while_saving_the_session_fails(client, user, error):
    from unittest import mock

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(user)
    # The session's expiry is due for its refresh (more than a minute old), so this GET saves it.
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now() + HOUR_LESS_2M)
    client.raise_request_exception = False
    with mock.patch.object(Session, "save", side_effect=error):
        return client.get("/forces/west-midlands/")


def test_a_database_that_cannot_be_reached_while_saving_the_session_shows_the_service_error_page(client, lead_a):
    """Not Django's 400 ("the session was deleted"): the person did nothing wrong."""
    from django.db import OperationalError

    page = get_while_saving_the_session_fails(client, lead_a, OperationalError("server closed the connection"))
    assert page.status_code == 500
    assert "Sorry, there is a problem with the service" in page.content.decode()


def test_a_session_deleted_by_another_request_is_still_a_bad_request(client, lead_a):
    from django.db import DatabaseError

    page = get_while_saving_the_session_fails(client, lead_a, DatabaseError("Forced update did not affect any rows."))
    assert page.status_code == 400


def test_pages_are_gzipped_when_asked_but_not_the_page_showing_the_authenticator_key(client, lead_a):
    """BREACH: the two-factor set-up page shows a secret beside the address's `next`, so it is never
    compressed; other pages are when the browser asks (README, "Compression, and BREACH")."""
    client.force_login(lead_a)
    page = client.get("/forces/west-midlands/", HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    set_up = client.get("/accounts/two-factor/set-up/?next=/forces/", HTTP_ACCEPT_ENCODING="gzip")
    assert set_up.status_code == 200 and not set_up.has_header("Content-Encoding")
    assert set_up.context["secret"] in set_up.content.decode()
