"""An administrator invites a force lead; the lead opens the emailed link, chooses a password and
lands on their force; the used link, and an expired one, get a page that says so."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import serious_accessibility_issues, sign_in
from tracker.models import Invitation

pytestmark = pytest.mark.e2e

PASSWORD = "kestrel harbour lantern"


def test_an_administrator_invites_a_lead_who_joins_with_the_emailed_link(page, demo_site, browser):
    sign_in(page, demo_site.url, "admin")
    page.goto(f"{demo_site.url}/dashboard/")
    page.get_by_role("link", name="Invitations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations", use_inner_text=True)
    assert serious_accessibility_issues(page) == []

    page.get_by_role("link", name="Invite a person").click()
    assert serious_accessibility_issues(page) == []
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert serious_accessibility_issues(page) == []

    page.get_by_label("Full name").fill("Priya Shah")
    page.get_by_label("Email address").fill("priya.shah@example.invalid")
    page.get_by_label("Force lead").check()
    page.get_by_label("Force", exact=True).select_option(label="Essex")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Invitation sent to priya.shah@example.invalid", use_inner_text=True
    )
    expect(page.get_by_role("link", name="Priya Shah")).to_be_visible()
    assert serious_accessibility_issues(page) == []

    page.get_by_role("link", name="Priya Shah").click()
    assert serious_accessibility_issues(page) == []

    (message,) = mail.outbox
    link = re.search(r"(http://\S+/accounts/invitation/\S+/)", message.body).group(1)

    lead = browser.new_context(bypass_csp=True).new_page()
    lead.goto(link)
    expect(lead.get_by_role("heading", level=1)).to_have_text("Create your account", use_inner_text=True)
    expect(lead.locator("main")).to_contain_text("force lead for Essex", use_inner_text=True)
    assert serious_accessibility_issues(lead) == []
    lead.get_by_label("New password", exact=True).fill(PASSWORD)
    lead.get_by_label("New password again").fill(PASSWORD)
    lead.get_by_role("button", name="Create account").click()

    expect(lead).to_have_url(f"{demo_site.url}/forces/essex/")
    expect(lead.get_by_role("heading", level=1)).to_have_text("Essex", use_inner_text=True)
    expect(lead.locator(".govuk-notification-banner")).to_contain_text("Your account is ready", use_inner_text=True)
    assert serious_accessibility_issues(lead) == []

    # The link works once.
    lead.get_by_role("button", name=re.compile("Sign out")).click()
    lead.goto(link)
    expect(lead.get_by_role("heading", level=1)).to_have_text(
        "This invitation has already been used", use_inner_text=True
    )
    assert serious_accessibility_issues(lead) == []

    # The lead signs in again with the password they chose.
    sign_in(lead, demo_site.url, "priya.shah@example.invalid", PASSWORD)
    expect(lead).to_have_url(f"{demo_site.url}/forces/essex/")


def test_an_expired_invitation_link_says_what_to_do(page, demo_site):
    sign_in(page, demo_site.url, "admin")
    page.goto(f"{demo_site.url}/accounts/invitations/new/")
    page.get_by_label("Full name").fill("Ola Late")
    page.get_by_label("Email address").fill("ola.late@example.invalid")
    page.get_by_label("Portfolio staff").check()
    page.get_by_role("button", name="Send invitation").click()
    link = re.search(r"(http://\S+/accounts/invitation/\S+/)", mail.outbox[0].body).group(1)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    page.get_by_role("button", name=re.compile("Sign out")).click()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation has expired", use_inner_text=True)
    expect(page.locator("main")).to_contain_text("Ask Demo Administrator to send you a new link", use_inner_text=True)
    assert serious_accessibility_issues(page) == []
