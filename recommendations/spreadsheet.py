"""The offline return: a force's answers for a round as an XLSX workbook, and reading one back.

Reading checks the whole file before anything is saved: every problem is reported with its row
and column, and a file with any problem changes nothing.
"""

from __future__ import annotations

import io
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
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            # Text is stored as text: a narrative starting with "=" must never become a formula.
            cell.data_type = "s"
            cell.protection = Protection(locked=column <= 3)
        statuses.add(f"D{number}")
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check_container(data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableFile(
            f"The file is larger than {MAX_UPLOAD_BYTES // 1024:,} KB. A return is much smaller: upload the spreadsheet you downloaded."
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableFile("The file is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile(
            "The file is damaged and cannot be opened. Save it again as .xlsx and upload it."
        ) from None
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableFile("The file expands to far more than a return could hold, so it was not opened.")
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise UnreadableFile("The file is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again.")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value)).strip()


def read_return(data: bytes, *, force: Force, round: Round) -> tuple[list[ReturnRow], list[Problem]]:
    """The answers in an uploaded return, and every problem found in it (nothing is saved here)."""
    _check_container(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file; all mean the same to the lead
        raise UnreadableFile(
            "The file could not be read as an Excel workbook. Save it again as .xlsx and upload it."
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = list(
            sheet.iter_rows(min_row=1, max_row=HEADER_ROW + MAX_ROWS + 1, max_col=len(COLUMNS), values_only=True)
        )
    finally:
        workbook.close()

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
    references = {
        recommendation.reference
        for recommendation in round.recommendations.filter(rules.answered_by(rules.Party.FORCE))
    }
    problems: list[Problem] = []
    answers: list[ReturnRow] = []
    seen: dict[str, int] = {}
    body = rows[header_index + 1 :]
    if len(body) > MAX_ROWS:
        problems.append(
            Problem(None, None, f"The file has more than {MAX_ROWS} rows; a return has one row per recommendation.")
        )
    for offset, values in enumerate(body[:MAX_ROWS]):
        number = header_index + 2 + offset
        values = list(values) + [None] * (len(COLUMNS) - len(values))
        force_name, reference, _, status_label, narrative, evidence, reason = (_text(value) for value in values)
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
        if reference not in references:
            row_problems.append(
                Problem(
                    number,
                    "B",
                    f'Recommendation "{reference}" is not part of {round.title}.'
                    if reference
                    else "Enter the recommendation's reference.",
                )
            )
        elif reference in seen:
            row_problems.append(
                Problem(number, "B", f"Recommendation {reference} is already answered in row {seen[reference]}.")
            )
        else:
            seen[reference] = number
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
            answers.append(ReturnRow(number, reference, status, narrative, evidence, reason))
    if not answers and not problems:
        problems.append(
            Problem(
                None,
                None,
                "The file has no answers in it: fill in Status and Progress update for at least one recommendation.",
            )
        )
    return answers, problems
