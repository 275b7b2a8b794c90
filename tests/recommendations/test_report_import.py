"""Importing a report's recommendations from XLSX or CSV in the admin: a good file creates the report;
a file with any problem changes nothing and lists every problem with its row and column."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from recommendations.models import AuditEvent, FiguresRevision, Recommendation, Report
from tests.factories import ReportFactory, UserFactory
from tests.recommendations.test_spreadsheet_return import rewrite, with_dtd

pytestmark = pytest.mark.django_db

IMPORT = "/admin/recommendations/report/import/"
HEADINGS = ["Reference", "Parent", "Short title", "Full text", "Addressee", "As one sentence"]
DETAILS = {
    "title": "Honour-based abuse: a second thematic report",
    "short_title": "HBA thematic",
    "slug": "hba-thematic",
    "publishers": "HMICFRS",
    "published_on": "2026-11-20",
    "url": "https://example.invalid/hba-thematic",
}
# A parent ("2") after its parts, addressees typed as labels and as values in any case.
GOOD_ROWS = [
    ["1", "", "Risk assessment", "Chief constables should assess the risk of honour-based abuse.", "Chief constables"],
    ["2a", "2", "Training", "Forces should train call handlers.", "chief_constables"],
    ["2b", "2", "Guidance", "Forces should publish guidance.", "CHIEF CONSTABLES"],
    [
        "2",
        "",
        "Cultural awareness",
        "Forces should improve cultural awareness:",
        "National bodies (NPCC, College of Policing)",
    ],
    ["3", "", "Commissioned services", "Commissioners should review services.", "police and crime commissioners"],
]
EXPECTED = [
    # reference, parent, order, addressee
    ("1", None, 1, "chief_constables"),
    ("2a", "2", 2, "chief_constables"),
    ("2b", "2", 3, "chief_constables"),
    ("2", None, 4, "national_bodies"),
    ("3", None, 5, "pccs"),
]


def xlsx(rows, *, headings=HEADINGS[:5], above=()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in [*above, headings, *rows]:
        sheet.append(list(row))
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # as typed text, even text starting with "="
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, headings=HEADINGS[:5], encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([headings, *rows])
    return buffer.getvalue().encode(encoding)


def post(client, data: bytes, name="recommendations.xlsx", **details):
    return client.post(IMPORT, {**DETAILS, **details, "file": SimpleUploadedFile(name, data)})


def database():
    """Every table an import writes: the report, its recommendations, their history, the audit trail,
    and the figures' revision the triggers raise."""
    return {
        "reports": Report.objects.count(),
        "recommendations": Recommendation.objects.count(),
        "report history": Report.history.count(),
        "recommendation history": Recommendation.history.count(),
        "audit events": AuditEvent.objects.count(),
        "figures revisions": list(FiguresRevision.objects.order_by("scope").values_list("scope", "number")),
    }


def stored(slug="hba-thematic"):
    return [
        (item.reference, item.parent.reference if item.parent else None, item.order, item.addressee)
        for item in Recommendation.objects.filter(report__slug=slug).select_related("parent").order_by("order")
    ]


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_report_list_offers_the_import_and_the_page_offers_both_templates(admin_client):
    page = admin_client.get("/admin/recommendations/report/").content.decode()
    assert f'<a href="{IMPORT}">Import a report from a spreadsheet</a>' in page
    page = admin_client.get(IMPORT).content.decode()
    assert "<h1>Import a report from a spreadsheet</h1>" in page
    assert f'href="{IMPORT}template.xlsx"' in page and f'href="{IMPORT}template.csv"' in page
    assert admin_client.get(f"{IMPORT}template.pdf").status_code == 404


