"""The offline return: a force's answers for a round as an XLSX workbook, and reading one back.

Reading checks the whole file before anything is saved: every problem is reported with its row
and column, and a file with any problem changes nothing.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from forces.models import Force
from forces.selectors import force_matching

from . import rules
from .forms import clean_text, evidence_links
from .models import MILESTONE_DESCRIPTION_MAX_LENGTH, REASON_MAX_LENGTH, Milestone, Round, Status
from .selectors import force_answer_rows
from .workbooks import Problem, read_sheets

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


# The second sheet: the force's action plans for the round's recommendations, one milestone a row.
MILESTONES_SHEET = "Milestones"
MILESTONE_COLUMNS = [
    ("Report", 30),
    ("Reference", 11),
    ("Milestone", 60),
    ("Target date", 14),
    ("Date done", 14),
    ("Why the target date moved", 50),
    # Locked: which milestone a row changes. Blank for a new one.
    ("Milestone number", 12),
]
MAX_MILESTONE_ROWS = 1000
NEW_MILESTONE_ROWS = 20
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y")


@dataclass(frozen=True)
class MilestoneRow:
    row: int
    milestone_id: int | None  # None: a new milestone
    recommendation_id: int
    description: str
    target_on: datetime.date
    done_on: datetime.date | None
    moved_reason: str


@dataclass
class ReturnContent:
    """What a checked return holds: its answers, and its milestones (new and changed)."""

    answers: list = field(default_factory=list)
    milestones: list[MilestoneRow] = field(default_factory=list)


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
    _milestones_sheet(workbook, force, round)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _milestones_sheet(workbook: Workbook, force: Force, round: Round) -> None:
    """The force's milestones for the round's recommendations it answers, then blank rows for new ones."""
    sheet = workbook.create_sheet(MILESTONES_SHEET)
    sheet["A1"] = f"{force.name}: action plans for {round.title}"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = (
        "One milestone a row. To add one, fill in a blank row: Report, Reference, Milestone and Target date. "
        "To change one, change its row; if you move its target date, say why. Dates like 31/03/2025. "
        "Do not change Milestone number."
    )
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(MILESTONE_COLUMNS))
    sheet.row_dimensions[2].height = 45
    for index, (title, width) in enumerate(MILESTONE_COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1D70B8")
        sheet.column_dimensions[get_column_letter(index)].width = width
    milestones = (
        Milestone.objects.filter(
            force=force, recommendation__in=round.recommendations.filter(rules.answered_by(rules.Party.FORCE))
        )
        .select_related("recommendation__report")
        .order_by("recommendation__report__published_on", "recommendation__order", "target_on", "pk")
    )
    number = HEADER_ROW
    for number, milestone in enumerate(milestones, start=HEADER_ROW + 1):
        values = [
            milestone.recommendation.report.short_title,
            milestone.recommendation.reference,
            milestone.description,
            milestone.target_on,
            milestone.done_on,
            "",
            milestone.pk,
        ]
        _milestone_cells(sheet, number, values)
    for blank in range(number + 1, number + 1 + NEW_MILESTONE_ROWS):
        _milestone_cells(sheet, blank, [""] * (len(MILESTONE_COLUMNS) - 1) + [None])
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"


def _milestone_cells(sheet, number: int, values: list) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=number, column=column, value=value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(value, datetime.date):
            cell.number_format = "DD/MM/YYYY"
        elif isinstance(value, str):
            cell.data_type = "s"  # typed text is never a formula
        cell.protection = Protection(locked=column == len(MILESTONE_COLUMNS))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value)).strip()


def _recommendation_named(answerable, report: str, reference: str, round: Round, report_column: str = "H"):
    """The recommendation a row names, by its reference (column B) and (when the round holds two
    reports with that reference, or the row names one) its report: (recommendation, None) or
    (None, (column, problem))."""
    if not reference:
        return None, ("B", "Enter the recommendation's reference.")
    matching = [item for item in answerable if item.reference == reference]
    if report:
        matching = [item for item in matching if report.lower() in (item.report.short_title.lower(), item.report.slug)]
        if not matching:
            return None, (report_column, f'{report} has no recommendation "{reference}" in {round.title}.')
    if not matching:
        return None, ("B", f'Recommendation "{reference}" is not part of {round.title}.')
    if len(matching) > 1:
        reports = " or ".join(item.report.short_title for item in matching)
        return None, (
            report_column,
            f"Recommendation {reference} is in more than one report in {round.title}: enter {reports}.",
        )
    return matching[0], None


def read_return(data: bytes, *, force: Force, round: Round) -> tuple[ReturnContent, list[Problem]]:
    """The answers and milestones in an uploaded return, and every problem found in it (nothing is
    saved here). A return downloaded before it had a milestones sheet reads as having no milestones."""
    (rows, milestone_rows), formula_problems = read_sheets(
        data,
        sheets=[
            (None, HEADER_ROW + MAX_ROWS + 1, len(COLUMNS)),
            (MILESTONES_SHEET, HEADER_ROW + MAX_MILESTONE_ROWS + 1, len(MILESTONE_COLUMNS)),
        ],
        kind="A return",
    )
    if formula_problems:
        return ReturnContent(), formula_problems
    answers, problems = _read_answers(rows, force=force, round=round)
    milestones, milestone_problems = _read_milestones(milestone_rows, force=force, round=round)
    problems += milestone_problems
    if not answers and not milestones and not problems:
        problems.append(
            Problem(
                None,
                None,
                "The file has no answers in it: fill in Status and Progress update for at least one recommendation.",
            )
        )
    return ReturnContent(answers, milestones), problems


def _read_answers(rows: list[tuple], *, force: Force, round: Round) -> tuple[list[ReturnRow], list[Problem]]:
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
    return answers, problems


def _date(value, column: str, what: str, number: int) -> tuple[datetime.date | None, Problem | None]:
    """A date cell as a date: a real date cell, or text like 31/03/2025; (None, None) when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        text = clean_text(value).strip()
        for format in DATE_FORMATS:
            try:
                value = datetime.datetime.strptime(text, format).date()
                break
            except ValueError:
                continue
    lowest, highest = rules.MILESTONE_YEARS
    if not isinstance(value, datetime.date):
        return None, Problem(number, column, f"Enter the {what} as a date, like 31/03/2025.", MILESTONES_SHEET)
    if not lowest <= value.year <= highest:
        return None, Problem(
            number, column, f"The year of the {what} must be between {lowest} and {highest}.", MILESTONES_SHEET
        )
    return value, None


