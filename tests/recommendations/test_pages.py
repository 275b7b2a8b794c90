"""The force page and the dashboard: who may open them and what they show."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_lead_sees_their_open_round_with_every_recommendation(client, lead_a, open_round):
    client.force_login(lead_a)
    page = client.get("/forces/west-midlands/").content.decode()
    assert open_round.title in page
    assert "1. The risk of honour-based abuse" in page
    assert "Not started" in page


def test_a_lead_cannot_open_another_forces_page(client, lead_b, lead_a):
    client.force_login(lead_b)
    assert client.get("/forces/west-midlands/").status_code == 404


def test_portfolio_staff_may_read_any_forces_page(client, portfolio, force_a):
    client.force_login(portfolio)
    assert client.get("/forces/west-midlands/").status_code == 200


def test_a_lead_is_refused_the_dashboard(client, lead_a):
    client.force_login(lead_a)
    assert client.get("/dashboard/").status_code == 403


def test_the_dashboard_needs_sign_in(client):
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_the_dashboard_shows_the_demo_rounds_figures(client, demo, portfolio):
    client.force_login(portfolio)
    page = client.get("/dashboard/").content.decode()
    assert "40 out of 43 forces responded" in page
    for name in ["Dyfed-Powys", "Essex", "Kent"]:
        assert f'href="/dashboard/forces/{name.lower()}/">{name}</a></th>' in page  # the chase list
    assert "15 of 43 forces answered" in page


def test_the_dashboard_answers_404_for_an_unknown_round(client, portfolio):
    client.force_login(portfolio)
    assert client.get("/dashboard/?round=nope").status_code == 404
