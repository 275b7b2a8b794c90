"""Evidence documents and the action plan in a real browser: a lead attaches a PDF (internal) and a
DOCX (can be published) to an answer, adds two milestones and later moves one with a reason, and
submits; staff see both documents beside the answer, download one, and see the slippage; another
force's lead gets nothing at the documents' addresses."""

import re

import pytest
from playwright.sync_api import expect

from recommendations.models import EvidenceDocument, Round, StatusUpdate
from tests.e2e.conftest import serious_accessibility_issues, sign_in
from tests.recommendations.test_evidence_documents import PDF, docx_bytes

pytestmark = pytest.mark.e2e


def test_a_lead_attaches_documents_staff_read_them_and_another_force_cannot(page, demo_site, tmp_path):
    open_round = Round.objects.get(closed=False)
    base = demo_site.url
    answer = f"{base}/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/"
    (tmp_path / "hba-policy.pdf").write_bytes(PDF)
    (tmp_path / "training-plan.docx").write_bytes(docx_bytes("Training plan for call handlers."))

    sign_in(page, base, "lead-west-midlands")
    page.goto(answer)
    assert serious_accessibility_issues(page) == []
    page.get_by_label("In progress").check()
    page.get_by_label("Progress update").fill("Our HBA policy is being rewritten; training starts in May.")
    page.get_by_label("Add a document (optional)").set_input_files(str(tmp_path / "hba-policy.pdf"))
    page.get_by_label("Internal: national staff only").check()
    page.get_by_role("button", name="Add document").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("hba-policy.pdf added", use_inner_text=True)
    expect(page.locator("#evidence-documents")).to_contain_text("hba-policy.pdf", use_inner_text=True)
    expect(page.get_by_label("Progress update")).to_have_value(
        "Our HBA policy is being rewritten; training starts in May."
    )
    assert serious_accessibility_issues(page) == []

    page.get_by_label("Add a document (optional)").set_input_files(str(tmp_path / "training-plan.docx"))
    page.get_by_label("Can be published").check()
    page.get_by_role("button", name="Add document").click()
    expect(page.locator("#evidence-documents")).to_contain_text("training-plan.docx", use_inner_text=True)
    expect(page.locator("#evidence-documents li", has_text="hba-policy.pdf")).to_contain_text("Internal")
    expect(page.locator("#evidence-documents li", has_text="training-plan.docx")).to_contain_text("Can be published")
    assert serious_accessibility_issues(page) == []

    # The action plan: two milestones, then one moved, which asks why.
    for description, year in (("Publish the rewritten HBA policy", "2031"), ("Train every call handler", "2032")):
        page.get_by_role("link", name="Add a milestone").click()
        assert serious_accessibility_issues(page) == []
        page.get_by_label("Milestone", exact=True).fill(description)
        page.locator("#id_target_on_0").fill("30")
        page.locator("#id_target_on_1").fill("6")
        page.locator("#id_target_on_2").fill(year)
        page.get_by_role("button", name="Add milestone").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Milestone added", use_inner_text=True)
        expect(page.locator("#action-plan ~ .govuk-summary-card", has_text=description)).to_contain_text("30 June " + year)
    assert serious_accessibility_issues(page) == []
    page.locator(".govuk-summary-card", has_text="Publish the rewritten HBA policy").get_by_role("link", name="Change").click()
    page.locator("#id_target_on_1").fill("12")
    page.get_by_role("button", name="Save milestone").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the target date moved", use_inner_text=True)
    assert serious_accessibility_issues(page) == []
    page.get_by_label("If the target date has moved, why?").fill("The force policy board meets in December.")
    page.get_by_role("button", name="Save milestone").click()
    expect(page.locator(".govuk-summary-card", has_text="Publish the rewritten HBA policy")).to_contain_text(
        "Target moved once: first 30 June 2031, now 30 December 2031.", use_inner_text=True
    )
    assert serious_accessibility_issues(page) == []

    # A program named as a PDF is refused beside the field, with the answer still there.
    (tmp_path / "minutes.pdf").write_bytes(b"MZ\x90\x00" + b"\x00" * 64)
    page.get_by_label("Progress update").fill("Text typed after the documents were added.")
    page.get_by_label("Add a document (optional)").set_input_files(str(tmp_path / "minutes.pdf"))
    page.get_by_label("Internal: national staff only").check()
    page.get_by_role("button", name="Add document").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The selected file must be a PDF", use_inner_text=True)
    expect(page.get_by_label("Progress update")).to_have_value("Text typed after the documents were added.")
    assert serious_accessibility_issues(page) == []

    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(re.escape("/answers/tvip-super-complaint/2a/")))
    page.goto(f"{base}/forces/west-midlands/rounds/{open_round.slug}/check/")
    assert serious_accessibility_issues(page) == []
    page.get_by_role("button", name="Submit return").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Return submitted", use_inner_text=True)
    assert serious_accessibility_issues(page) == []

    submitted = StatusUpdate.objects.get(
        round=open_round, force__slug="west-midlands", recommendation__reference="1", is_latest_submitted=True
    )
    documents = list(EvidenceDocument.objects.filter(version=submitted))
    assert sorted((row.name, row.publishable) for row in documents) == [
        ("hba-policy.pdf", False),
        ("training-plan.docx", True),
    ]
    urls = [f"{answer}documents/{row.pk}/" for row in documents]

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "portfolio")
    page.goto(f"{base}/dashboard/rounds/{open_round.slug}/recommendations/tvip-super-complaint/1/forces/west-midlands/")
    expect(page.locator("#evidence-documents")).to_contain_text("hba-policy.pdf", use_inner_text=True)
    expect(page.locator("#evidence-documents")).to_contain_text("training-plan.docx", use_inner_text=True)
    assert serious_accessibility_issues(page) == []
    plan = page.locator(".govuk-summary-card", has_text="Publish the rewritten HBA policy")
    expect(plan).to_contain_text("Target moved once: first 30 June 2031, now 30 December 2031.", use_inner_text=True)
    expect(plan).to_contain_text("The force policy board meets in December.", use_inner_text=True)
    expect(page.locator(".govuk-summary-card", has_text="Train every call handler")).to_contain_text("30 June 2032")
    with page.expect_download() as download:
        page.get_by_role("link", name="hba-policy.pdf").click()
    assert download.value.suggested_filename == "hba-policy.pdf"
    assert open(download.value.path(), "rb").read() == PDF

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "lead-kent")
    for url in urls:
        assert page.request.get(url).status == 404
