"""The offline return: download, fill in, upload; a file with any problem changes nothing."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from recommendations.models import StatusUpdate

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def download(client, round):
    response = client.get(f"/forces/west-midlands/rounds/{round.slug}/return.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def as_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, round, data: bytes, name="return.xlsx"):
    return client.post(f"/forces/west-midlands/rounds/{round.slug}/upload/", {"file": SimpleUploadedFile(name, data)})


def stored():
    return list(
        StatusUpdate.objects.order_by("pk").values_list(
            "recommendation__reference", "version", "state", "status", "narrative"
        )
    )


def fill(
    sheet, reference, *, status="In progress", narrative="Written offline.", force=None, evidence=None, reason=None
):
    for row in sheet.iter_rows(min_row=5):
        if row[1].value == reference:
            row[3].value = status
            row[4].value = narrative
            row[4].data_type = "s"  # as a person typing text would store it, even text starting with "="
            if force is not None:
                row[0].value = force
            if evidence is not None:
                row[5].value = evidence
            if reason is not None:
                row[6].value = reason
            return
    raise AssertionError(f"no row for {reference}")


def test_a_return_written_by_openpyxl_round_trips_as_drafts(client, lead_a, open_round):
    client.force_login(lead_a)
    workbook = download(client, open_round)
    sheet = workbook.active
    assert [cell.value for cell in sheet[4]][:4] == ["Force", "Reference", "Recommendation", "Status"]
    assert [row[1].value for row in sheet.iter_rows(min_row=5)] == ["1", "2"]
    fill(
        sheet,
        "1",
        status="Complete",
        narrative="=SUM(A1) is just text here.\nSecond line.",
        evidence="https://example.police.uk/sop",
    )

    response = upload(client, open_round, as_bytes(workbook))

    assert response.status_code == 302
    assert response["Location"] == f"/forces/west-midlands/rounds/{open_round.slug}/check/"
    assert stored() == [("1", 1, "draft", "complete", "=SUM(A1) is just text here.\nSecond line.")]
    assert StatusUpdate.objects.get().evidence == "https://example.police.uk/sop"
    # Downloading again shows the saved answer, and uploading it unchanged changes nothing.
    again = download(client, open_round)
    assert again.active["E5"].value == "=SUM(A1) is just text here.\nSecond line."
    assert again.active["E5"].data_type == "s"
    upload(client, open_round, as_bytes(again))
    assert len(stored()) == 1


def test_a_return_saved_by_libreoffice_calc_is_read(client, lead_a, open_round):
    """tests/fixtures/return-libreoffice.xlsx: a downloaded return, filled in and saved by LibreOffice Calc."""
    client.force_login(lead_a)
    data = (FIXTURES / "return-libreoffice.xlsx").read_bytes()
    assert b"LibreOffice" in zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml")
    response = upload(client, open_round, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert stored() == [
        ("1", 1, "draft", "in_progress", "Filled in with LibreOffice Calc: policy under review."),
        ("2", 1, "draft", "planned", "Training planned for spring."),
    ]


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"status": "Nearly there"}, "Row 5, column D: &quot;Nearly there&quot; is not a status"),
        (
            {"narrative": "z" * 10_001},
            "Row 5, column E: The progress update must be 10,000 characters or fewer; it has 10,001",
        ),
        ({"force": "Kent"}, "Row 5, column A: This row is for Kent; you can only upload West Midlands&#x27;s answers"),
        ({"status": "Not applicable", "reason": ""}, "Row 5, column G: Say why this recommendation does not apply"),
        ({"evidence": "see intranet"}, "Row 5, column F: Evidence link 1 is not a web address"),
    ],
)
def test_a_bad_row_is_reported_with_row_and_column_and_nothing_is_saved(client, lead_a, open_round, change, expected):
    client.force_login(lead_a)
    workbook = download(client, open_round)
    fill(workbook.active, "2", narrative="A good row that must not be saved either.")
    fill(workbook.active, "1", **change)
    response = upload(client, open_round, as_bytes(workbook))
    page = response.content.decode()
    assert response.status_code == 400
    assert "nothing was saved" in page
    assert expected in page
    assert stored() == []


def test_a_row_for_a_recommendation_outside_the_round_is_refused(client, lead_a, open_round):
    client.force_login(lead_a)
    workbook = download(client, open_round)
    workbook.active.append(["West Midlands", "9z", "", "Complete", "Not in this round."])
    response = upload(client, open_round, as_bytes(workbook))
    assert "Row 7, column B: Recommendation &quot;9z&quot; is not part of" in response.content.decode()
    assert stored() == []


def test_an_alias_of_the_force_is_accepted(client, lead_a, open_round):
    client.force_login(lead_a)
    workbook = download(client, open_round)
    fill(workbook.active, "1", force="West Midlands Police")
    assert upload(client, open_round, as_bytes(workbook)).status_code == 302
    assert len(stored()) == 1


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"Force,Reference\nWest Midlands,1\n", "The file is not an Excel workbook (.xlsx)"),
        (b"%PDF-1.7 not a spreadsheet", "The file is not an Excel workbook (.xlsx)"),
        (b"PK\x03\x04" + b"\x00" * 200, "is not an Excel workbook"),
        (b"x" * (1024 * 1024 + 10), "The file is larger than 1,024 KB"),
        (zip_bomb(), "expands to far more than a return could hold"),
    ],
    ids=["csv", "pdf", "broken-zip", "too-large", "zip-bomb"],
)
def test_files_that_are_not_returns_get_a_clear_message_and_change_nothing(client, lead_a, open_round, data, message):
    client.force_login(lead_a)
    response = upload(client, open_round, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored() == []


def test_an_empty_upload_is_refused(client, lead_a, open_round):
    client.force_login(lead_a)
    response = client.post(f"/forces/west-midlands/rounds/{open_round.slug}/upload/", {})
    assert "Select the spreadsheet to upload" in response.content.decode()


def test_another_forces_lead_cannot_download_or_upload(client, lead_a, lead_b, open_round):
    client.force_login(lead_b)
    assert client.get(f"/forces/west-midlands/rounds/{open_round.slug}/return.xlsx").status_code == 404
    assert upload(client, open_round, b"anything").status_code == 404
    assert stored() == []


def test_a_closed_round_refuses_uploads(client, lead_a, open_round):
    client.force_login(lead_a)
    workbook = download(client, open_round)
    fill(workbook.active, "1")
    open_round.closed = True
    open_round.save()
    assert upload(client, open_round, as_bytes(workbook)).status_code == 403
    assert stored() == []


# --- Hostile workbooks: each built here from the return the service hands out ---------------------


def rewrite(data: bytes, changes: dict) -> bytes:
    """The workbook with some parts' text changed (a function of the old text) or added (a string)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            change = changes.get(entry.filename)
            if callable(change):
                content = change(content.decode()).encode()
            target.writestr(entry, content)
        for name, change in changes.items():
            if isinstance(change, str):
                target.writestr(name, change)
    return buffer.getvalue()


