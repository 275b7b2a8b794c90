"""Downloads: the snapshot as DOCX, ODS, CSV of its figures and a GOV.UK pack; a round's answers as CSV.

Every snapshot download is rendered from the one document model the snapshot page shows
(`documents.snapshot_document`: frozen figures once published), so the formats cannot disagree.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator

from django.core.cache import cache
from django.utils.text import slugify
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor
from odf import dc
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P

from .documents import FigureTable, Heading, SnapshotDocument, Warning, govspeak, snapshot_document
from .hidden_characters import visible_controls
from .markup import ListBlock, Paragraph, Run
from .models import Round, Snapshot, Status
from .selectors import round_answers_for_export, round_document_names, round_theme_names

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


# How long a published snapshot's downloads are kept once built. Published figures never change,
# and the text that can (in the admin) is part of the key, so this only bounds the memory they take.
EXPORT_CACHE_SECONDS = 60 * 60


def _built_once(snapshot: Snapshot, kind: str, document: SnapshotDocument, build: Callable[[], bytes]) -> bytes:
    """A published snapshot's download, built once and then read from the cache; a draft's, every time.

    Keyed by the snapshot and the whole document model it is rendered from.
    """
    if snapshot.state != Snapshot.State.PUBLISHED:
        return build()
    digest = hashlib.sha256(repr(document).encode()).hexdigest()
    key = f"snapshot-{kind}:{snapshot.pk}:{digest}"
    content = cache.get(key)
    if content is None:
        content = build()
        cache.set(key, content, EXPORT_CACHE_SECONDS)
    return content


# DOCX, fit to publish: A4, en-GB, title and author, real heading styles (Word's navigation pane),
# tables whose header row repeats and is marked as a header, numbers right-aligned, tables kept
# on one page, and alternative text on every table and chart.


class DocxWriter:
    """Paragraph and table styles set by id, looked up once per document.

    python-docx resolves a style given by name (or object) by scanning every style in the document
    on each call; that was four fifths of the time this export took.
    """

    STYLES = [
        "Title",
        "Subtitle",
        "Heading 1",
        "Heading 2",
        "Heading 3",
        "List Bullet",
        "List Number",
        "Quote",
        "Table Grid",
    ]

    def __init__(self, document):
        self.document = document
        document.styles["Normal"].font.name = "Arial"  # GOV.UK's documents are set in Arial
        self.ids = {name: document.styles[name].style_id for name in self.STYLES}

    def paragraph(self, runs: list[Run] | str = "", style: str | None = None):
        paragraph = self.document.add_paragraph()
        if style:
            paragraph._p.style = self.ids[style]
        for run in [Run(runs)] if isinstance(runs, str) else runs:
            if run.href:
                _hyperlink(paragraph, run)
            else:
                added = paragraph.add_run(visible_controls(run.text))
                added.bold = run.bold or None
                added.italic = run.italic or None
        return paragraph

    def markup(self, block: Paragraph | ListBlock):
        """A block of the markup (markup.py): a paragraph, numbered as the document numbers it, or
        quoted, or a list's items."""
        if isinstance(block, ListBlock):
            for item in block.items:
                self.paragraph(item, "List Number" if block.ordered else "List Bullet")
        else:
            runs = ([Run(f"{block.number} ")] if block.number else []) + block.runs
            self.paragraph(runs, "Quote" if block.quoted else None)

    def table(self, rows: int, cols: int):
        table = self.document.add_table(rows=rows, cols=cols)
        table._tbl.tblPr.style = self.ids["Table Grid"]
        return table


