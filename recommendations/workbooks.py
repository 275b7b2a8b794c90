"""Reading an uploaded XLSX workbook safely, in one guarded step: the force's return
(spreadsheet.py) and a report's recommendations (report_import.py) both read through here.

The container and every part of it are checked before any of it is parsed: a size limit and a limit
on what it expands to, no document type declaration, no NUL, no link to another workbook; then the
first sheet's values are read, and every cell holding a formula is a problem named by its cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from openpyxl import load_workbook

MAX_UPLOAD_BYTES = 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 200
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NOT_A_WORKBOOK = "The file is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again."
DAMAGED = "The file is damaged and cannot be opened. Save it again as .xlsx and upload it."
COULD_NOT_READ = (
    "The file could not be read as an Excel workbook. Save it again as .xlsx and upload it. Nothing was saved."
)


class UnreadableFile(Exception):
    """The upload is not a file this service can read safely."""


@dataclass(frozen=True)
class Problem:
    """One problem in an uploaded file, with its row and column where it has them."""

    row: int | None
    column: str | None
    message: str
    sheet: str = ""  # named when the file has more than one sheet to fill in, and it is not the first

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"{self.sheet} sheet" if self.sheet else "",
                f"{'row' if self.sheet else 'Row'} {self.row}" if self.row else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


def too_large(data: bytes, kind: str) -> UnreadableFile | None:
    """The refusal of a file over the upload limit (`kind` says what a file of this kind is: "A return")."""
    if len(data) > MAX_UPLOAD_BYTES:
        return UnreadableFile(
            f"The file is larger than {MAX_UPLOAD_BYTES // 1024:,} KB. {kind} is much smaller: "
            "upload the spreadsheet you downloaded."
        )
    return None


def _check_container(data: bytes, kind: str) -> zipfile.ZipFile:
    if refusal := too_large(data, kind):
        raise refusal
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableFile(NOT_A_WORKBOOK)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile(DAMAGED) from None
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableFile(f"The file expands to far more than {kind.lower()} could hold, so it was not opened.")
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise UnreadableFile(NOT_A_WORKBOOK)
    return archive


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
                "so it was not opened. Copy the text into the spreadsheet downloaded from this service and upload that."
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


def read_first_sheet(data: bytes, *, max_rows: int, max_columns: int, kind: str) -> tuple[list[tuple], list[Problem]]:
    """The first sheet's values (read_sheets), and the problems found in it."""
    (rows,), problems = read_sheets(data, sheets=[(None, max_rows, max_columns)], kind=kind)
    return rows, problems


def read_sheets(
    data: bytes, *, sheets: list[tuple[str | None, int, int]], kind: str
) -> tuple[list[list[tuple]], list[Problem]]:
    """The one guarded step that reads a workbook: the checks on the container and on every part, then
    the values of each sheet asked for, as (name, max_rows, max_columns); None names the first sheet,
    and a named sheet the file does not have reads as no rows. openpyxl parses a sheet lazily, as its
    rows are read, so the rows are read here too: any failure, wherever it happens, is "this file could
    not be read". `kind` names what the file should be ("A return"), for the messages.

    A cell holding a formula is a problem named by its cell, with or without a value Excel saved with
    it: the file holds what a person typed, and a formula's value is not checked by this service.
    Raises UnreadableFile for a file that cannot be read safely.
    """
    try:
        with _check_container(data, kind) as archive:
            links_elsewhere = _check_parts(archive)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            values, problems = [], []
            for name, max_rows, max_columns in sheets:
                if name is None:
                    sheet = workbook.worksheets[0]
                elif name in workbook.sheetnames:
                    sheet = workbook[name]
                else:
                    values.append([])
                    continue
                rows = []
                for cells in sheet.iter_rows(min_row=1, max_row=max_rows, max_col=max_columns):
                    rows.append(tuple(getattr(cell, "value", None) for cell in cells))
                    problems.extend(
                        _formula_problem(cell, kind, name or "")
                        for cell in cells
                        if getattr(cell, "data_type", None) == "f"
                    )
                values.append(rows)
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
    return values, problems


def _formula_problem(cell, kind: str, sheet: str = "") -> Problem:
    formula = str(cell.value)
    shown = formula if len(formula) <= 40 else formula[:39] + "…"
    if "[" in formula:
        what = f"reads from another workbook ({shown})"
    else:
        what = f"holds a formula ({shown})"
    return Problem(
        cell.row,
        cell.column_letter,
        f"Cell {cell.coordinate} {what}. {kind} holds typed text and choices only: "
        "type the text itself in place of the formula.",
        sheet,
    )
