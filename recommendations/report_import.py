"""Importing a report's recommendations from an XLSX workbook or a CSV file, in the admin.

The file is checked as a whole before anything is saved, as the force's return is: every problem is
reported with its row and column, and a file with any problem creates nothing. An XLSX file is read
through the same guarded step as the return (workbooks.read_first_sheet); a CSV file with the csv
module, in UTF-8 (with or without a byte-order mark).

Columns (any order, names in any case): Reference, Parent, Short title, Full text, Addressee, and
optionally As one sentence. Rows above the header row (an instruction) are skipped; the rows' order
is the recommendations' order in the report.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import rules
from .audit import audit_record
from .forms import is_control_character
from .models import AuditEvent, Recommendation, Report
from .workbooks import NOT_A_WORKBOOK, Problem, UnreadableFile, read_first_sheet, too_large

KIND = "A report's list of recommendations"
MAX_ROWS = 500
MAX_COLUMNS = 20  # read this far to the right, so a column that is not ours is named
HEADER_SEARCH_ROWS = 10  # the header row is one of the first rows; any above it hold instructions
# The field has no limit; a file's cell does, and one recommendation's text is far shorter.
TEXT_MAX_LENGTH = 10_000
REFERENCE_MAX_LENGTH = Recommendation._meta.get_field("reference").max_length
TITLE_MAX_LENGTH = Recommendation._meta.get_field("title").max_length
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# (heading, width in the template, required)
COLUMNS = [
    ("Reference", 11, True),
    ("Parent", 9, True),
    ("Short title", 40, True),
    ("Full text", 80, True),
    ("Addressee", 32, True),
    ("As one sentence", 60, False),
]
HEADINGS = [heading for heading, _, _ in COLUMNS]
_KNOWN = {heading.lower(): heading for heading in HEADINGS}
ADDRESSEES = {
    **{value.lower(): value for value in Recommendation.Addressee.values},
    **{label.lower(): value for value, label in Recommendation.Addressee.choices},
}
ADDRESSEE_LABELS = [label for _, label in Recommendation.Addressee.choices]

NOT_A_SPREADSHEET = (
    "The file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file saved as UTF-8. Nothing was saved."
)
NOT_UTF8 = (
    "The CSV file is not saved as UTF-8, so its letters cannot be read reliably. In Excel choose "
    "Save As, \u201cCSV UTF-8 (Comma delimited)\u201d; in LibreOffice, Character set \u201cUnicode (UTF-8)\u201d. "
    "Nothing was saved."
)
OLD_EXCEL = "The file is in the old Excel format (.xls). Save it as an Excel workbook (.xlsx) and upload it again."


@dataclass(frozen=True)
class ImportedRecommendation:
    row: int
    order: int
    reference: str
    parent: str
    title: str
    text: str
    addressee: str
    sentence: str


# Reading


def read_recommendations(data: bytes, filename: str = "") -> tuple[list[ImportedRecommendation], list[Problem]]:
    """The recommendations in an uploaded file, or every problem in it (nothing is saved here).

    Raises UnreadableFile for a file that cannot be read at all. The type is told from the content;
    the name only chooses the clearer message for a file that is not what its name says.
    """
    if refusal := too_large(data, KIND):
        raise refusal
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # a zip archive, as every .xlsx is
        rows, formula_problems = read_first_sheet(
            data, max_rows=HEADER_SEARCH_ROWS + MAX_ROWS + 1, max_columns=MAX_COLUMNS, kind=KIND
        )
        found, problems = check_rows([[_cell_text(value) for value in row] for row in rows])
        if formula_problems:
            problems = sorted(formula_problems + problems, key=lambda problem: (problem.row or 0, problem.column or ""))
            return [], problems
        return found, problems
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(OLD_EXCEL)
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise UnreadableFile(NOT_A_WORKBOOK)
    return check_rows(_csv_rows(data))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a reference typed as 1 is read as 1.0
    return str(value)


def _csv_rows(data: bytes) -> list[list[str]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(NOT_UTF8)  # Excel's "Unicode text" is UTF-16
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        head = data[:1024]
        binary = b"\x00" in head or sum(byte < 9 or 13 < byte < 32 for byte in head) > 2
        raise UnreadableFile(NOT_A_SPREADSHEET if binary else NOT_UTF8) from None
    try:
        return list(csv.reader(io.StringIO(text, newline="")))[: HEADER_SEARCH_ROWS + MAX_ROWS + 1]
    except csv.Error as error:
        raise UnreadableFile(f"The file could not be read as CSV ({error}). Nothing was saved.") from None


# Checking


def check_rows(rows: list[list[str]]) -> tuple[list[ImportedRecommendation], list[Problem]]:
    """Check the file's rows (each a list of cell texts) as a whole: its recommendations if every row is
    right, else no recommendation and every problem, each with its row and column."""
    rows = [[cell.replace("\r\n", "\n").replace("\r", "\n") for cell in row] for row in rows]
    if not any(cell.strip() for row in rows for cell in row):
        return [], [Problem(None, None, "The file is empty: enter the report's recommendations below the header row.")]
    header_index = next(
        (
            index
            for index, row in enumerate(rows[:HEADER_SEARCH_ROWS])
            if any(cell.strip().lower() in _KNOWN for cell in row)
        ),
        None,
    )
    if header_index is None:
        return [], [
            Problem(
                None,
                None,
                "The file has no header row: name the columns " + ", ".join(HEADINGS[:-1]) + " (and, if you want, "
                "As one sentence), as the template does.",
            )
        ]
    header_row = header_index + 1
    columns, problems = _header(rows[header_index], header_row)
    if any(heading not in columns for heading, _, required in COLUMNS if required):
        return [], problems

    found: list[ImportedRecommendation] = []
    seen: dict[str, int] = {}
    body = [(number, row) for number, row in enumerate(rows[header_index + 1 :], start=header_row + 1)]
    body = [(number, row) for number, row in body if any(cell.strip() for cell in row)]
    if len(body) > MAX_ROWS:
        problems.append(Problem(None, None, f"The file has more than {MAX_ROWS} recommendations: split the report."))
        body = body[:MAX_ROWS]
    for order, (number, row) in enumerate(body, start=1):
        cells = {heading: (row[index] if index < len(row) else "") for heading, index in columns.items()}
        row_problems = [
            Problem(number, get_column_letter(columns[heading] + 1), message)
            for heading, message in _row_problems(cells, seen, number)
        ]
        problems.extend(row_problems)
        if not row_problems:
            found.append(
                ImportedRecommendation(
                    row=number,
                    order=order,
                    reference=cells["Reference"].strip(),
                    parent=cells["Parent"].strip(),
                    title=cells["Short title"].strip(),
                    text=cells["Full text"].strip(),
                    addressee=ADDRESSEES[cells["Addressee"].strip().lower()],
                    sentence=cells.get("As one sentence", "").strip(),
                )
            )
        reference = cells["Reference"].strip()
        if reference and reference not in seen:
            seen[reference] = number
    problems.extend(_parent_problems(body, columns))
    if not body:
        problems.append(
            Problem(None, None, "The file has a header row but no recommendations: enter one row per recommendation.")
        )
    problems.sort(key=lambda problem: (problem.row or 0, problem.column or ""))
    return ([] if problems else found), problems


def _header(cells: list[str], row: int) -> tuple[dict[str, int], list[Problem]]:
    """Where each known column is, and what is wrong with the header row."""
    columns: dict[str, int] = {}
    problems = []
    for index, cell in enumerate(cells):
        name = cell.strip()
        if not name:
            continue
        letter = get_column_letter(index + 1)
        heading = _KNOWN.get(name.lower())
        if heading is None:
            problems.append(
                Problem(
                    row, letter, f"\u201c{name}\u201d is not a column of this file: use " + ", ".join(HEADINGS) + "."
                )
            )
        elif heading in columns:
            first = get_column_letter(columns[heading] + 1)
            problems.append(Problem(row, letter, f"{heading} is a column twice (also column {first}): keep one."))
        else:
            columns[heading] = index
    for heading, _, required in COLUMNS:
        if required and heading not in columns:
            problems.append(Problem(row, None, f"The header row has no {heading} column."))
    return columns, problems


def _row_problems(cells: dict[str, str], seen: dict[str, int], number: int) -> list[tuple[str, str]]:
    """What is wrong with one row, by column heading; whether its parent is right is checked once
    every row is read (a part may come before its parent)."""
    problems = []
    for heading, value in cells.items():
        if control := next((char for char in value if is_control_character(char)), None):
            what = "a null character" if control == "\x00" else f"a control character (U+{ord(control):04X})"
            problems.append(
                (
                    heading,
                    f"The text contains {what}, which cannot be stored. Retype the text and upload the file again.",
                )
            )
    reference = cells["Reference"].strip()
    if not reference:
        problems.append(
            ("Reference", 'Enter the recommendation\u2019s reference, as the report numbers it ("1", "2a").')
        )
    elif len(reference) > REFERENCE_MAX_LENGTH:
        problems.append(
            (
                "Reference",
                f"The reference must be {REFERENCE_MAX_LENGTH} characters or fewer; it has {len(reference)}.",
            )
        )
    elif reference in seen:
        problems.append(("Reference", f"Reference \u201c{reference}\u201d is also on row {seen[reference]}."))
    title = cells["Short title"].strip()
    if not title:
        problems.append(("Short title", "Enter a short title for the recommendation."))
    elif len(title) > TITLE_MAX_LENGTH:
        problems.append(
            ("Short title", f"The short title must be {TITLE_MAX_LENGTH} characters or fewer; it has {len(title)}.")
        )
    for heading, what, required in (("Full text", "full text", True), ("As one sentence", "sentence", False)):
        text = cells.get(heading, "").strip()
        if required and not text:
            problems.append((heading, "Enter the recommendation\u2019s full text, as the report words it."))
        elif len(text) > TEXT_MAX_LENGTH:
            problems.append(
                (heading, f"The {what} must be {TEXT_MAX_LENGTH:,} characters or fewer; it has {len(text):,}.")
            )
    addressee = cells["Addressee"].strip()
    if addressee.lower() not in ADDRESSEES:
        choices = "; ".join(ADDRESSEE_LABELS)
        problems.append(
            (
                "Addressee",
                f"\u201c{addressee}\u201d is not an addressee: use one of {choices}."
                if addressee
                else f"Enter who the recommendation is addressed to: one of {choices}.",
            )
        )
    return problems


def _parent_problems(body: list[tuple[int, list[str]]], columns: dict[str, int]) -> list[Problem]:
    """Each part's parent is a recommendation in the file that is not itself a part
    (rules.part_problem, as the admin says it); a parent may come after its parts."""

    def cell(row: list[str], heading: str) -> str:
        index = columns[heading]
        return row[index].strip() if index < len(row) else ""

    parent_of: dict[str, str] = {}
    for _, row in body:
        parent_of.setdefault(cell(row, "Reference"), cell(row, "Parent"))
    with_parts = {parent for parent in parent_of.values() if parent}
    letter = get_column_letter(columns["Parent"] + 1)
    problems = []
    for number, row in body:
        reference, parent = cell(row, "Reference"), cell(row, "Parent")
        if not parent:
            continue
        if parent not in parent_of:
            message = (
                f"\u201c{parent}\u201d is not a reference in this file: a part\u2019s parent is the reference of "
                "another row (leave Parent blank for a recommendation that is not a part)."
            )
        else:
            message = rules.part_problem(
                reference=reference,
                parent_reference=parent,
                parent_is_part=bool(parent_of[parent]),
                has_parts=reference in with_parts,
            )
            message = message and message + "."
        if message:
            problems.append(Problem(number, letter, message))
    return problems


# Saving


@transaction.atomic
def report_import(*, report: Report, recommendations: list[ImportedRecommendation], by, request=None) -> Report:
    """Create the report and its recommendations in one transaction: the report, then the
    recommendations that are not parts, then the parts; audited."""
    report.full_clean()
    report.save()
    saved: dict[str, Recommendation] = {}
    for item in sorted(recommendations, key=lambda item: bool(item.parent)):
        recommendation = Recommendation(
            report=report,
            parent=saved[item.parent] if item.parent else None,
            reference=item.reference,
            title=item.title,
            sentence=item.sentence,
            text=item.text,
            addressee=item.addressee,
            order=item.order,
        )
        recommendation.full_clean()
        recommendation.save()
        saved[item.reference] = recommendation
    count = len(recommendations)
    audit_record(
        action=AuditEvent.Action.REPORT_IMPORTED,
        summary=f"{by.get_username()} imported the report \u201c{report.short_title}\u201d with {count} "
        f"recommendation{'s' if count != 1 else ''} from a spreadsheet",
        actor=by,
        request=request,
    )
    return report


# The template to fill in

INSTRUCTION = (
    'One row per recommendation, below the header row, in the report\'s order. Parent: for a part ("2a"), the '
    'reference of the recommendation it is a part of ("2"); blank otherwise. Addressee: '
    + "; ".join(ADDRESSEE_LABELS)
    + ". As one sentence is optional."
)
TEMPLATE_HEADER_ROW = 3


def template_workbook() -> bytes:
    """The XLSX template: an instruction, the header row, the addressee as a drop-down; the
    columns explained on a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Recommendations"
    sheet["A1"] = INSTRUCTION
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet.row_dimensions[1].height = 45
    for index, (heading, width, _) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=TEMPLATE_HEADER_ROW, column=index, value=heading)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1D70B8")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{TEMPLATE_HEADER_ROW + 1}"

    guide = workbook.create_sheet("Instructions")
    lines = [
        ("Column", "What to enter"),
        ("Reference", f'As the report numbers the recommendation: "1", "2a". Up to {REFERENCE_MAX_LENGTH} characters.'),
        ("Parent", 'For a part ("2a"), the reference of the recommendation it is a part of ("2"). Blank otherwise.'),
        ("Short title", f'A short heading, for example "Cultural awareness". Up to {TITLE_MAX_LENGTH} characters.'),
        ("Full text", "The recommendation as the report words it."),
        ("Addressee", "Who it is addressed to: one of the addressees listed below."),
        ("As one sentence", "Optional: the recommendation as one sentence, for a snapshot's headings."),
        ("", ""),
        ("Addressees", ""),
        *((label, "") for label in ADDRESSEE_LABELS),
    ]
    for line in lines:
        guide.append(line)
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 45
    guide.column_dimensions["B"].width = 90
    first = len(lines) - len(ADDRESSEE_LABELS) + 1
    addressees = DataValidation(
        type="list",
        formula1=f"Instructions!$A${first}:$A${len(lines)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Addressee",
        error="Choose an addressee from the list.",
    )
    sheet.add_data_validation(addressees)
    addressee_column = get_column_letter(HEADINGS.index("Addressee") + 1)
    addressees.add(f"{addressee_column}{TEMPLATE_HEADER_ROW + 1}:{addressee_column}{TEMPLATE_HEADER_ROW + MAX_ROWS}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv() -> bytes:
    """The CSV template: the instruction on the first row, then the header row; UTF-8 with a
    byte-order mark, so Excel opens it as UTF-8."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([INSTRUCTION])
    writer.writerow(HEADINGS)
    return buffer.getvalue().encode("utf-8-sig")