def _read_milestones(rows: list[tuple], *, force: Force, round: Round) -> tuple[list[MilestoneRow], list[Problem]]:
    """The milestones sheet's rows: new milestones and changes to the force's own, each checked by
    the rules a milestone typed on its page is checked by."""
    if not rows:
        return [], []
    header_index = next(
        (
            index
            for index, values in enumerate(rows[:20])
            if len(values) > 1 and _text(values[1]).lower() == "reference"
        ),
        None,
    )
    if header_index is None:
        return [], [
            Problem(
                None, None, "The Milestones sheet has no header row: use the sheet you downloaded.", MILESTONES_SHEET
            )
        ]
    answerable = list(round.recommendations.filter(rules.answered_by(rules.Party.FORCE)).select_related("report"))
    own = {item.pk: item for item in Milestone.objects.filter(force=force, recommendation__in=answerable)}
    today = timezone.localdate()
    problems: list[Problem] = []
    milestones: list[MilestoneRow] = []
    seen: dict[int, int] = {}
    body = rows[header_index + 1 :]
    if len(body) > MAX_MILESTONE_ROWS:
        problems.append(
            Problem(None, None, f"The Milestones sheet has more than {MAX_MILESTONE_ROWS} rows.", MILESTONES_SHEET)
        )
    for offset, values in enumerate(body[:MAX_MILESTONE_ROWS]):
        number = header_index + 2 + offset
        values = list(values) + [None] * (len(MILESTONE_COLUMNS) - len(values))
        report, reference, description, _, _, reason, identifier = (_text(value) for value in values)
        if not any((report, reference, description, _text(values[3]), _text(values[4]), reason, identifier)):
            continue
        row_problems = []

        def problem(column: str, message: str) -> None:
            row_problems.append(Problem(number, column, message, MILESTONES_SHEET))

        existing = None
        if identifier:
            existing = own.get(int(identifier)) if identifier.isdigit() else None
            if existing is None:
                problem(
                    "G",
                    f"Milestone number {identifier} is not one of your force's milestones in this return: "
                    "leave the number as it was downloaded, or blank for a new milestone.",
                )
            elif existing.pk in seen:
                problem("G", f"Milestone number {identifier} is already changed in row {seen[existing.pk]}.")
            else:
                seen[existing.pk] = number
        recommendation, named = _recommendation_named(answerable, report, reference, round, report_column="A")
        if named:
            problem(*named)
        elif existing is not None and existing.recommendation_id != recommendation.pk:
            problem("B", f"Milestone number {identifier} is for another recommendation: do not change its reference.")
        target_on, bad = _date(values[3], "D", "target date", number)
        row_problems += [bad] if bad else []
        done_on, bad = _date(values[4], "E", "date done", number)
        row_problems += [bad] if bad else []
        if len(description) > MILESTONE_DESCRIPTION_MAX_LENGTH:
            problem("C", f"The milestone must be {MILESTONE_DESCRIPTION_MAX_LENGTH:,} characters or fewer.")
        if len(reason) > REASON_MAX_LENGTH:
            problem("F", f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer.")
        columns = {"description": "C", "target_on": "D", "done_on": "E", "moved_reason": "F"}
        for name, message in rules.milestone_problems(
            description=description,
            target_on=target_on,
            done_on=done_on,
            today=today,
            previous_target_on=existing.target_on if existing else None,
            moved_reason=reason,
        ).items():
            if not any(item.column == columns[name] for item in row_problems):
                problem(columns[name], message + ".")
        problems.extend(row_problems)
        if not row_problems:
            milestones.append(
                MilestoneRow(
                    number,
                    existing.pk if existing else None,
                    recommendation.pk,
                    description,
                    target_on,
                    done_on,
                    reason,
                )
            )
    return milestones, problems
