"""The offline return: a force's answers for a round as an XLSX workbook, and reading one back.

Reading checks the whole file before anything is saved: every problem is reported with its row
and column, and a file with any problem changes nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from forces.models import Force
from forces.selectors import force_matching

from . import rules
from .forms import clean_text, evidence_links
from .models import Round, Status
from .selectors import force_answer_rows
from .workbooks import Problem, read_first_sheet

MAX_ROWS = 500

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
    rows, formula_problems = read_first_sheet(
        data, max_rows=HEADER_ROW + MAX_ROWS + 1, max_columns=len(COLUMNS), kind="A return"
    )
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
