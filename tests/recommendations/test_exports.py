"""Downloads: the snapshot as DOCX and ODS and a round's answers as CSV, read back and checked
against the figures the snapshot page shows (seed 001's: 40 out of 43, 15 for recommendation 3)."""

import csv
import io

import docx
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from odf import teletype
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow

from recommendations.exports import csv_safe
from recommendations.models import Round, Snapshot, StatusUpdate
from recommendations.snapshots import snapshot_draft
from tests.recommendations.test_dashboard import bulk_round

pytestmark = pytest.mark.django_db

MARCH = "progress-update-march-2024"
NOT_RESPONDED = ["Dyfed-Powys", "Essex", "Kent"]


@pytest.fixture
def published(demo):
    return Snapshot.objects.get(state="published")


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def read_ods(content: bytes) -> dict[str, list[list[str]]]:
    document = load(io.BytesIO(content))
    return {
        sheet.getAttribute("name"): [
            [teletype.extractText(cell) for cell in row.getElementsByType(TableCell)]
            for row in sheet.getElementsByType(TableRow)
        ]
        for sheet in document.spreadsheet.getElementsByType(Table)
    }


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+44 121 000", "'+44 121 000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rcarriage", "'\rcarriage"),
        ("West Midlands", "West Midlands"),
        ("a = b", "a = b"),
        ("", ""),
        (None, ""),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_get_a_leading_apostrophe(value, written):
    assert csv_safe(value) == written


