"""A person signs in with the demo accounts and lands where their role works."""

import pytest

from tests.e2e.conftest import serious_accessibility_issues, sign_in

pytestmark = pytest.mark.e2e


def test_a_force_lead_signs_in_and_lands_on_their_force_page(page, demo_site):
    page.goto(f"{demo_site.url}/")
    assert "/accounts/login/" in page.url
    assert serious_accessibility_issues(page) == []

    sign_in(page, demo_site.url, "lead-west-midlands")

    assert page.url == f"{demo_site.url}/forces/west-midlands/"
    assert page.get_by_role("heading", level=1).inner_text() == "West Midlands"
    assert page.get_by_text("days left").count() == 1
    assert serious_accessibility_issues(page) == []


def test_portfolio_staff_sign_in_and_land_on_the_dashboard(page, demo_site):
    sign_in(page, demo_site.url, "portfolio")

    assert page.url == f"{demo_site.url}/dashboard/"
    assert page.get_by_text("40 out of 43 forces responded").is_visible()
    assert serious_accessibility_issues(page) == []


def test_a_wrong_password_shows_the_error_summary(page, demo_site):
    sign_in(page, demo_site.url, "lead-west-midlands", password="wrong-password")

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter a correct username and password" in summary.inner_text()
    assert serious_accessibility_issues(page) == []
