"""CACHE_URL: each process's memory by default, Redis shared by every app server when set; a cache
that is down never becomes an error page. The Redis tests use a real server (REDIS_TEST_URL, database
6 of 127.0.0.1:6379 by default): skipped, saying why, when none answers here; CI sets REQUIRE_REDIS=1
so a missing Redis fails the run instead."""

import logging
import os
import uuid

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker.settings import caches_from_url

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/6")


@pytest.fixture
def redis_server():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is required here but does not answer at {REDIS_URL}: {error}")
        pytest.skip(f"no Redis answers at {REDIS_URL} (apt-get install redis-server, or set REDIS_TEST_URL)")
    return client


@pytest.fixture
def shared_cache(redis_server, settings):
    """The Redis cache, under a prefix of this test's own: test runs in parallel (xdist workers, another
    checkout) share the server, and their databases hand out the same ids, so the same cache keys."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches_from_url(REDIS_URL)
    settings.CACHES["default"]["KEY_PREFIX"] = prefix
    yield lambda: redis_server.keys(f"{prefix}:*")
    for key in redis_server.scan_iter(f"{prefix}:*"):
        redis_server.delete(key)


def new_app_server():
    """What another app server has: its own connection to the same cache, nothing in its memory."""
    from asgiref.local import Local

    caches._connections = Local()


def test_the_cache_is_each_processs_memory_unless_cache_url_says_otherwise():
    assert caches_from_url("")["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    redis = caches_from_url("redis://cache.internal:6379/2")["default"]
    assert redis["BACKEND"] == "django_redis.cache.RedisCache"
    assert redis["LOCATION"] == "redis://cache.internal:6379/2"
    assert redis["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    with pytest.raises(ImproperlyConfigured):
        caches_from_url("memcached://127.0.0.1:11211")


def test_figures_computed_by_one_app_server_are_read_by_another(client, demo, shared_cache):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="portfolio"))
    with CaptureQueriesContext(connection) as first:
        assert client.get("/dashboard/").status_code == 200
    assert shared_cache(), "nothing was stored in Redis"

    new_app_server()
    with CaptureQueriesContext(connection) as second:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    assert b"40 out of 43 forces responded" in response.content
    # The second server read the round's figures from Redis rather than every answer from the database.
    assert len(second) < len(first) - 3, (len(first), len(second))


def test_a_save_on_one_server_shows_on_the_other_at_once(client, demo, shared_cache):
    from django.contrib.auth import get_user_model

    from recommendations.models import Round

    staff = get_user_model().objects.get(username="portfolio")
    open_round = Round.objects.get(closed=False)
    client.force_login(staff)
    assert b"0 out of 43 forces responded" in client.get(f"/dashboard/?round={open_round.slug}").content

    new_app_server()
    lead = client.__class__()
    lead.force_login(get_user_model().objects.get(username="lead-west-midlands"))
    lead.post(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/",
        {"status": "in_progress", "narrative": "Saved on the other server.", "evidence": "", "version": "0"},
    )
    lead.post(f"/forces/west-midlands/rounds/{open_round.slug}/check/")

    new_app_server()
    assert b"1 out of 43 forces responded" in client.get(f"/dashboard/?round={open_round.slug}").content


def test_a_cache_that_is_down_is_no_error_page_and_is_logged(client, demo, settings, caplog):
    from django.contrib.auth import get_user_model

    settings.CACHES = caches_from_url("redis://127.0.0.1:1/0")  # nothing listens on port 1
    client.force_login(get_user_model().objects.get(username="portfolio"))
    with caplog.at_level(logging.ERROR, logger="tracker.cache"):
        response = client.get("/dashboard/")
    assert response.status_code == 200
    assert b"40 out of 43 forces responded" in response.content
    assert any("Connection refused" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)
