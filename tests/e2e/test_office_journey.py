"""A commissioner's office answers the recommendation to commissioners, drafts its statutory
response from the force's answers, edits it, publishes it and downloads it."""

import io
import re

import docx
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from forces.models import BodyMembership, PolicingBody
from tests.e2e.conftest import serious_accessibility_issues, sign_in

pytestmark = pytest.mark.e2e


def test_an_office_answers_drafts_edits_publishes_and_downloads_its_response(page, demo_site):
    # Avon and Somerset's force answered the March 2024 round, so its office has comments to draw on.
    office = get_user_model().objects.create_user("pcc-avon-and-somerset", password="tracker-demo")
    BodyMembership.objects.create(user=office, body=PolicingBody.objects.get(slug="avon-and-somerset"))
    sign_in(page, demo_site.url, "pcc-avon-and-somerset")
    expect(page).to_have_url(f"{demo_site.url}/offices/avon-and-somerset/")
    expect(page.locator("#due-tvip-super-complaint")).to_have_text("26 January 2023", use_inner_text=True)
    assert serious_accessibility_issues(page) == []

    # Answer the recommendation to commissioners with the same form, check and submission as leads.
    page.get_by_role("link", name="4. Commissioned services for victims").click()
    page.get_by_label("In progress").check()
    page.get_by_label("Progress update").fill("Our victims' services consultation reaches every community.")
    assert serious_accessibility_issues(page) == []
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers", use_inner_text=True)
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("link", name="Back to your office's page").click()

    # Draft the response from the force's answers; the office's own answer is recommendation 4's text.
    page.get_by_role("button", name="Draft the response from the force's answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the response", use_inner_text=True)
    assert serious_accessibility_issues(page) == []
    first = page.get_by_label("The body's text").first
    assert first.input_value().startswith("The chief constable's comments (Avon & Somerset's submitted answers):")
    assert page.get_by_label("The body's text").nth(3).input_value() == (
        "Our victims' services consultation reaches every community."
    )
    first.fill("The force has added the risk of honour-based abuse to its policy.\n\n- *Reviewed* in 2024")
    page.get_by_label("Holder's name").fill("A Commissioner")
    page.get_by_role("button", name="Save and preview").click()
    expect(page.locator("#recommendation-1 + .app-markup em")).to_have_text("Reviewed", use_inner_text=True)
    assert serious_accessibility_issues(page) == []

    # Publish: frozen, dated, offered as a page for the body's website and as a document.
    page.get_by_role("link", name="Publish").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#response-date")).to_have_text(re.compile("^" + re.escape("Published ")), use_inner_text=True)
    assert page.get_by_role("link", name="Edit the response").count() == 0
    assert serious_accessibility_issues(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as a document (DOCX)").click()
    document = docx.Document(io.BytesIO(open(download_info.value.path(), "rb").read()))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "The force has added the risk of honour-based abuse to its policy." in texts
    assert "Reviewed in 2024" in texts
    assert texts[-2:] == ["A Commissioner", "Avon and Somerset Police and Crime Commissioner"]
