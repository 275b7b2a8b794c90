"""The register in a real browser: staff filter it, open a recommendation, read every force's status
round by round and then one force's answers; a lead reads only their own force's."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import serious_accessibility_issues, sign_in

pytestmark = pytest.mark.e2e


def test_staff_filter_the_register_open_a_recommendation_and_read_a_forces_timeline(page, demo_site):
    base = demo_site.url
    sign_in(page, base, "portfolio")
    page.get_by_role("link", name="Register", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register of recommendations", use_inner_text=True)
    assert serious_accessibility_issues(page) == []

    page.get_by_label("Words to find").fill("HONOUR-BASED")
    page.get_by_label("Addressee").select_option("chief_constables")
    page.get_by_label("Latest status").select_option("planned")
    page.get_by_role("button", name="Show recommendations").click()
    expect(page.locator("#results")).to_have_text(re.compile(r"^\d+ recommendations?$"), use_inner_text=True)
    expect(page.get_by_label("Latest status")).to_have_value("planned")
    assert serious_accessibility_issues(page) == []

    page.get_by_role("link", name=re.compile(r"^TVIP super-complaint 1\b")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Recommendation 1: The risk of honour-based abuse", use_inner_text=True
    )
    table = page.locator('[aria-labelledby="timeline-caption"]')
    expect(table.get_by_role("columnheader").nth(1)).to_have_text("Progress update, March 2024", use_inner_text=True)
    expect(table.locator("#force-west-midlands")).to_contain_text("Complete", use_inner_text=True)
    assert serious_accessibility_issues(page) == []

    table.get_by_role("link", name="West Midlands").click()
    timeline = page.locator("#force-timeline + ol")
    expect(page.locator("#force-timeline")).to_have_text("West Midlands: answers round by round", use_inner_text=True)
    expect(timeline.locator("#round-progress-update-march-2024")).to_contain_text(
        "Progress update", use_inner_text=True
    )
    expect(timeline.locator("#round-progress-update-march-2024 .app-narrative").first).not_to_be_empty()
    assert serious_accessibility_issues(page) == []


def test_a_lead_reads_their_own_forces_timeline_from_the_answer_page(page, demo_site):
    from recommendations.models import Round

    base = demo_site.url
    open_round = Round.objects.get(closed=False)
    sign_in(page, base, "lead-kent")
    page.goto(f"{base}/forces/kent/rounds/{open_round.slug}/answers/tvip-super-complaint/1/")
    page.get_by_role("link", name=re.compile("^History of this recommendation")).click()
    expect(page.locator("#force-timeline")).to_have_text("Kent: answers round by round", use_inner_text=True)
    expect(page.locator("#timeline-caption")).to_have_count(0)
    expect(page.get_by_text("West Midlands")).to_have_count(0)
    assert serious_accessibility_issues(page) == []
