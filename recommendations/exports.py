"""Downloads: the snapshot as DOCX and ODS, and a round's answers as CSV.

The snapshot downloads read the same roll-up object as the snapshot page
(`snapshots.snapshot_figures`: frozen figures once published), so a figure is never counted twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator

from django.core.cache import cache
from django.utils.text import slugify
from docx import Document
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P

from .hidden_characters import visible_controls
from .models import Round, Snapshot, SnapshotSection, Status
from .rollup import RoundRollup
from .rules import NO_RESPONSE_LABEL
from .selectors import round_answers_for_export, round_theme_names
from .snapshots import responded_sentence, snapshot_figures, snapshot_sections

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODS_CONTENT_TYPE = "application/vnd.oasis.opendocument.spreadsheet"

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """The value as text, with a leading apostrophe if a spreadsheet would read it as a formula."""
    text = visible_controls("" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def snapshot_filename(snapshot: Snapshot) -> str:
    return slugify(f"{snapshot.round.slug} snapshot {snapshot.pk}")


def _date_line(snapshot: Snapshot) -> str:
    if snapshot.published_on is None:
        return "Draft: not published"
    verb = "Updated" if snapshot.updates_snapshot_id else "Published"
    return f"{verb} {snapshot.published_on.day} {snapshot.published_on:%B %Y}"


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


class _DocxStyles:
    """Paragraph and table styles set by id, looked up once per document.

    python-docx resolves a style given by name (or object) by scanning every style in the document
    on each call; that was four fifths of the time this export took.
    """

    def __init__(self, document):
        self.document = document
        names = ["Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Table Grid"]
        self.ids = {name: document.styles[name].style_id for name in names}

    def paragraph(self, text: str = "", style: str | None = None):
        paragraph = self.document.add_paragraph(visible_controls(text))
        if style:
            paragraph._p.style = self.ids[style]
        return paragraph

    def heading(self, text: str, level: int):
        return self.paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def table(self, rows: int, cols: int):
        table = self.document.add_table(rows=rows, cols=cols)
        table._tbl.tblPr.style = self.ids["Table Grid"]
        return table


# How long a published snapshot's DOCX and ODS are kept once built. Published figures never change,
# and the text that can (in the admin) is part of the key, so this only bounds the memory they take.
EXPORT_CACHE_SECONDS = 60 * 60


def _built_once(snapshot: Snapshot, kind: str, text: list, build: Callable[[], bytes]) -> bytes:
    """A published snapshot's download, built once and then read from the cache; a draft's, every time.

    Keyed by the snapshot and the `text` the download is built from beside its frozen figures.
    """
    if snapshot.state != Snapshot.State.PUBLISHED:
        return build()
    digest = hashlib.sha256(json.dumps(text, default=str).encode()).hexdigest()
    key = f"snapshot-{kind}:{snapshot.pk}:{digest}"
    content = cache.get(key)
    if content is None:
        content = build()
        cache.set(key, content, EXPORT_CACHE_SECONDS)
    return content


def snapshot_docx(snapshot: Snapshot) -> bytes:
    """The snapshot laid out as seed 001: introduction, the snapshot per recommendation, Annex A."""
    sections = snapshot_sections(snapshot)
    text = [
        snapshot.title,
        snapshot.introduction,
        snapshot.published_on,
        snapshot.updates_snapshot_id,
        [(section.recommendation_id, section.summary, section.notable_practice) for section in sections],
    ]
    return _built_once(snapshot, "docx", text, lambda: _snapshot_docx(snapshot, sections))


def _snapshot_docx(snapshot: Snapshot, sections: list[SnapshotSection]) -> bytes:
    rollup = snapshot_figures(snapshot)
    sections = {section.recommendation_id: section for section in sections}
    document = Document()
    styles = _DocxStyles(document)
    document.core_properties.title = snapshot.title
    styles.heading(snapshot.title, level=0)
    styles.paragraph(_date_line(snapshot))

    styles.heading("1. Introduction and background", level=1)
    for paragraph in _paragraphs(snapshot.introduction):
        styles.paragraph(paragraph)
    for figures in rollup.recommendations:
        styles.heading(f"Recommendation {figures.reference}: {figures.title}", level=2)
        for paragraph in _paragraphs(figures.text):
            for line in paragraph.splitlines():
                if line.startswith("- "):
                    styles.paragraph(line[2:], "List Bullet")
                else:
                    styles.paragraph(line)
    styles.paragraph(responded_sentence(rollup))

    styles.heading("2. Snapshot", level=1)
    for number, figures in enumerate(rollup.recommendations, start=1):
        styles.heading(f"2.{number}. Recommendation {figures.reference}: {figures.title}", level=2)
        styles.paragraph(f"{figures.answered} out of the {figures.asked} forces answered this recommendation.")
        table = styles.table(1, 2)
        table.rows[0].cells[0].text = "Status"
        table.rows[0].cells[1].text = "Forces"
        for count in figures.status_counts:
            row = table.add_row().cells
            row[0].text, row[1].text = count.label, str(count.count)
        row = table.add_row().cells
        row[0].text, row[1].text = NO_RESPONSE_LABEL, str(figures.no_response)
        if figures.caveat:
            styles.paragraph(figures.caveat)
        if figures.theme_counts:
            styles.heading("Themes found in the answers", level=3)
            themes = styles.table(1, 2)
            themes.rows[0].cells[0].text = "Theme"
            themes.rows[0].cells[1].text = "Forces"
            for theme in figures.theme_counts:
                row = themes.add_row().cells
                row[0].text, row[1].text = theme.name, str(theme.count)
        section = sections.get(figures.recommendation_id)
        if section:
            for paragraph in _paragraphs(section.summary):
                styles.paragraph(paragraph)
            if section.notable_practice:
                styles.heading("Notable practice", level=3)
                for item in section.notable_practice:
                    styles.paragraph(f"{item['attribution']} {item['quote']}", "List Bullet")

    styles.heading("Annex A - The forces that responded", level=1)
    for name in rollup.responded_forces:
        styles.paragraph(name, "List Bullet")
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _cell(value) -> TableCell:
    if isinstance(value, int):
        cell = TableCell(valuetype="float", value=value)
    else:
        cell = TableCell(valuetype="string")
    cell.addElement(P(text=visible_controls(str(value))))
    return cell


def _sheet(name: str, rows: list[list], *, bold, wide) -> Table:
    table = Table(name=name)
    table.addElement(TableColumn(stylename=wide))
    table.addElement(TableColumn(numbercolumnsrepeated=3))
    for index, values in enumerate(rows):
        row = TableRow()
        for value in values:
            cell = _cell(value)
            if index == 0:
                cell.setAttribute("stylename", bold)
            row.addElement(cell)
        table.addElement(row)
    return table


def _figures_rows(rollup: RoundRollup, reference: str) -> list[list]:
    figures = next(item for item in rollup.recommendations if item.reference == reference)
    rows: list[list] = [["Measure", "Forces"], ["Forces asked", figures.asked], ["Forces answered", figures.answered]]
    rows += [[count.label, count.count] for count in figures.status_counts]
    rows.append([NO_RESPONSE_LABEL, figures.no_response])
    rows += [[f"Theme: {theme.name}", theme.count] for theme in figures.theme_counts]
    if figures.caveat:
        rows.append(["Note", figures.caveat])
    return rows


def snapshot_ods(snapshot: Snapshot) -> bytes:
    """One sheet of figures per recommendation and one of the forces that responded."""
    return _built_once(snapshot, "ods", [], lambda: _snapshot_ods(snapshot))


def _snapshot_ods(snapshot: Snapshot) -> bytes:
    rollup = snapshot_figures(snapshot)
    document = OpenDocumentSpreadsheet()
    bold = Style(name="Heading", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    wide = Style(name="Wide", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="3in"))
    document.automaticstyles.addElement(bold)
    document.automaticstyles.addElement(wide)

    for figures in rollup.recommendations:
        rows = _figures_rows(rollup, figures.reference)
        document.spreadsheet.addElement(_sheet(f"Recommendation {figures.reference}", rows, bold=bold, wide=wide))
    forces = [["Force"]] + [[name] for name in rollup.responded_forces]
    document.spreadsheet.addElement(_sheet("Forces that responded", forces, bold=bold, wide=wide))
    output = io.BytesIO()
    document.write(output)
    return output.getvalue()


CSV_HEADER = ["Force", "Recommendation", "Status", "Themes", "Narrative", "Submitted at", "Submitted by"]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


# Rows sent to the client at a time: one write per row cost more than writing the row itself.
CSV_ROWS_PER_CHUNK = 500


def round_answers_csv(round: Round) -> Iterator[str]:
    """Stream the round's submitted answers as CSV: two queries however many rows (themes, answers)."""
    themes = round_theme_names(round)
    labels = dict(Status.choices)
    writer = csv.writer(_Echo())
    chunk = ["\ufeff", writer.writerow(CSV_HEADER)]  # the byte order mark, so Excel reads the file as UTF-8
    for answer in round_answers_for_export(round).iterator(chunk_size=2000):
        chunk.append(
            writer.writerow(
                [
                    csv_safe(value)
                    for value in (
                        answer.force.name,
                        answer.recommendation.reference,
                        labels.get(answer.status, answer.status),
                        "; ".join(themes.get((answer.force_id, answer.recommendation_id), [])),
                        answer.narrative,
                        answer.created_at.isoformat(timespec="seconds"),
                        answer.created_by.get_username() if answer.created_by else "",
                    )
                ]
            )
        )
        if len(chunk) >= CSV_ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)