def _element(tag: str, **attributes) -> OxmlElement:
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _hyperlink(paragraph, run: Run) -> None:
    relationship = paragraph.part.relate_to(run.href, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    element = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    if run.bold:
        properties.append(_element("w:b"))
    if run.italic:
        properties.append(_element("w:i"))
    properties.append(_element("w:color", val="1D70B8"))
    properties.append(_element("w:u", val="single"))
    element.append(properties)
    text = OxmlElement("w:t")
    text.text = visible_controls(run.text)
    text.set(qn("xml:space"), "preserve")
    element.append(text)
    link.append(element)
    paragraph._p.append(link)


def set_language(document, language: str) -> None:
    """The language of every run unless a run says otherwise, so spelling is checked as en-GB and
    screen readers pronounce it as such."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = _element("w:lang")
        run_properties.append(lang)
    for name in ("val", "eastAsia", "bidi"):
        lang.set(qn(f"w:{name}"), language)
    theme_language = document.settings.element.find(qn("w:themeFontLang"))
    if theme_language is not None:
        theme_language.set(qn("w:val"), language)


def _figure_table(styles: DocxWriter, block: FigureTable) -> None:
    caption = styles.paragraph([Run(block.caption, bold=True)])
    caption.paragraph_format.keep_with_next = True
    columns = [block.heading, "Forces"] if not block.chart else [block.heading, "Chart", "Forces"]
    table = styles.table(1, len(columns))
    properties = table._tbl.tblPr
    properties.append(_element("w:tblCaption", val=block.caption))
    properties.append(_element("w:tblDescription", val=block.alt))
    rows = [columns] + [
        [label, "\u2588" * round(20 * count / block.total) if block.total else "", str(count)]
        if block.chart
        else [label, str(count)]
        for label, count in block.rows
    ]
    for index, values in enumerate(rows):
        row = table.rows[0] if index == 0 else table.add_row()
        row_properties = row._tr.get_or_add_trPr()
        row_properties.append(_element("w:cantSplit"))
        if index == 0:
            row_properties.append(_element("w:tblHeader"))  # repeated on each page, read as the header
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            added = paragraph.add_run(visible_controls(value))
            added.bold = index == 0 or None
            if column == len(values) - 1:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            # Every row keeps with the next, so the table is never split across two pages.
            paragraph.paragraph_format.keep_with_next = index < len(rows) - 1
    if block.chart:
        for row in table.rows[1:]:
            row.cells[1].paragraphs[0].runs[0].font.color.rgb = RGBColor(0x1D, 0x70, 0xB8)
    styles.paragraph("")


def snapshot_docx(snapshot: Snapshot) -> bytes:
    document = snapshot_document(snapshot)
    return _built_once(snapshot, "docx", document, lambda: render_docx(document))


def render_docx(model: SnapshotDocument) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    set_language(document, model.language)
    properties = document.core_properties
    properties.title = model.title
    properties.author = model.author
    properties.last_modified_by = model.author
    properties.subject = model.caption
    properties.comments = model.summary
    properties.language = model.language
    properties.keywords = "transparency data"

    styles = DocxWriter(document)
    styles.paragraph(model.caption, "Subtitle")
    styles.paragraph(model.title, "Title")
    styles.paragraph(model.date_line)
    styles.paragraph(model.applies_to)
    for block in model.blocks:
        if isinstance(block, Heading):
            styles.paragraph(block.full_text, f"Heading {block.level}")
        elif isinstance(block, (Paragraph, ListBlock)):
            styles.markup(block)
        elif isinstance(block, Warning):
            styles.paragraph([Run(block.text, bold=True)])
        else:
            _figure_table(styles, block)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


# ODS, as GOV.UK asks of transparency data: a cover sheet (title, date, source, notes, contact),
# then one tidy table per sheet, a header row, numbers as numbers.


def _cell(value, style=None) -> TableCell:
    if isinstance(value, int):
        cell = TableCell(valuetype="float", value=value)
    else:
        cell = TableCell(valuetype="string")
    if style is not None:
        cell.setAttribute("stylename", style)
    cell.addElement(P(text=visible_controls(str(value))))
    return cell


def _sheet(name: str, rows: list[list], *, bold, wide, header: bool = True) -> Table:
    table = Table(name=name)
    table.addElement(TableColumn(stylename=wide))
    table.addElement(TableColumn(stylename=wide, numbercolumnsrepeated=3))
    for index, values in enumerate(rows):
        row = TableRow()
        for value in values:
            row.addElement(_cell(value, bold if index == 0 and header else None))
        table.addElement(row)
    return table


def figure_tables(model: SnapshotDocument) -> list[tuple[str, list[list]]]:
    """The published figures as tidy tables (sheet name, header and rows), for the ODS and the CSV."""
    tables = [
        (
            "Responses",
            [["Recommendation", "Title", "Forces asked", "Forces answered"]]
            + [[reference, title, asked, answered] for reference, title, asked, answered in model.responses],
        )
    ]
    if model.status_rows:
        tables.append(
            ("Status counts", [["Recommendation", "Status", "Forces"]] + [list(row) for row in model.status_rows])
        )
    if model.theme_rows:
        tables.append(
            ("Theme counts", [["Recommendation", "Theme", "Forces"]] + [list(row) for row in model.theme_rows])
        )
    tables.append(("Forces that responded", [["Force"]] + [[name] for name in model.responded_forces]))
    return tables


def cover_lines(model: SnapshotDocument) -> list[str]:
    tables = figure_tables(model)
    lines = [
        model.title,
        model.date_line,
        f"Source: {model.author or 'the portfolio'}, from forces' progress updates in the round \u201c{model.round_title}\u201d.",
        "Notes:",
        "Each figure counts police forces of England and Wales. A force is counted for a recommendation "
        "when it submitted an answer to it.",
        *model.notes,
        f"This workbook has {len(tables)} tables, each on its own sheet: "
        + ", ".join(name for name, _ in tables)
        + ".",
    ]
    if model.contact:
        lines.append(f"Contact: {model.contact}")
    return lines


def snapshot_ods(snapshot: Snapshot) -> bytes:
    document = snapshot_document(snapshot)
    return _built_once(snapshot, "ods", document, lambda: render_ods(document))


def render_ods(model: SnapshotDocument) -> bytes:
    document = OpenDocumentSpreadsheet()
    bold = Style(name="Heading", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    title = Style(name="Title", family="table-cell")
    title.addElement(TextProperties(fontweight="bold", fontsize="16pt"))
    wide = Style(name="Wide", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="2.5in"))
    for style in (bold, title, wide):
        document.automaticstyles.addElement(style)
    document.meta.addElement(dc.Title(text=model.title))
    document.meta.addElement(dc.Language(text=model.language))

    cover = Table(name="Cover")
    cover.addElement(TableColumn(stylename=wide))
    for index, line in enumerate(cover_lines(model)):
        row = TableRow()
        row.addElement(_cell(line, title if index == 0 else None))
        cover.addElement(row)
    document.spreadsheet.addElement(cover)
    for name, rows in figure_tables(model):
        document.spreadsheet.addElement(_sheet(name, rows, bold=bold, wide=wide))
    output = io.BytesIO()
    document.write(output)
    return output.getvalue()


def render_figures_csv(model: SnapshotDocument) -> str:
    """The published figures as one tidy CSV: a row per recommendation, measure and category."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["Recommendation", "Measure", "Category", "Forces"])
    for reference, _title, asked, answered in model.responses:
        writer.writerow([reference, "Forces asked", "", asked])
        writer.writerow([reference, "Forces answered", "", answered])
    for reference, label, count in model.status_rows:
        writer.writerow([reference, "Status", csv_safe(label), count])
    for reference, name, count in model.theme_rows:
        writer.writerow([reference, "Theme", csv_safe(name), count])
    return "\ufeff" + output.getvalue()


# The GOV.UK pack: what a publisher pastes and uploads to publish the snapshot as transparency data.

PACK_CONTENT_TYPE = "application/zip"


def pack_names(snapshot: Snapshot) -> dict[str, str]:
    base = snapshot_filename(snapshot)
    return {
        "govspeak": f"{base}-html-publication.govspeak.txt",
        "ods": f"{base}-figures.ods",
        "csv": f"{base}-figures.csv",
        "details": f"{base}-publishing-details.txt",
    }


def publishing_details(model: SnapshotDocument, names: dict[str, str]) -> str:
    return "\n".join(
        [
            "Document type: Transparency data",
            f"Title: {model.title}",
            f"Summary: {model.summary}",
            f"{model.date_line}",
            f"{model.applies_to}",
            "",
            "Attachments, in this order:",
            f"1. HTML publication: {model.title} (body: {names['govspeak']})",
            f"2. {model.title}: published figures (ODS): {names['ods']}",
            f"3. {model.title}: published figures (CSV): {names['csv']}",
            "",
        ]
    )


def snapshot_pack(snapshot: Snapshot) -> bytes:
    document = snapshot_document(snapshot)
    return _built_once(snapshot, "pack", document, lambda: render_pack(snapshot, document))


def render_pack(snapshot: Snapshot, model: SnapshotDocument) -> bytes:
    names = pack_names(snapshot)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as pack:
        pack.writestr(names["govspeak"], govspeak(model))
        pack.writestr(names["ods"], render_ods(model))
        pack.writestr(names["csv"], render_figures_csv(model))
        pack.writestr(names["details"], publishing_details(model, names))
    return output.getvalue()


CSV_HEADER = [
    "Force",
    "Report",
    "Recommendation",
    "Status",
    "Themes",
    "Narrative",
    "Evidence documents",
    "Submitted at",
    "Submitted by",
    "Reused from",  # the linked recommendation whose answer the force reused (answered once), if any
]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


# Rows sent to the client at a time: one write per row cost more than writing the row itself.
CSV_ROWS_PER_CHUNK = 500


def round_answers_csv(round: Round) -> Iterator[str]:
    """Stream the round's submitted answers as CSV: three queries however many rows (themes,
    evidence documents, answers)."""
    themes = round_theme_names(round)
    documents = round_document_names(round)
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
                        answer.recommendation.report.short_title,
                        answer.recommendation.reference,
                        labels.get(answer.status, answer.status),
                        "; ".join(themes.get((answer.force_id, answer.recommendation_id), [])),
                        answer.narrative,
                        "; ".join(documents.get((answer.force_id, answer.recommendation_id), [])),
                        answer.created_at.isoformat(timespec="seconds"),
                        answer.created_by.get_username() if answer.created_by else "",
                        answer.reused_from.recommendation.name if answer.reused_from else "",
                    )
                ]
            )
        )
        if len(chunk) >= CSV_ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)
