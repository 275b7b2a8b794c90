"""The session timeout warning, and text typed before a session ended, in a real browser."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from recommendations.models import Round, StatusUpdate
from tests.e2e.conftest import serious_accessibility_issues, sign_in

pytestmark = pytest.mark.e2e

TEXT = "Typed before the session ended: the policy was rewritten and training booked for May."


def test_the_warning_counts_down_and_stay_signed_in_keeps_the_session(page, demo_site, settings):
    settings.SESSION_COOKIE_AGE = 12
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 9
    sign_in(page, demo_site.url, "lead-west-midlands")
    dialog = page.locator("dialog.app-timeout-dialog")
    dialog.wait_for(state="visible", timeout=8000)
    expect(dialog.get_by_role("heading")).to_have_text("You’re about to be signed out", use_inner_text=True)
    assert re.search(r"we will sign you out in \d seconds", dialog.inner_text())
    assert serious_accessibility_issues(page) == []

    before = Session.objects.get().expire_date
    dialog.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")
    assert Session.objects.get().expire_date > before

    # Left alone, the time runs out: the dialog says so and the page stays as it was.
    dialog.wait_for(state="visible", timeout=8000)
    dialog.get_by_role("heading", name="You have been signed out").wait_for(timeout=15000)
    assert serious_accessibility_issues(page) == []
    dialog.get_by_role("button", name="Close").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("West Midlands", use_inner_text=True)


def test_text_typed_before_the_session_ended_is_restored_after_signing_in_and_saved_only_on_the_button(page, demo_site):
    open_round = Round.objects.get(closed=False)
    url = f"{demo_site.url}/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/"
    sign_in(page, demo_site.url, "lead-west-midlands")
    page.goto(url)
    page.get_by_label("In progress").check()
    page.get_by_label("Progress update").fill(TEXT)
    versions = StatusUpdate.objects.count()

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # the session ends
    page.get_by_role("button", name="Save as draft").click()

    expect(page).to_have_url(re.compile(re.escape("/accounts/login/")))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your session ended, so nothing was saved", use_inner_text=True
    )
    assert serious_accessibility_issues(page) == []
    page.get_by_label("Username").fill("lead-west-midlands")
    page.get_by_label("Password").fill("tracker-demo")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(url)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "We have put back what you typed", use_inner_text=True
    )
    assert page.get_by_label("Progress update").input_value() == TEXT
    assert page.get_by_label("In progress").is_checked()
    assert StatusUpdate.objects.count() == versions  # nothing saved yet
    assert serious_accessibility_issues(page) == []

    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved as a draft", use_inner_text=True)
    assert StatusUpdate.objects.count() == versions + 1
    assert StatusUpdate.objects.order_by("-pk").first().narrative == TEXT
