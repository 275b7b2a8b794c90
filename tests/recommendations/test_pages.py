"""The force page and the dashboard: who may open them and what they show."""

import re

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


def test_a_closed_rounds_answers_are_shown_read_only_to_the_lead(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="lead-west-midlands"))
    force_page = client.get("/forces/west-midlands/").content.decode()
    assert 'href="/forces/west-midlands/rounds/progress-update-march-2024/"' in force_page
    page = client.get("/forces/west-midlands/rounds/progress-update-march-2024/").content.decode()
    assert "This round is closed" in page
    assert "Quoted from the West Midlands Police and Crime Commissioner" in page
    assert re.search(r'/answers/[^/"]+/"', page) is None  # links to history only, never to a form


def test_another_lead_cannot_read_a_closed_rounds_answers(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="lead-kent"))
    assert client.get("/forces/west-midlands/rounds/progress-update-march-2024/").status_code == 404


def test_the_force_page_makes_the_same_number_of_queries_however_many_answers(client, demo, django_assert_num_queries):
    from django.contrib.auth import get_user_model

    from recommendations.models import Round
    from recommendations.services import status_update_save

    lead = get_user_model().objects.get(username="lead-west-midlands")
    client.force_login(lead)
    client.get("/forces/west-midlands/")  # warm the session
    # 1 session, 2 the user with the force they lead, 3 rounds for the force, then for the open
    # round: 4 recommendations in scope, 5 current and submitted versions, 6 carried-forward answers
    # from earlier rounds; 7 the user's permissions (navigation). The session's expiry is not
    # refreshed: it is less than a minute old.
    with django_assert_num_queries(7):
        client.get("/forces/west-midlands/")

    open_round = Round.objects.get(closed=False)
    # Answer all but one recommendation, three versions each (an unanswered one still offers carry-forward).
    for recommendation in list(open_round.recommendations.order_by("order"))[:-1]:
        for version in range(3):
            status_update_save(
                round=open_round,
                force=lead.force_membership.force,
                recommendation=recommendation,
                user=lead,
                expected_version=version,
                status="in_progress",
                narrative=f"Version {version + 1}.",
                submit=version == 1,
            )
    with django_assert_num_queries(7):
        client.get("/forces/west-midlands/")
