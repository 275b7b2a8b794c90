import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_missing_page_has_a_proper_page(client, lead_a, settings):
    settings.DEBUG = False
    client.force_login(lead_a)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_server_error_shows_the_service_error_page(settings, monkeypatch, lead_a):
    settings.DEBUG = False
    import recommendations.views.lead as lead_views

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(lead_views.selectors, "rounds_for_force", broken)
    client = Client(raise_request_exception=False)
    client.force_login(lead_a)
    response = client.get("/forces/west-midlands/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    assert "database went away" not in response.content.decode()
