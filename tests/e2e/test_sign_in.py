"""A person signs in with the demo accounts and lands where their role works."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import serious_accessibility_issues, sign_in

pytestmark = pytest.mark.e2e


def test_a_force_lead_signs_in_and_lands_on_their_force_page(page, demo_site):
    page.goto(f"{demo_site.url}/")
    expect(page).to_have_url(re.compile(re.escape("/accounts/login/")))
    assert serious_accessibility_issues(page) == []

    sign_in(page, demo_site.url, "lead-west-midlands")

    expect(page).to_have_url(f"{demo_site.url}/forces/west-midlands/")
    expect(page.get_by_role("heading", level=1)).to_have_text("West Midlands", use_inner_text=True)
    assert page.get_by_text("days left").count() == 1
    assert serious_accessibility_issues(page) == []


def test_portfolio_staff_sign_in_and_land_on_the_dashboard(page, demo_site):
    sign_in(page, demo_site.url, "portfolio")

    expect(page).to_have_url(f"{demo_site.url}/dashboard/")
    expect(page.get_by_text("40 out of 43 forces responded")).to_be_visible()
    assert serious_accessibility_issues(page) == []


def test_a_wrong_password_shows_the_error_summary(page, demo_site):
    sign_in(page, demo_site.url, "lead-west-midlands", password="wrong-password")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter a correct username and password", use_inner_text=True)
    assert serious_accessibility_issues(page) == []


def _code(typed_key: str, steps_ahead: int = 0) -> str:
    """What an authenticator app holding the typed-in key shows."""
    import base64
    import time

    from django_otp.oath import TOTP

    key = typed_key.replace(" ", "")
    totp = TOTP(base64.b32decode(key + "=" * (-len(key) % 8)))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_a_lead_sets_up_two_factor_sign_in_and_then_signs_in_with_a_code(page, demo_site):
    sign_in(page, demo_site.url, "lead-kent")
    page.get_by_role("link", name="Two-factor sign-in").click()
    assert serious_accessibility_issues(page) == []
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.locator("svg").first).to_be_visible()
    assert serious_accessibility_issues(page) == []
    key = page.locator("code.app-secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill(_code(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Two-factor sign-in is on", use_inner_text=True)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, demo_site.url, "lead-kent")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app", use_inner_text=True
    )
    assert serious_accessibility_issues(page) == []
    page.get_by_label("Code from your authenticator app").fill("12")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the code as 6 digits", use_inner_text=True)
    assert serious_accessibility_issues(page) == []
    page.get_by_label("Code from your authenticator app").fill(_code(key, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{demo_site.url}/forces/kent/")
