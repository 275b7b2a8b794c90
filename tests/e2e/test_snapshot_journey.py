"""Portfolio staff code an answer, draft a snapshot, write a summary with a list and a link, preview it,
publish the snapshot and download each format."""

import io
import re
from pathlib import Path

import docx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import serious_accessibility_issues, sign_in
from tests.recommendations.document_readers import ods_sheets, zip_files

pytestmark = pytest.mark.e2e


def test_portfolio_staff_code_an_answer_then_publish_and_download_a_snapshot(page, demo_site):
    sign_in(page, demo_site.url, "portfolio")
    expect(page).to_have_url(f"{demo_site.url}/dashboard/")
    expect(page.locator("#responded-headline")).to_have_text("40 out of 43 forces responded", use_inner_text=True)
    assert serious_accessibility_issues(page) == []

    # Read every answer to recommendation 1 and code Dorset's with a new theme.
    page.get_by_role("link", name="Read and code the answers to recommendation 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Recommendation 1: The risk of honour-based abuse", use_inner_text=True
    )
    assert serious_accessibility_issues(page) == []
    page.get_by_role("link", name="Review and code the answer from Dorset").click()
    page.get_by_label("Add a new theme (optional)").fill("Harmful practices lead")
    page.get_by_role("button", name="Save themes", exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Themes saved for Dorset.", use_inner_text=True)
    expect(page.locator("#answer-dorset")).to_contain_text("Harmful practices lead", use_inner_text=True)

    # Draft a snapshot from the dashboard and edit recommendation 1's summary.
    page.get_by_role("link", name="Dashboard: Progress update, March 2024").click()
    page.get_by_role("button", name="Draft a snapshot of this round").click()
    expect(page.locator("#snapshot-date")).to_have_text("Draft, not published", use_inner_text=True)
    assert (
        "One force's answer was coded \u201cHarmful practices lead\u201d."
        in page.locator("#recommendation-tvip-super-complaint-1").locator("..").inner_text()
    )
    page.get_by_role("link", name="Edit the summary and what is published for recommendation 1").click()
    assert serious_accessibility_issues(page) == []  # the editor
    page.get_by_label("Summary for recommendation 1").fill(
        "{Theme:Specific HBA policy or SOP} forces had implemented or were developing a specific HBA policy or SOP, "
        "including:\n"
        "- a policy on **harmful practices**\n"
        "- a standard operating procedure for RASSO\n\n"
        "See the [Karma Nirvana website](https://karmanirvana.org.uk/) for its training.\n\n"
        "Edited in the browser test."
    )
    page.get_by_label("Publish a table of forces by status").check()
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    assert preview.get_by_role("listitem").all_inner_texts() == [
        "a policy on harmful practices",
        "a standard operating procedure for RASSO",
    ]
    assert preview.locator("strong", has_text="harmful practices").count() == 1
    assert preview.get_by_role("link", name="Karma Nirvana website").get_attribute("href") == (
        "https://karmanirvana.org.uk/"
    )
    expect(preview).to_contain_text("Five forces had implemented", use_inner_text=True)
    assert serious_accessibility_issues(page) == []  # the editor with its preview
    page.get_by_role("button", name="Save summary").click()
    expect(page.get_by_text("Edited in the browser test.")).to_be_visible()
    expect(page.get_by_role("table", name="Forces by status, recommendation 1")).to_be_visible()

    # The title and introduction editor, previewed.
    page.get_by_role("link", name="Change the title, summary and introduction").click()
    page.get_by_label("Introduction and background").fill("{Responded} forces of {asked} answered.")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview")).to_contain_text("40 forces of 43 answered.", use_inner_text=True)
    assert serious_accessibility_issues(page) == []
    page.get_by_role("button", name="Save").click()

    # Publish it; it is then frozen and offered as a download.
    page.get_by_role("link", name="Publish", exact=True).click()
    page.get_by_role("button", name="Publish the snapshot").click()
    expect(page.locator("#snapshot-date")).to_have_text(re.compile("^" + re.escape("Published ")), use_inner_text=True)
    assert page.get_by_role("link", name="Edit the summary and what is published for recommendation 1").count() == 0
    annex = page.locator("#annex-a-forces li").all_inner_texts()
    assert len(annex) == 40 and "West Mercia" in annex
    assert page.get_by_role("link", name="every answer", exact=False).count() == 0
    assert serious_accessibility_issues(page) == []

    def download(name: str) -> tuple[str, bytes]:
        with page.expect_download() as download_info:
            page.get_by_role("link", name=name, exact=True).click()
        download = download_info.value
        return download.suggested_filename, Path(download.path()).read_bytes()

    filename, content = download("This snapshot as a document (DOCX)")
    assert filename.endswith(".docx")
    document = docx.Document(io.BytesIO(content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "Edited in the browser test." in texts
    assert "a policy on harmful practices" in texts
    assert "1.1. 40 forces of 43 answered." in texts
    assert document.tables[0].rows[1].cells[-1].text == "30"

    filename, content = download("Its published figures as a spreadsheet (ODS)")
    assert filename.endswith(".ods") and "Status counts" in ods_sheets(content)

    filename, content = download("Its published figures as CSV")
    assert filename.endswith(".csv") and "1,Status,Complete,30" in content.decode("utf-8-sig")

    filename, content = download(
        "The GOV.UK publishing pack (ZIP: HTML publication in govspeak, ODS, CSV and the publishing details)"
    )
    files = zip_files(content)
    govspeak = next(text.decode() for name, text in files.items() if name.endswith(".govspeak.txt"))
    assert "* a policy on **harmful practices**" in govspeak
    assert "[Karma Nirvana website](https://karmanirvana.org.uk/)" in govspeak
    assert "1.1. 40 forces of 43 answered." in govspeak
    assert len(files) == 4
