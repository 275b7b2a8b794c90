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
    assert list(rows[0]) == ["Force", "Recommendation", "Status", "Themes", "Narrative", "Submitted at", "Submitted by"]
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
    big = bulk_round(430, prefix="Big force", title="Big round")
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
    assert "40 out of the 43 forces responded" in page
    response = client.get(f"/dashboard/snapshots/{published.pk}/snapshot.docx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [(paragraph.style.name, paragraph.text) for paragraph in document.paragraphs]
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    assert "1. Introduction and background" in headings
    assert "2. Snapshot" in headings
    assert "2.6. Recommendation 3: Consideration of findings" in headings
    texts = [text for _, text in paragraphs]
    assert "40 out of the 43 forces responded to this request." in texts
    assert "15 out of the 43 forces answered this recommendation." in texts
    assert "Published 25 March 2024" in texts
    assert "One force has 54 dedicated HBA Champions to provide best practice and insights on HBA." in texts
    annex_start = texts.index("Annex A - The forces that responded")
    annex = [text for style, text in paragraphs[annex_start + 1 :] if style == "List Bullet"]
    assert len(annex) == 40 and "West Mercia" in annex
    assert not set(annex) & set(NOT_RESPONDED)
    assert annex == sorted(annex)
    first_table = document.tables[0]
    assert [cell.text for cell in first_table.rows[1].cells] == ["Complete", "30"]


def test_the_ods_has_a_sheet_per_recommendation_and_one_of_responding_forces(client, portfolio, published):
    client.force_login(portfolio)
    response = client.get(f"/dashboard/snapshots/{published.pk}/snapshot.ods")
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    sheets = read_ods(response.content)
    assert list(sheets) == [f"Recommendation {ref}" for ref in ["1", "2a", "2b", "2c", "2d", "3"]] + [
        "Forces that responded"
    ]
    third = dict((row[0], row[1]) for row in sheets["Recommendation 3"] if len(row) >= 2)
    assert (third["Forces asked"], third["Forces answered"], third["No response"]) == ("43", "15", "28")
    first = dict((row[0], row[1]) for row in sheets["Recommendation 1"] if len(row) >= 2)
    assert (first["Forces answered"], first["Complete"], first["Will not implement"]) == ("40", "30", "0")
    assert first["Theme: Specific HBA policy or SOP"] == "5"
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
    for name in ("_snapshot_docx", "_snapshot_ods"):
        original = getattr(exports, name)
        monkeypatch.setattr(
            exports, name, lambda *args, original=original, name=name: built.append(name) or original(*args)
        )
    client.force_login(portfolio)
    for _ in range(3):
        docx_bytes = client.get(f"/dashboard/snapshots/{published.pk}/snapshot.docx").content
        ods_bytes = client.get(f"/dashboard/snapshots/{published.pk}/snapshot.ods").content
    assert built == ["_snapshot_docx", "_snapshot_ods"]
    assert "Published 25 March 2024" in [
        paragraph.text for paragraph in docx.Document(io.BytesIO(docx_bytes)).paragraphs
    ]
    assert "Recommendation 3" in read_ods(ods_bytes)


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
    third = dict((row[0], row[1]) for row in read_ods(client.get(url).content)["Recommendation 3"] if len(row) >= 2)
    assert third["Forces answered"] == "15"
    StatusUpdate.objects.filter(round=round, recommendation__reference="3", force__name="Cheshire").update(
        is_latest_submitted=False
    )
    third = dict((row[0], row[1]) for row in read_ods(client.get(url).content)["Recommendation 3"] if len(row) >= 2)
    assert third["Forces answered"] == "14"


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
