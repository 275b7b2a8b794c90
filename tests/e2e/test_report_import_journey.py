"""An administrator imports a report from a CSV file: a file with problems lists each with its row and
column and creates nothing; the corrected file creates the report. axe checks each page."""

import pytest
from playwright.sync_api import expect

from recommendations.models import Recommendation, Report
from tests.e2e.conftest import serious_accessibility_issues, sign_in

pytestmark = pytest.mark.e2e

HEADER = "Reference,Parent,Short title,Full text,Addressee\n"
BAD = HEADER + "1,,Risk,Assess the risk.,Chief constables\n2a,9,Training,Train call handlers.,Everyone\n"
GOOD = HEADER + "1,,Risk,Assess the risk.,Chief constables\n2a,2,Training,Train call handlers.,Chief constables\n"
GOOD += "2,,Awareness,Improve awareness:,Chief constables\n"


def _upload(page, content: str) -> None:
    page.get_by_label("Recommendations (XLSX or CSV)").set_input_files(
        {"name": "recommendations.csv", "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.get_by_role("button", name="Check the file and import the report").click()


def test_an_administrator_imports_a_report_after_correcting_the_file(page, demo_site):
    sign_in(page, demo_site.url, "admin")
    page.goto(f"{demo_site.url}/admin/recommendations/report/")
    page.get_by_role("link", name="Import a report from a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a report from a spreadsheet")
    assert serious_accessibility_issues(page) == []

    page.get_by_label("Title:", exact=True).fill("Honour-based abuse: a second thematic report")
    page.get_by_label("Short title:").fill("HBA thematic")
    page.get_by_label("Publishers:").fill("HMICFRS")
    expect(page.get_by_label("Slug:")).to_have_value("hba-thematic")  # made from the short title, as on "Add report"
    page.get_by_label("Published on:").fill("2026-11-20")
    _upload(page, BAD)

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Row 3, column B: “9” is not a reference in this file")
    expect(summary).to_contain_text("Row 3, column E: “Everyone” is not an addressee")
    assert serious_accessibility_issues(page) == []
    assert not Report.objects.filter(slug="hba-thematic").exists()
    expect(page.get_by_label("Short title:")).to_have_value("HBA thematic")

    _upload(page, GOOD)
    expect(page.locator(".messagelist")).to_contain_text(
        "The report “HBA thematic” was created with 3 recommendations from recommendations.csv."
    )
    assert serious_accessibility_issues(page) == []
    assert list(
        Recommendation.objects.filter(report__slug="hba-thematic").order_by("order").values_list("reference", "order")
    ) == [("1", 1), ("2a", 2), ("2", 3)]
