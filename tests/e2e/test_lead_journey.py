"""The force lead's journey in a real browser: answer, save a draft, check, submit, confirmation."""

import re

import pytest
from playwright.sync_api import expect

from recommendations.models import Round
from tests.e2e.conftest import serious_accessibility_issues, sign_in

pytestmark = pytest.mark.e2e


def test_a_lead_answers_saves_a_draft_checks_and_submits(page, demo_site):
    open_round = Round.objects.get(closed=False)
    base = demo_site.url
    sign_in(page, base, "lead-west-midlands")
    assert serious_accessibility_issues(page) == []

    page.get_by_role("link", name="1. The risk of honour-based abuse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("^" + re.escape("Recommendation 1")), use_inner_text=True
    )
    assert serious_accessibility_issues(page) == []
    page.get_by_label("Not applicable").check()
    expect(page.get_by_label("Why does this recommendation not apply to your force?")).to_be_visible()
    page.get_by_label("In progress").check()
    page.get_by_label("Progress update").fill(
        "Our sexual abuse policy now names the risk of honour-based abuse; published in the spring."
    )
    page.get_by_role("button", name="Save as draft").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved as a draft", use_inner_text=True)
    expect(page.locator("tr", has_text="1. The risk of honour-based abuse").get_by_text("Draft")).to_be_visible()

    page.get_by_role("link", name="1. The risk of honour-based abuse").click()
    page.get_by_label("Progress update").fill("")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary").get_by_text("Enter a progress update")).to_be_visible()
    assert serious_accessibility_issues(page) == []
    page.get_by_label("Progress update").fill("Policy updated and published in the spring.")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(re.escape("/answers/tvip-super-complaint/2a/")))

    page.goto(f"{base}/forces/west-midlands/rounds/{open_round.slug}/check/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting your return", use_inner_text=True
    )
    expect(page.get_by_text("Policy updated and published in the spring.")).to_be_visible()
    assert serious_accessibility_issues(page) == []
    page.get_by_role("button", name="Submit return").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Return submitted", use_inner_text=True)
    assert serious_accessibility_issues(page) == []

    # The lead withdraws answer 1: a reason is required, and the answer is kept, marked withdrawn.
    page.goto(f"{base}/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/")
    page.get_by_role("link", name="Withdraw this answer").click()
    assert serious_accessibility_issues(page) == []
    page.get_by_role("button", name="Withdraw answer").click()
    expect(page.locator(".govuk-error-summary").get_by_text("Say why you are withdrawing this answer")).to_be_visible()
    assert serious_accessibility_issues(page) == []
    page.get_by_label("Why are you withdrawing this answer?").fill("Submitted before the policy was signed off.")
    page.get_by_role("button", name="Withdraw answer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is withdrawn", use_inner_text=True)
    expect(page.locator("tr", has_text="1. The risk of honour-based abuse").get_by_text("Withdrawn")).to_be_visible()

    # National staff now see the answer; another force's lead cannot.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "portfolio")
    page.goto(f"{base}/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/history/")
    expect(page.get_by_text("Policy updated and published in the spring.")).to_be_visible()
    expect(page.get_by_text("Submitted before the policy was signed off.")).to_be_visible()
    assert serious_accessibility_issues(page) == []

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "lead-kent")
    response = page.goto(
        f"{base}/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/history/"
    )
    assert response.status == 404
    assert "Policy updated" not in page.content()