def test_a_good_xlsx_file_filled_into_the_template_creates_the_report(admin_client, admin_user):
    response = admin_client.get(f"{IMPORT}template.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Recommendations", "Instructions"]
    sheet = workbook["Recommendations"]
    assert "One row per recommendation" in sheet["A1"].value
    assert [cell.value for cell in sheet[3]] == HEADINGS
    for row in GOOD_ROWS:
        sheet.append([*row, "Forces assess the risk." if row[0] == "1" else None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = post(admin_client, buffer.getvalue())

    report = Report.objects.get(slug="hba-thematic")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/recommendations/report/{report.pk}/change/"
    assert (report.title, report.short_title, report.publishers, str(report.published_on)) == (
        DETAILS["title"],
        "HBA thematic",
        "HMICFRS",
        "2026-11-20",
    )
    assert stored() == EXPECTED
    one = Recommendation.objects.get(report=report, reference="1")
    assert (one.title, one.sentence) == ("Risk assessment", "Forces assess the risk.")
    page = admin_client.get(response["Location"]).content.decode()
    assert "The report “HBA thematic” was created with 5 recommendations from recommendations.xlsx." in page
    event = AuditEvent.objects.get(action=AuditEvent.Action.REPORT_IMPORTED)
    assert event.actor == admin_user
    assert event.summary == "admin imported the report “HBA thematic” with 5 recommendations from a spreadsheet"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8"], ids=["with-bom", "without-bom"])
def test_a_good_csv_file_creates_the_report_whatever_the_case_and_order_of_its_columns(admin_client, encoding):
    headings = ["ADDRESSEE", "reference", "Full Text", "short title", "Parent", "as one sentence"]
    rows = [[row[4], row[0], row[3], row[2], row[1], "Café au lait – “quoted”"] for row in GOOD_ROWS]
    response = post(admin_client, csv_bytes(rows, headings=headings, encoding=encoding), "recommendations.csv")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert stored() == EXPECTED
    assert Recommendation.objects.get(reference="3").sentence == "Café au lait – “quoted”"


def test_the_csv_template_round_trips(admin_client):
    response = admin_client.get(f"{IMPORT}template.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0].startswith("One row per recommendation") and rows[1] == HEADINGS
    rows = io.StringIO(newline="")
    csv.writer(rows).writerows(GOOD_ROWS)
    filled = response.content + rows.getvalue().encode()
    assert post(admin_client, filled, "filled.csv").status_code == 302
    assert stored() == EXPECTED


def test_a_bad_file_lists_every_problem_with_its_row_and_column_and_changes_nothing(admin_client):
    ReportFactory(slug="existing")
    before = database()
    rows = [
        ["", "", "No reference", "Text.", "Chief constables"],  # row 2
        ["1", "", "", "", "Chief constables"],  # row 3
        ["1", "", "Twice", "Text.", "Everyone"],  # row 4
        ["x" * 21, "", "Too long", "Text.", "Chief constables"],  # row 5
        ["2a", "9", "Orphan", "Text.", "Chief constables"],  # row 6
        ["2", "", "Parent", "Text.", "Chief constables"],  # row 7
        ["2b", "2", "A part", "Text.", "Chief constables"],  # row 8
        ["2b1", "2b", "A part of a part", "Text.", "Chief constables"],  # row 9
        ["4", "", "t" * 301, "Text with a bell \x07 in it.", ""],  # row 10
        ["5", "5", "Its own parent", "z" * 10_001, "Chief constables"],  # row 11
    ]
    response = post(admin_client, csv_bytes(rows, headings=[*HEADINGS[:5], "Notes"]), "bad.csv")

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem with the file: no report was created" in page
    for expected in [
        "Row 1, column F: “Notes” is not a column of this file",
        "Row 2, column A: Enter the recommendation’s reference",
        "Row 3, column C: Enter a short title",
        "Row 3, column D: Enter the recommendation’s full text",
        "Row 4, column A: Reference “1” is also on row 3",
        "Row 4, column E: “Everyone” is not an addressee: use one of Chief constables; Police and crime commissioners",
        "Row 5, column A: The reference must be 20 characters or fewer; it has 21",
        "Row 6, column B: “9” is not a reference in this file",
        "Row 8, column B: 2b has parts of its own, so it cannot be a part",
        "Row 9, column B: 2b is itself a part: choose the recommendation it is a part of",
        "Row 10, column C: The short title must be 300 characters or fewer; it has 301",
        "Row 10, column D: The text contains a control character (U+0007)",
        "Row 10, column E: Enter who the recommendation is addressed to",
        "Row 11, column B: A recommendation cannot be a part of itself",
        "Row 11, column D: The full text must be 10,000 characters or fewer; it has 10,001",
    ]:
        assert expected.replace("’", "&#x27;") in page.replace("’", "&#x27;"), expected
    assert "The file has 15 problems. No report was created" in page
    assert page.count('<a href="#id_file">') == 15
    # What was typed is kept; nothing was saved.
    assert 'value="Honour-based abuse: a second thematic report"' in page
    assert 'value="hba-thematic"' in page
    assert database() == before


def test_a_problem_in_the_details_and_in_the_file_are_both_listed(admin_client):
    ReportFactory(slug="hba-thematic")
    before = database()
    response = post(admin_client, csv_bytes([["1", "", "Title", "Text.", "Nobody"]]), "r.csv", published_on="")
    page = response.content.decode()
    assert response.status_code == 400
    # The summary lists the details' errors first, as the page has them, then the file's.
    summary = page[page.index("govuk-error-summary") : page.index("</ul>")]
    assert summary.index('<a href="#id_slug">Report with this Slug already exists.</a>') < summary.index(
        '<a href="#id_published_on">This field is required.</a>'
    )
    assert '<a href="#id_file">Row 2, column E: “Nobody” is not an addressee' in summary
    assert database() == before


def test_good_file_with_a_bad_detail_creates_nothing_and_keeps_the_details(admin_client):
    before = database()
    response = post(admin_client, xlsx(GOOD_ROWS), url="not a link")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid URL." in page
    assert 'value="HBA thematic"' in page
    assert database() == before


def _nul_in_a_cell(data: bytes) -> bytes:
    return rewrite(data, {"xl/worksheets/sheet1.xml": lambda xml: xml.replace("Risk assessment", "Risk&#0;assessment")})


def _formula() -> bytes:
    """openpyxl writes a cell whose text starts with "=" as a formula unless told it is text."""
    workbook = Workbook()
    workbook.active.append(HEADINGS[:5])
    workbook.active.append(["1", "", "Title", '=CONCAT("a","b")', "Chief constables"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HOSTILE = {
    "not-a-spreadsheet": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        "r.csv",
        "is not a spreadsheet",
    ),
    "renamed-binary": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "r.xlsx", "is not an Excel workbook (.xlsx)"),
    "renamed-text": (b"Reference,Parent\n1,\n", "r.xlsx", "is not an Excel workbook (.xlsx)"),
    "text-starting-like-a-zip": (b"PK,Reference\n", "r.csv", "The header row has no Parent column"),
    "old-excel": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "r.xls", "the old Excel format (.xls)"),
    "broken-zip": (b"PK\x03\x04" + b"\x00" * 200, "r.xlsx", "is not an Excel workbook"),
    "formula": (_formula(), "r.xlsx", "Row 2, column D: Cell D2 holds a formula (=CONCAT("),
    "nul-in-the-workbook": (_nul_in_a_cell(xlsx(GOOD_ROWS)), "r.xlsx", "Cell C2 contains a null character"),
    "nul-in-the-csv": (
        csv_bytes([["1", "", "Ti\x00tle", "Text.", "Chief constables"]]),
        "r.csv",
        "Row 2, column C: The text contains a null character",
    ),
    "dtd": (
        rewrite(xlsx(GOOD_ROWS), {"xl/workbook.xml": with_dtd}),
        "r.xlsx",
        "document type declaration (in xl/workbook.xml)",
    ),
    "huge": (b"Reference," + b"x" * (1024 * 1024), "r.csv", "The file is larger than 1,024 KB"),
    "latin-1-csv": (
        csv_bytes([["1", "", "Café", "Text.", "Chief constables"]], encoding="latin-1"),
        "r.csv",
        "is not saved as UTF-8",
    ),
    "utf-16-csv": (csv_bytes(GOOD_ROWS, encoding="utf-16"), "r.csv", "is not saved as UTF-8"),
    "blank": (b" \n,,,\n", "r.csv", "The file is empty"),
    "header-only": (csv_bytes([]), "r.csv", "The file has a header row but no recommendations"),
    "header-only-xlsx": (xlsx([]), "r.xlsx", "The file has a header row but no recommendations"),
    "no-header": (
        csv_bytes([["1", "", "Title", "Text.", "Chief constables"]], headings=["a", "b"]),
        "r.csv",
        "The file has no header row",
    ),
    "missing-columns": (
        csv_bytes([["1"]], headings=["Reference", "Title"]),
        "r.csv",
        "Row 1: The header row has no Short title column",
    ),
}


@pytest.mark.parametrize("data, name, message", list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_hostile_or_empty_file_gets_a_clear_message_and_changes_nothing(admin_client, data, name, message):
    before = database()
    response = post(admin_client, data, name)
    assert response.status_code == 400
    assert message.replace("“", "&#x27;") in response.content.decode().replace("“", "&#x27;")
    assert database() == before


def test_an_empty_upload_is_refused(admin_client):
    before = database()
    response = post(admin_client, b"", "empty.csv")
    assert response.status_code == 400
    assert "The file you selected is empty" in response.content.decode()
    response = admin_client.post(IMPORT, DETAILS)
    assert "Select the file of the report’s recommendations".replace("’", "&#x27;") in response.content.decode()
    assert database() == before


def test_the_hostile_workbooks_start_from_a_workbook_that_is_accepted(admin_client):
    assert post(admin_client, rewrite(xlsx(GOOD_ROWS), {})).status_code == 302


def _staff(*codenames):
    user = UserFactory(username="editor", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_report", *codenames]))
    return user


def test_a_user_with_both_add_permissions_may_import(client):
    client.force_login(_staff("add_report", "add_recommendation"))
    assert IMPORT in client.get("/admin/recommendations/report/").content.decode()
    assert client.get(IMPORT).status_code == 200
    assert client.get(f"{IMPORT}template.csv").status_code == 200
    assert post(client, xlsx(GOOD_ROWS)).status_code == 302
    assert stored() == EXPECTED


@pytest.mark.parametrize("codenames", [(), ("add_report",), ("add_recommendation",)])
def test_a_user_without_both_add_permissions_is_refused(client, codenames):
    client.force_login(_staff(*codenames))
    before = database()
    assert IMPORT not in client.get("/admin/recommendations/report/").content.decode()
    assert client.get(IMPORT).status_code == 403
    assert client.get(f"{IMPORT}template.xlsx").status_code == 403
    assert post(client, xlsx(GOOD_ROWS)).status_code == 403
    assert database() == before


def test_someone_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
