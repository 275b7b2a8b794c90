"""Staff review in a real browser: filter to "needs review", open the first answer, return it with a
note (the lead's email holds it), the lead resubmits, staff accept it and go to the next answer."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from forces.models import Force
from recommendations.models import Round, Status, StatusUpdate
from recommendations.services import status_update_save
from tests.e2e.conftest import serious_accessibility_issues, sign_in

pytestmark = pytest.mark.e2e


def test_staff_return_an_answer_the_lead_resubmits_and_staff_accept_and_go_on(page, demo_site, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    open_round = Round.objects.get(closed=False)
    recommendation = open_round.recommendations.order_by("order").first()
    users = get_user_model().objects
    for slug in ("avon-and-somerset", "west-midlands"):
        force = Force.objects.get(slug=slug)
        status_update_save(
            round=open_round,
            force=force,
            recommendation=recommendation,
            user=users.get(username=f"lead-{slug}"),
            expected_version=0,
            status=Status.IN_PROGRESS,
            narrative=f"Fixture answer from {force.name}: training planned with our advisory group.",
            submit=True,
        )
    base = demo_site.url
    sign_in(page, base, "portfolio")
    page.goto(
        f"{base}/dashboard/rounds/{open_round.slug}/recommendations/tvip-super-complaint/{recommendation.reference}/"
    )
    assert serious_accessibility_issues(page) == []
    page.get_by_label("Review").select_option("needs_review")
    page.get_by_role("button", name="Show answers").click()
    expect(page.locator("#answers-count")).to_contain_text("2 answers matching your filters.", use_inner_text=True)
    assert serious_accessibility_issues(page) == []

    page.get_by_role("link", name=re.compile("Review and code the answer from Avon")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^" + re.escape("Avon")), use_inner_text=True)
    assert serious_accessibility_issues(page) == []
    page.get_by_label("What does the force need to add or change?").fill("Please name the advisory group.")
    page.get_by_role("button", name="Return to force").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("returned to the force", use_inner_text=True)
    expect(page.locator("#review-state")).to_have_text("Returned to force", use_inner_text=True)
    [email] = [message for message in mail.outbox if "returned" in message.subject]
    assert email.to == ["lead-avon-and-somerset@example.invalid"] and "Please name the advisory group." in email.body
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "lead-avon-and-somerset")
    page.goto(
        f"{base}/forces/avon-and-somerset/rounds/{open_round.slug}/answers/tvip-super-complaint/{recommendation.reference}/"
    )
    assert serious_accessibility_issues(page) == []
    page.get_by_label("Progress update").fill("Training planned with the Karma Nirvana advisory group.")
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{base}/forces/avon-and-somerset/rounds/{open_round.slug}/check/")
    page.get_by_role("button", name="Submit return").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Return submitted", use_inner_text=True)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "portfolio")
    page.goto(
        f"{base}/dashboard/rounds/{open_round.slug}/recommendations/tvip-super-complaint/{recommendation.reference}/?review=needs_review"
    )
    page.get_by_role("link", name=re.compile("Review and code the answer from Avon")).click()
    expect(page.locator("#review-state")).to_have_text("Resubmitted, needs review", use_inner_text=True)
    expect(page.get_by_text("Karma Nirvana advisory group").first).to_be_visible()
    assert serious_accessibility_issues(page) == []
    page.get_by_role("button", name="Accept and go to the next answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("West Midlands's answer", use_inner_text=True)
    assert serious_accessibility_issues(page) == []

    accepted = StatusUpdate.objects.get(
        round=open_round, force__slug="avon-and-somerset", recommendation=recommendation, is_latest_submitted=True
    )
    assert accepted.review == StatusUpdate.Review.ACCEPTED and accepted.is_resubmission
    page.goto(
        f"{base}/dashboard/rounds/{open_round.slug}/recommendations/tvip-super-complaint/{recommendation.reference}/forces/avon-and-somerset/"
    )
    expect(page.locator("#review-state")).to_have_text("Accepted", use_inner_text=True)
    assert page.get_by_role("button", name="Accept", exact=True).count() == 0
    assert page.get_by_role("button", name="Accept and go to the next answer").count() == 0
    assert serious_accessibility_issues(page) == []
