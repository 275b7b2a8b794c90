"""The offline return: a force's answers for a round as an XLSX workbook, and reading one back.

Reading checks the whole file before anything is saved: every problem is reported with its row
and column, and a file with any problem changes nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from forces.models import Force
from forces.selectors import force_matching

from . import rules
from .forms import clean_text, evidence_links
from .models import Round, Status
from .selectors import force_answer_rows

MAX_UPLOAD_BYTES = 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 200
MAX_ROWS = 500
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COLUMNS = [
    ("Force", 22),
    ("Reference", 11),
    ("Recommendation", 60),
    ("Status", 20),
    ("Progress update", 80),
    ("Evidence links (one per line)", 40),
    ("Reason if not applicable", 40),
    # Last, so a return downloaded before it was added reads the same: two reports in one round may
    # both have a recommendation "1", and the report says which.
    ("Report", 30),
]
HEADER_ROW = 4
# The column of each field of an answer, for rules.answer_problems's messages.
ANSWER_COLUMNS = {"status": "D", "narrative": "E", "not_applicable_reason": "G"}
STATUS_BY_LABEL = {label.lower(): value for value, label in Status.choices}


class UnreadableFile(Exception):
    """The upload is not a spreadsheet this service can read safely."""


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (f"Row {self.row}" if self.row else "", f"column {self.column}" if self.column else "")
            if part
        )
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class ReturnRow:
    row: int
    recommendation_id: int
    reference: str
    status: str
    narrative: str
    evidence: str
    not_applicable_reason: str


def return_workbook(force: Force, round: Round) -> bytes:
    """The force's return for the round, prefilled with its current (or carried-forward) answers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Return"
    sheet["A1"] = f"{force.name}: {round.title}"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = (
        f"Due {round.due_on:%d %B %Y}. Fill in Status (choose from the list), Progress update and, if you want, "
        "evidence links. Do not change Force or Reference. Upload the file on your force's page: answers are saved "
        "as drafts for you to check and submit."
    )
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    sheet.row_dimensions[2].height = 45
    for index, (title, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1D70B8")
        sheet.column_dimensions[get_column_letter(index)].width = width
    statuses = DataValidation(
        type="list",
        formula1='"' + ",".join(label for _, label in Status.choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Status",
        error="Choose a status from the list.",
    )
    sheet.add_data_validation(statuses)
    for offset, row in enumerate(force_answer_rows(force, round)):
        number = HEADER_ROW + 1 + offset
        answer = row.working
        values = [
            force.name,
            row.recommendation.reference,
            row.recommendation.text,
            answer.get_status_display() if answer else "",
            answer.narrative if answer else "",
            answer.evidence if answer else "",
            answer.not_applicable_reason if answer else "",
            row.recommendation.report.short_title,
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            # Text is stored as text: a narrative starting with "=" must never become a formula.
            cell.data_type = "s"
            cell.protection = Protection(locked=column <= 3 or column == len(COLUMNS))
        statuses.add(f"D{number}")
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check_container(data: bytes) -> zipfile.ZipFile:
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableFile(
            f"The file is larger than {MAX_UPLOAD_BYTES // 1024:,} KB. A return is much smaller: upload the spreadsheet you downloaded."
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableFile(NOT_A_WORKBOOK)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile(DAMAGED) from None
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableFile("The file expands to far more than a return could hold, so it was not opened.")
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise UnreadableFile(NOT_A_WORKBOOK)
    return archive


NOT_A_WORKBOOK = "The file is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again."
DAMAGED = "The file is damaged and cannot be opened. Save it again as .xlsx and upload it."
COULD_NOT_READ = (
    "The file could not be read as an Excel workbook. Save it again as .xlsx and upload it. Nothing was saved."
)

# A NUL written raw or as a character reference (&#0;, &#x00;): XML forbids both, PostgreSQL cannot store it.
_NUL_IN_XML = re.compile(r"\x00|&#0+;|&#[xX]0+;")
_DOCTYPE = re.compile(r"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*)>(.*?)</(?:\w+:)?c>", re.DOTALL)
_CELL_START = re.compile(r"<(?:\w+:)?c\b[^>]*\br=\"([A-Z]+[0-9]+)\"")
_SHARED_STRING = re.compile(r"<(?:\w+:)?si\b")


def _xml_text(raw: bytes) -> str:
    """A part of the file as text: Office writes UTF-8, and XML may be UTF-16 with a byte-order mark."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", "replace")
    return raw.decode("utf-8", "replace")


def _cells_showing_shared_string(sheets: dict[str, str], index: int) -> list[str]:
    cells = []
    for text in sheets.values():
        for attributes, inner in _CELL.findall(text):
            if 't="s"' in attributes and re.search(rf"<(?:\w+:)?v>\s*{index}\s*</", inner):
                reference = re.search(r'\br="([A-Z]+[0-9]+)"', attributes)
                if reference:
                    cells.append(reference.group(1))
    return cells


def _check_parts(archive: zipfile.ZipFile) -> bool:
    """Every part of the file, before any of it is parsed: no document type declaration (Office Open
    XML forbids them; they are how entity expansion attacks start), no link to another workbook,
    no NUL. Each refusal names the cell where there is one. Says whether the file links to another workbook."""
    parts = {entry.filename: _xml_text(archive.read(entry)) for entry in archive.infolist() if not entry.is_dir()}
    xml_parts = {name: text for name, text in parts.items() if name.endswith((".xml", ".rels", ".vml"))}
    for name, text in xml_parts.items():
        if _DOCTYPE.search(text):
            raise UnreadableFile(
                f"The file contains a document type declaration (in {name}), which an Excel workbook never has, "
                "so it was not opened. Save your answers into the spreadsheet downloaded from this service and upload that."
            )
    sheets = {name: text for name, text in xml_parts.items() if name.startswith("xl/worksheets/")}
    for name, text in xml_parts.items():
        found = _NUL_IN_XML.search(text)
        if not found:
            continue
        if name in sheets:
            cells = [match.group(1) for match in _CELL_START.finditer(text, 0, found.start())][-1:]
        elif name == "xl/sharedStrings.xml":
            cells = _cells_showing_shared_string(sheets, len(_SHARED_STRING.findall(text, 0, found.start())) - 1)
        else:
            cells = []
        where = f"Cell {cells[0]} contains" if cells else "The file contains"
        raise UnreadableFile(
            f"{where} a null character, which cannot be stored, so the file was not read. It usually comes from "
            "text pasted from another program: retype that text and upload the file again."
        )
    return any(name.startswith("xl/externalLinks/") for name in parts)


def _read_sheet(data: bytes) -> tuple[list[tuple], list[Problem]]:
    """The one guarded step that reads a workbook: the checks on the container and on every part, then
    the first sheet's values. openpyxl parses a sheet lazily, as its rows are read, so the rows are
    read here too: any failure, wherever it happens, is "this file could not be read".

    A cell holding a formula is a problem named by its cell, with or without a value Excel saved with
    it: a return holds what a person typed, and a formula's value is not checked by this service.
    """
    try:
        with _check_container(data) as archive:
            links_elsewhere = _check_parts(archive)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            sheet = workbook.worksheets[0]
            rows, problems = [], []
            for cells in sheet.iter_rows(min_row=1, max_row=HEADER_ROW + MAX_ROWS + 1, max_col=len(COLUMNS)):
                rows.append(tuple(getattr(cell, "value", None) for cell in cells))
                problems.extend(_formula_problem(cell) for cell in cells if getattr(cell, "data_type", None) == "f")
        finally:
            workbook.close()
    except UnreadableFile:
        raise
    except Exception:  # zipfile, openpyxl and the XML parser raise many kinds for a broken file; all mean the same
        raise UnreadableFile(COULD_NOT_READ) from None
    if links_elsewhere and not problems:
        raise UnreadableFile(
            "The file links to another workbook (an external link), so it was not read. Remove the link "
            "(in Excel: Data, Edit Links, Break Link), keeping the values, and upload the file again."
        )
    return rows, problems


def _formula_problem(cell) -> Problem:
    formula = str(cell.value)
    shown = formula if len(formula) <= 40 else formula[:39] + "…"
    if "[" in formula:
        what = f"reads from another workbook ({shown})"
    else:
        what = f"holds a formula ({shown})"
    return Problem(
        cell.row,
        cell.column_letter,
        f"Cell {cell.coordinate} {what}. A return holds typed text and choices only: type the text itself in place of the formula.",
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value)).strip()


def _recommendation_named(answerable, report: str, reference: str, round: Round):
    """The recommendation a row names, by its reference and (when the round holds two reports with
    that reference, or the row names one) its report: (recommendation, None) or (None, (column, problem))."""
    if not reference:
        return None, ("B", "Enter the recommendation's reference.")
    matching = [item for item in answerable if item.reference == reference]
    if report:
        matching = [item for item in matching if report.lower() in (item.report.short_title.lower(), item.report.slug)]
        if not matching:
            return None, ("H", f'{report} has no recommendation "{reference}" in {round.title}.')
    if not matching:
        return None, ("B", f'Recommendation "{reference}" is not part of {round.title}.')
    if len(matching) > 1:
        reports = " or ".join(item.report.short_title for item in matching)
        return None, ("H", f"Recommendation {reference} is in more than one report in {round.title}: enter {reports}.")
    return matching[0], None


def read_return(data: bytes, *, force: Force, round: Round) -> tuple[list[ReturnRow], list[Problem]]:
    """The answers in an uploaded return, and every problem found in it (nothing is saved here)."""
    rows, formula_problems = _read_sheet(data)
    if formula_problems:
        return [], formula_problems

    header_index = next(
        (index for index, values in enumerate(rows[:20]) if values and _text(values[1]).lower() == "reference"), None
    )
    if header_index is None:
        return [], [
            Problem(
                None,
                None,
                "The file has no header row with Force and Reference: upload the return you downloaded from this service.",
            )
        ]
    answerable = list(round.recommendations.filter(rules.answered_by(rules.Party.FORCE)).select_related("report"))
    problems: list[Problem] = []
    answers: list[ReturnRow] = []
    seen: dict[int, int] = {}
    body = rows[header_index + 1 :]
    if len(body) > MAX_ROWS:
        problems.append(
            Problem(None, None, f"The file has more than {MAX_ROWS} rows; a return has one row per recommendation.")
        )
    for offset, values in enumerate(body[:MAX_ROWS]):
        number = header_index + 2 + offset
        values = list(values) + [None] * (len(COLUMNS) - len(values))
        force_name, reference, _, status_label, narrative, evidence, reason, report = (_text(value) for value in values)
        if not any((force_name, reference, status_label, narrative, evidence, reason)):
            continue
        row_problems = []
        if force_name:
            named = force_matching(force_name)
            if named != force:
                row_problems.append(
                    Problem(number, "A", f"This row is for {force_name}; you can only upload {force.name}'s answers.")
                )
        else:
            row_problems.append(Problem(number, "A", f"Enter the force ({force.name})."))
        recommendation, problem = _recommendation_named(answerable, report, reference, round)
        if problem:
            row_problems.append(Problem(number, *problem))
        elif recommendation.pk in seen:
            row_problems.append(
                Problem(
                    number, "B", f"Recommendation {reference} is already answered in row {seen[recommendation.pk]}."
                )
            )
        else:
            seen[recommendation.pk] = number
        status = STATUS_BY_LABEL.get(status_label.lower())
        if not status_label and not narrative:
            continue  # an unanswered recommendation: left as it is
        if status is None:
            row_problems.append(
                Problem(
                    number,
                    "D",
                    f'"{status_label}" is not a status. Choose one of: '
                    + ", ".join(label for _, label in Status.choices)
                    + "."
                    if status_label
                    else "Choose a status.",
                )
            )
        for field, message in rules.answer_problems(
            status=status, narrative=narrative, not_applicable_reason=reason
        ).items():
            if field != "status":  # said above, naming what was typed
                row_problems.append(Problem(number, ANSWER_COLUMNS[field], message + "."))
        try:
            evidence = evidence_links(evidence)
        except ValidationError as error:
            row_problems.append(Problem(number, "F", error.messages[0] + "."))
        problems.extend(row_problems)
        if not row_problems:
            answers.append(ReturnRow(number, recommendation.pk, reference, status, narrative, evidence, reason))
    if not answers and not problems:
        problems.append(
            Problem(
                None,
                None,
                "The file has no answers in it: fill in Status and Progress update for at least one recommendation.",
            )
        )
    return answers, problems
