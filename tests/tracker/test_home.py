"""Sign-in, sign-out and the home page that sends each role where it works."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_sign_in_page_has_labelled_username_and_password(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'for="id_username" class="govuk-label"' in page
    assert 'for="id_password"' in page


def test_a_lead_signs_in_and_lands_on_their_force(client, lead_a):
    response = client.post(
        "/accounts/login/", {"username": "lead-west-midlands", "password": "correct horse battery staple"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/forces/west-midlands/"
    assert '<h1 class="govuk-heading-l">West Midlands</h1>' in response.content.decode()


def test_a_wrong_password_is_refused_with_a_message_beside_the_form(client, lead_a):
    response = client.post("/accounts/login/", {"username": "lead-west-midlands", "password": "nope"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter a correct username and password" in page


def test_portfolio_staff_land_on_the_dashboard(client, portfolio):
    client.force_login(portfolio)
    assert client.get("/")["Location"] == reverse("recommendations:dashboard")


def test_an_admin_lands_on_the_dashboard(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/")["Location"] == reverse("recommendations:dashboard")


def test_an_account_with_no_role_is_told_so(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    response = client.get("/")
    assert response.status_code == 403
    assert "Your account has no role yet" in response.content.decode()


def test_sign_out_is_a_post_and_ends_the_session(client, lead_a):
    client.force_login(lead_a)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_deploy_checks_pass_with_production_settings():
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-enough-0123456789abcdef",
        "ALLOWED_HOSTS": "tracker.example.police.uk",
        "DATABASE_URL": "sqlite:////tmp/tracker-deploy-check.sqlite3",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_malformed_boolean_setting_stops_start_up():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env={"DEBUG": "maybe", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr
