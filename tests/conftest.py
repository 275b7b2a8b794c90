"""One person per role, set up the same way in every test (force A's lead, force B's lead, staff, admin)."""

import pytest

from tests.factories import (
    ForceFactory,
    RecommendationFactory,
    ReportFactory,
    RoundFactory,
    UserFactory,
    make_lead,
    make_portfolio_staff,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Evidence documents are stored in a folder of the test's own, empty at the start."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached: the database is rolled back between tests, and the next
    test's rows can take the same ids (so the same cache keys) with other contents."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def force_a(db):
    return ForceFactory(name="West Midlands")


@pytest.fixture
def force_b(db):
    return ForceFactory(name="Kent")


@pytest.fixture
def lead_a(force_a):
    return make_lead(force_a)


@pytest.fixture
def lead_b(force_b):
    return make_lead(force_b)


@pytest.fixture
def portfolio(db):
    return make_portfolio_staff()


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def open_round(force_a, force_b):
    first = RecommendationFactory(
        report=ReportFactory(slug="tvip-super-complaint", short_title="TVIP super-complaint"),
        reference="1",
        title="The risk of honour-based abuse",
        order=1,
    )
    second = RecommendationFactory(report=first.report, reference="2", title="Cultural awareness", order=2)
    return RoundFactory(title="Progress update, open", recommendations=[first, second], forces_asked=[force_a, force_b])


@pytest.fixture
def demo(db, settings):
    """The whole demo data set, as `make run` loads it."""
    from recommendations.demo import demo_load

    settings.DEBUG = True
    return demo_load()