def test_the_answers_csv_streams_one_row_per_force_and_recommendation(client, portfolio, demo):
    client.force_login(portfolio)
    response = client.get(f"/dashboard/rounds/{MARCH}/answers.csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{MARCH}-answers.csv"'
    rows = read_csv(response)
    assert list(rows[0]) == [
        "Force",
        "Report",
        "Recommendation",
        "Status",
        "Themes",
        "Narrative",
        "Evidence documents",
        "Submitted at",
        "Submitted by",
        "Reused from",
    ]
    assert len(rows) == 40 * 5 + 15
    assert len({row["Force"] for row in rows}) == 40
    assert not {row["Force"] for row in rows} & set(NOT_RESPONDED)
    assert sum(row["Recommendation"] == "3" for row in rows) == 15
    west_midlands = next(row for row in rows if row["Force"] == "West Midlands" and row["Recommendation"] == "1")
    assert west_midlands["Status"] == "Complete"
    assert "Specific HBA policy or SOP" in west_midlands["Themes"].split("; ")
    assert west_midlands["Submitted by"] == "lead-west-midlands"
    assert west_midlands["Narrative"].startswith("Quoted from the West Midlands")


def test_the_answers_csv_neutralises_formulas_in_what_forces_wrote(client, portfolio, demo):
    answer = StatusUpdate.objects.get(
        round__slug=MARCH, force__name="Surrey", recommendation__reference="1", is_latest_submitted=True
    )
    StatusUpdate.objects.filter(pk=answer.pk).update(narrative='=HYPERLINK("http://evil.invalid","Click")')
    client.force_login(portfolio)
    rows = read_csv(client.get(f"/dashboard/rounds/{MARCH}/answers.csv"))
    surrey = next(row for row in rows if row["Force"] == "Surrey" and row["Recommendation"] == "1")
    assert surrey["Narrative"] == '\'=HYPERLINK("http://evil.invalid","Click")'


def test_the_answers_csv_makes_the_same_queries_however_many_answers(client, portfolio):
    client.force_login(portfolio)
    small = bulk_round(10, prefix="Small force")
    big = bulk_round(430, prefix="Big force", title="Big round", report_slug="big-report")
    counts = []
    for round in [small, big]:
        with CaptureQueriesContext(connection) as queries:
            rows = read_csv(client.get(f"/dashboard/rounds/{round.slug}/answers.csv"))
        counts.append(len(queries))
        assert rows
    # Session, user, permissions, the round, the themes, the answers (one select_related query,
    # fetched in chunks): no query per row.
    assert counts[0] == counts[1]


def test_the_docx_has_the_figures_the_snapshot_page_shows(client, portfolio, published):
    client.force_login(portfolio)
    page = client.get(f"/dashboard/snapshots/{published.pk}/").content.decode()
    assert "40 out of the 43 forces from across England and Wales responded" in page
    response = client.get(f"/dashboard/snapshots/{published.pk}/snapshot.docx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    document = docx.Document(io.BytesIO(response.content))
    assert document.styles["Normal"].font.name == "Arial"
    paragraphs = [(paragraph.style.name, paragraph.text) for paragraph in document.paragraphs]
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    assert "1. Introduction and background" in headings
    assert "2. Snapshot" in headings
    assert any(
        heading.startswith("2.6. Recommendation 3: The NPCC and the College of Policing") for heading in headings
    )
    texts = [text for _, text in paragraphs]
    assert any(text.startswith("1.2. 40 out of the 43 forces from across England and Wales") for text in texts)
    assert "15 out of the 43 forces answered this recommendation." in texts
    assert (
        "Not all forces answered this recommendation: 15 of 43 did, so its figures should not be viewed as representative."
        in texts
    )
    assert "Published 25 March 2024" in texts
    assert "One force has 54 dedicated HBA Champions to provide best practice and insights on HBA." in texts
    annex_start = texts.index("Annex A - The forces that responded")
    annex = [text for style, text in paragraphs[annex_start + 1 :] if style == "List Bullet"]
    assert len(annex) == 40 and "West Mercia" in annex
    assert not set(annex) & set(NOT_RESPONDED)
    assert annex == sorted(annex)
    # Seed 001 publishes no status tables, and nor does the demo: no table, no "No response" row.
    assert document.tables == [] and "No response" not in texts


def test_the_ods_has_a_cover_sheet_then_one_tidy_table_per_sheet(client, portfolio, published):
    client.force_login(portfolio)
    response = client.get(f"/dashboard/snapshots/{published.pk}/snapshot.ods")
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    sheets = read_ods(response.content)
    assert list(sheets) == ["Cover", "Responses", "Forces that responded"]
    cover = [row[0] for row in sheets["Cover"]]
    assert cover[0] == "Updated NPCC response to TVIP super-complaint"
    assert cover[1] == "Published 25 March 2024"
    assert cover[2].startswith("Source: NPCC Honour-Based Abuse, Forced Marriage and FGM portfolio")
    assert "Notes:" in cover and any("Recommendation 3: Not all forces answered" in line for line in cover)
    assert cover[-1].startswith("Contact: ")
    responses = sheets["Responses"]
    assert responses[0] == ["Recommendation", "Title", "Forces asked", "Forces answered"]
    third = next(row for row in responses if row[0] == "3")
    assert (third[2], third[3]) == ("43", "15")
    forces = [row[0] for row in sheets["Forces that responded"][1:]]
    assert len(forces) == 40 and "West Mercia" in forces
    assert not set(forces) & set(NOT_RESPONDED)


def test_downloads_of_a_published_snapshot_do_not_change_when_answers_do(client, portfolio, published):
    client.force_login(portfolio)
    before = read_ods(client.get(f"/dashboard/snapshots/{published.pk}/snapshot.ods").content)
    StatusUpdate.objects.filter(round__slug=MARCH, recommendation__reference="3").update(is_latest_submitted=False)
    cache.clear()  # built again from the snapshot, not read from the cache
    after = read_ods(client.get(f"/dashboard/snapshots/{published.pk}/snapshot.ods").content)
    assert after == before


def test_a_published_snapshots_downloads_are_built_once(client, portfolio, published, monkeypatch):
    from recommendations import exports

    built = []
    for name in ("render_docx", "render_ods"):
        original = getattr(exports, name)
        monkeypatch.setattr(
            exports, name, lambda *args, original=original, name=name: built.append(name) or original(*args)
        )
    client.force_login(portfolio)
    for _ in range(3):
        docx_bytes = client.get(f"/dashboard/snapshots/{published.pk}/snapshot.docx").content
        ods_bytes = client.get(f"/dashboard/snapshots/{published.pk}/snapshot.ods").content
    assert built == ["render_docx", "render_ods"]
    assert "Published 25 March 2024" in [
        paragraph.text for paragraph in docx.Document(io.BytesIO(docx_bytes)).paragraphs
    ]
    assert "Responses" in read_ods(ods_bytes)


def test_text_corrected_in_a_published_snapshot_is_in_its_next_docx(client, portfolio, published):
    client.force_login(portfolio)
    url = f"/dashboard/snapshots/{published.pk}/snapshot.docx"
    client.get(url)
    # The admin can still correct a published snapshot's text (its figures are read-only there).
    section = published.sections.get(recommendation__reference="3")
    section.summary = "Corrected summary of recommendation 3."
    section.save()
    Snapshot.objects.filter(pk=published.pk).update(title="Corrected title")
    texts = [paragraph.text for paragraph in docx.Document(io.BytesIO(client.get(url).content)).paragraphs]
    assert "Corrected summary of recommendation 3." in texts
    assert "Corrected title" in texts


def test_a_draft_snapshots_downloads_follow_its_round(client, portfolio, demo):
    client.force_login(portfolio)
    round = Round.objects.get(slug=MARCH)
    draft = snapshot_draft(round=round, user=portfolio)
    url = f"/dashboard/snapshots/{draft.pk}/snapshot.ods"
    third = next(row for row in read_ods(client.get(url).content)["Responses"] if row[0] == "3")
    assert third[3] == "15"
    StatusUpdate.objects.filter(round=round, recommendation__reference="3", force__name="Cheshire").update(
        is_latest_submitted=False
    )
    third = next(row for row in read_ods(client.get(url).content)["Responses"] if row[0] == "3")
    assert third[3] == "14"


def test_a_lead_is_refused_every_download(client, lead_b, published):
    client.force_login(lead_b)
    for url in [
        f"/dashboard/snapshots/{published.pk}/snapshot.docx",
        f"/dashboard/snapshots/{published.pk}/snapshot.ods",
        f"/dashboard/rounds/{MARCH}/answers.csv",
    ]:
        assert client.get(url).status_code == 403, url


def test_anonymous_people_are_sent_to_sign_in_for_downloads(client, published):
    for url in [
        f"/dashboard/snapshots/{published.pk}/snapshot.docx",
        f"/dashboard/snapshots/{published.pk}/snapshot.ods",
        f"/dashboard/rounds/{MARCH}/answers.csv",
    ]:
        assert client.get(url)["Location"].startswith("/accounts/login/"), url
