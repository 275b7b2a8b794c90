"""More time in a real browser (axe on each page): West Midlands' lead asks for more time on the open
round, first with a date too early (the message by the field), then rightly; staff find the request
beside the chase list, grant a new date, and the lead sees their force's own due date."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from recommendations.models import Extension, Round
from tests.e2e.conftest import serious_accessibility_issues, sign_in

pytestmark = pytest.mark.e2e


def _fill_date(page, group: str, day: datetime.date) -> None:
    fields = page.get_by_role("group", name=re.compile(group))
    fields.get_by_label("Day").fill(str(day.day))
    fields.get_by_label("Month").fill(str(day.month))
    fields.get_by_label("Year").fill(str(day.year))


def test_a_lead_asks_for_more_time_and_staff_grant_it(page, demo_site):
    open_round = Round.objects.get(closed=False)
    base = demo_site.url
    sign_in(page, base, "lead-west-midlands")
    page.goto(f"{base}/forces/west-midlands/")
    assert serious_accessibility_issues(page) == []
    page.get_by_role("link", name=re.compile("Ask for more time")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for more time")
    assert serious_accessibility_issues(page) == []

    _fill_date(page, "New due date you are asking for", open_round.due_on)
    page.get_by_label("Why does your force need more time?").fill("Our force board meets after the due date.")
    page.get_by_role("button", name="Ask for more time").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date you ask for must be after")
    expect(page.get_by_label("Why does your force need more time?")).to_have_value(
        "Our force board meets after the due date."
    )
    assert serious_accessibility_issues(page) == []
    asked_for = open_round.due_on + datetime.timedelta(days=14)
    _fill_date(page, "New due date you are asking for", asked_for)
    page.get_by_role("button", name="Ask for more time").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You asked for more time")
    expect(page.locator(f"#more-time-{open_round.slug}")).to_contain_text("national staff have not decided yet")
    assert serious_accessibility_issues(page) == []

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "portfolio")
    page.goto(f"{base}/dashboard/#chase-list")
    page.get_by_role("link", name="Requests for more time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Requests for more time")
    assert serious_accessibility_issues(page) == []
    page.get_by_role("link", name="Decide West Midlands's request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("More time for West Midlands")
    assert serious_accessibility_issues(page) == []
    page.get_by_label("Grant more time").check()
    page.get_by_role("button", name="Save decision").click()  # the date asked for is filled in already
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"West Midlands granted more time: due {asked_for.day} {asked_for:%B %Y}."
    )
    assert serious_accessibility_issues(page) == []
    assert Extension.objects.get(force__slug="west-midlands").due_on == asked_for

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "lead-west-midlands")
    page.goto(f"{base}/forces/west-midlands/")
    expect(page.locator(f"#due-{open_round.slug}")).to_contain_text(
        f"Due {asked_for.day} {asked_for:%B %Y} (more time granted"
    )
