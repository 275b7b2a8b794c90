"""Portfolio staff code an answer, draft a snapshot, edit it, publish it and download it."""

import io

import docx
import pytest

from tests.e2e.conftest import serious_accessibility_issues, sign_in

pytestmark = pytest.mark.e2e


def test_portfolio_staff_code_an_answer_then_publish_and_download_a_snapshot(page, demo_site):
    sign_in(page, demo_site.url, "portfolio")
    assert page.url == f"{demo_site.url}/dashboard/"
    assert page.locator("#responded-headline").inner_text() == "40 out of 43 forces responded"
    assert serious_accessibility_issues(page) == []

    # Read every answer to recommendation 1 and code Dorset's with a new theme.
    page.get_by_role("link", name="Read and code the answers to recommendation 1").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Recommendation 1: The risk of honour-based abuse"
    assert serious_accessibility_issues(page) == []
    page.get_by_role("link", name="Review and code the answer from Dorset").click()
    page.get_by_label("Add a new theme (optional)").fill("Harmful practices lead")
    page.get_by_role("button", name="Save themes").click()
    assert "Themes saved for Dorset." in page.locator(".govuk-notification-banner").inner_text()
    assert "Harmful practices lead" in page.locator("#answer-dorset").inner_text()

    # Draft a snapshot from the dashboard and edit recommendation 1's summary.
    page.get_by_role("link", name="Dashboard: Progress update, March 2024").click()
    page.get_by_role("button", name="Draft a snapshot of this round").click()
    assert page.locator("#snapshot-date").inner_text() == "Draft, not published"
    assert (
        "One force's answer was coded \u201cHarmful practices lead\u201d."
        in page.locator("#recommendation-1").locator("..").inner_text()
    )
    page.get_by_role("link", name="Edit the summary for recommendation 1").click()
    page.get_by_label("Summary for recommendation 1").fill(
        "Five forces had implemented or were developing a specific HBA policy or SOP.\n\nEdited in the browser test."
    )
    page.get_by_role("button", name="Save summary").click()
    assert page.get_by_text("Edited in the browser test.").is_visible()

    # Publish it; it is then frozen and offered as a download.
    page.get_by_role("link", name="Publish").click()
    page.get_by_role("button", name="Publish the snapshot").click()
    assert page.locator("#snapshot-date").inner_text().startswith("Published ")
    assert page.get_by_role("link", name="Edit the summary for recommendation 1").count() == 0
    annex = page.locator("#annex-a-forces li").all_inner_texts()
    assert len(annex) == 40 and "West Mercia" in annex
    assert serious_accessibility_issues(page) == []

    with page.expect_download() as download_info:
        page.get_by_role("link", name="this snapshot as a document (DOCX)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    document = docx.Document(io.BytesIO(open(download.path(), "rb").read()))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "Edited in the browser test." in texts
    assert "40 out of the 43 forces responded to this request." in texts
