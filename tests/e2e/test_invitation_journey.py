"""An administrator invites a force lead; the lead opens the emailed link, chooses a password and
lands on their force; the used link, and an expired one, get a page that says so."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.e2e.conftest import serious_accessibility_issues, sign_in
from tracker.models import Invitation

pytestmark = pytest.mark.e2e

PASSWORD = "kestrel harbour lantern"


def test_an_administrator_invites_a_lead_who_joins_with_the_emailed_link(page, demo_site, browser):
    sign_in(page, demo_site.url, "admin")
    page.goto(f"{demo_site.url}/dashboard/")
    page.get_by_role("link", name="Invitations").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Invitations"
    assert serious_accessibility_issues(page) == []

    page.get_by_role("link", name="Invite a person").click()
    assert serious_accessibility_issues(page) == []
    page.get_by_role("button", name="Send invitation").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert serious_accessibility_issues(page) == []

    page.get_by_label("Full name").fill("Priya Shah")
    page.get_by_label("Email address").fill("priya.shah@example.invalid")
    page.get_by_label("Force lead").check()
    page.get_by_label("Force", exact=True).select_option(label="Essex")
    page.get_by_role("button", name="Send invitation").click()
    assert "Invitation sent to priya.shah@example.invalid" in page.locator(".govuk-notification-banner").inner_text()
    assert page.get_by_role("link", name="Priya Shah").is_visible()
    assert serious_accessibility_issues(page) == []

    page.get_by_role("link", name="Priya Shah").click()
    assert serious_accessibility_issues(page) == []

    (message,) = mail.outbox
    link = re.search(r"(http://\S+/accounts/invitation/\S+/)", message.body).group(1)

    lead = browser.new_context(bypass_csp=True).new_page()
    lead.goto(link)
    assert lead.get_by_role("heading", level=1).inner_text() == "Create your account"
    assert "force lead for Essex" in lead.locator("main").inner_text()
    assert serious_accessibility_issues(lead) == []
    lead.get_by_label("New password", exact=True).fill(PASSWORD)
    lead.get_by_label("New password again").fill(PASSWORD)
    lead.get_by_role("button", name="Create account").click()

    assert lead.url == f"{demo_site.url}/forces/essex/"
    assert lead.get_by_role("heading", level=1).inner_text() == "Essex"
    assert "Your account is ready" in lead.locator(".govuk-notification-banner").inner_text()
    assert serious_accessibility_issues(lead) == []

    # The link works once.
    lead.get_by_role("button", name=re.compile("Sign out")).click()
    lead.goto(link)
    assert lead.get_by_role("heading", level=1).inner_text() == "This invitation has already been used"
    assert serious_accessibility_issues(lead) == []

    # The lead signs in again with the password they chose.
    sign_in(lead, demo_site.url, "priya.shah@example.invalid", PASSWORD)
    assert lead.url == f"{demo_site.url}/forces/essex/"


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
    assert page.get_by_role("heading", level=1).inner_text() == "This invitation has expired"
    assert "Ask Demo Administrator to send you a new link" in page.locator("main").inner_text()
    assert serious_accessibility_issues(page) == []
