"""Sessions: a page that only reads writes nothing to the database, and the hour idle still ends a
session (its expiry is refreshed at most once a minute, tracker/sessions.py)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tracker.sessions import REFRESH_SECONDS

pytestmark = pytest.mark.django_db
User = get_user_model()
WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(queries) -> list[str]:
    return [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(WRITES)]


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def idle_for(client, seconds: int) -> None:
    """As if the session's expiry was last refreshed `seconds` ago."""
    age = datetime.timedelta(seconds=3600 - seconds)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now() + age)


PAGES = [
    ("portfolio", "/dashboard/"),
    ("portfolio", "/dashboard/?round=progress-update-march-2024&matrix=show"),
    ("portfolio", "/dashboard/rounds/progress-update-march-2024/recommendations/tvip-super-complaint/1/"),
    ("portfolio", "/dashboard/forces/west-midlands/"),
    ("lead-west-midlands", "/forces/west-midlands/"),
    ("lead-west-midlands", "/"),
]


def test_a_signed_in_get_writes_nothing_to_the_database(client, demo):
    for username, url in PAGES:
        client.force_login(User.objects.get(username=username))
        idle_for(client, 5)  # the last page was seconds ago
        for _ in range(2):  # the first counts the figures, the second reads them from the cache
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, follow=True)
            assert response.status_code == 200, url
            assert writes(queries) == [], url


def test_a_page_a_minute_after_the_last_refreshes_the_sessions_expiry(client, lead_a):
    client.force_login(lead_a)
    idle_for(client, REFRESH_SECONDS + 1)
    before = session_row(client).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/forces/west-midlands/").status_code == 200
    assert len(writes(queries)) == 1  # the session's row, once
    assert session_row(client).expire_date - before >= datetime.timedelta(seconds=REFRESH_SECONDS)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/forces/west-midlands/").status_code == 200
    assert writes(queries) == []


def test_a_session_used_within_the_hour_stays_signed_in(client, lead_a):
    client.force_login(lead_a)
    idle_for(client, 59 * 60)
    assert client.get("/forces/west-midlands/").status_code == 200
    assert session_row(client).expire_date > timezone.now() + datetime.timedelta(minutes=59)


def test_a_session_idle_past_the_hour_is_signed_out(client, lead_a):
    client.force_login(lead_a)
    idle_for(client, 60 * 60 + 1)
    response = client.get("/forces/west-midlands/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_session_refreshed_within_the_minute_still_ends_an_hour_after_its_refresh(client, lead_a):
    """Pages within the minute after a refresh do not move the expiry: the session ends at most a
    minute before an hour after the last page, never later."""
    client.force_login(lead_a)
    idle_for(client, 30)
    client.get("/forces/west-midlands/")
    expiry = session_row(client).expire_date
    assert expiry <= timezone.now() + datetime.timedelta(seconds=3600 - 29)
    assert expiry >= timezone.now() + datetime.timedelta(seconds=3600 - REFRESH_SECONDS)


def test_signing_out_deletes_the_session(client, lead_a):
    client.force_login(lead_a)
    key = client.session.session_key
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/forces/west-midlands/").status_code == 302