def filled_return(client, round) -> bytes:
    workbook = download(client, round)
    fill(workbook.active, "1", narrative="MARKER text")
    return as_bytes(workbook)


def cell_e5(xml: str, replacement: str) -> str:
    """The sheet with cell E5 (recommendation 1's progress update) replaced."""
    import re

    changed, count = re.subn(r'<c r="E5"[^>]*>.*?</c>', replacement, xml, count=1, flags=re.DOTALL)
    assert count == 1
    return changed


SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
DTD = '<!DOCTYPE lolz [<!ENTITY lol "lol">]>'


def shared_text(text: str, *, dtd: bool = False) -> dict:
    """Cell E5's text moved into a shared-strings part, as Excel writes it (openpyxl writes it inline)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return {
        SHEET: lambda xml: cell_e5(xml, '<c r="E5" t="s"><v>1</v></c>'),
        STRINGS: (DTD if dtd else "")
        + f'<sst xmlns="{main}" count="2" uniqueCount="2"><si><t>Unused</t></si><si><t>{text}</t></si></sst>',
        "[Content_Types].xml": lambda xml: xml.replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
            "</Relationships>",
            '<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
        ),
    }


def with_dtd(xml: str) -> str:
    head, _, rest = xml.partition("?>")
    return f"{head}?>{DTD}{rest}" if rest else DTD + xml


HOSTILE = {
    "raw-nul-in-shared-text": (shared_text("MAR\x00KER"), "Cell E5 contains a null"),
    "nul-reference-in-shared-text": (
        shared_text("MAR&#0;KER"),
        "Cell E5 contains a null",
    ),
    "hex-nul-reference-in-the-sheet": (
        {SHEET: lambda xml: cell_e5(xml, '<c r="E5" t="inlineStr"><is><t>MAR&#x0;KER</t></is></c>')},
        "Cell E5 contains a null",
    ),
    "raw-nul-in-the-sheet": (
        {SHEET: lambda xml: cell_e5(xml, '<c r="E5" t="inlineStr"><is><t>MAR\x00KER</t></is></c>')},
        "Cell E5 contains a null",
    ),
    "formula-with-a-cached-value": (
        {
            SHEET: lambda xml: cell_e5(
                xml, '<c r="E5" t="str"><f>CONCAT("Policy ","published")</f><v>Policy published</v></c>'
            )
        },
        "Row 5, column E: Cell E5 holds a formula (=CONCAT(",
    ),
    "formula-without-a-cached-value": (
        {SHEET: lambda xml: cell_e5(xml, '<c r="E5"><f>C5</f></c>')},
        "Row 5, column E: Cell E5 holds a formula (=C5)",
    ),
    "external-link-in-a-cell": (
        {SHEET: lambda xml: cell_e5(xml, '<c r="E5" t="str"><f>[1]Sheet1!A1</f><v>Their text</v></c>')},
        "Cell E5 reads from another workbook (=[1]Sheet1!A1)",
    ),
    "external-link-part": (
        {
            "xl/externalLinks/externalLink1.xml": '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
        },
        "The file links to another workbook",
    ),
    "dtd-in-the-content-types": (
        {"[Content_Types].xml": with_dtd},
        "document type declaration (in [Content_Types].xml)",
    ),
    "dtd-in-the-workbook": ({"xl/workbook.xml": with_dtd}, "document type declaration (in xl/workbook.xml)"),
    "dtd-in-the-sheet": ({SHEET: with_dtd}, "document type declaration (in xl/worksheets/sheet1.xml)"),
    "dtd-in-the-shared-text": (shared_text("MARKER", dtd=True), "document type declaration (in xl/sharedStrings.xml)"),
    "dtd-in-the-properties": ({"docProps/core.xml": with_dtd}, "document type declaration (in docProps/core.xml)"),
    "dtd-in-a-relationship-part": ({"_rels/.rels": with_dtd}, "document type declaration (in _rels/.rels)"),
    "character-xml-forbids-in-the-sheet": (
        {SHEET: lambda xml: cell_e5(xml, '<c r="E5" t="inlineStr"><is><t>a&#1;b</t></is></c>')},
        "The file could not be read as an Excel workbook",
    ),
    "sheet-that-is-not-xml": (
        {SHEET: lambda xml: xml[: len(xml) // 2]},
        "The file could not be read as an Excel workbook",
    ),
}


@pytest.mark.parametrize("changes, message", list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_hostile_workbook_is_refused_with_a_message_naming_the_cell_and_nothing_is_saved(
    client, lead_a, open_round, changes, message
):
    client.force_login(lead_a)
    data = rewrite(filled_return(client, open_round), changes)
    response = upload(client, open_round, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (
        "Nothing was saved" in response.content.decode()
        or "not read" in response.content.decode()
        or "not opened" in response.content.decode()
    )
    assert stored() == []


@pytest.mark.parametrize("changes", [{}, shared_text("Shared MARKER text")], ids=["inline", "shared"])
def test_the_hostile_files_start_from_a_workbook_that_is_accepted(client, lead_a, open_round, changes):
    """The files above differ from an accepted one only in what each case changes."""
    client.force_login(lead_a)
    assert upload(client, open_round, rewrite(filled_return(client, open_round), changes)).status_code == 302
    assert "MARKER text" in stored()[0][4]
