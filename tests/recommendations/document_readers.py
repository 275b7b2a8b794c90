"""Reading each format of a snapshot back into lines of text, to compare with the document model
(`SnapshotDocument.lines()`): one line per heading, paragraph, list item, warning, table caption and
table row ("label | count")."""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser

import docx
from docx.oxml.ns import qn
from odf import teletype
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow

_BLOCKS = {"h1", "h2", "h3", "h4", "p", "li", "caption"}
_VOID = {"br", "img", "input", "meta", "link", "hr"}


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _PageReader(HTMLParser):
    """The text of the element with the given id, skipping what is hidden from readers or marked as
    not part of the document (class app-no-print)."""

    def __init__(self, root_id: str):
        super().__init__(convert_charrefs=True)
        self.root_id = root_id
        self.depth = 0  # inside the root when > 0
        self.skip = 0  # inside a skipped element when > 0
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, starts a block, skipped)
        self.buffer: list[str] | None = None
        self.cells: list[str] | None = None
        self.cell: list[str] | None = None
        self.lines: list[str] = []
        self.tagged: list[tuple[str, str]] = []  # (tag, text) of each block read
        self.block_tag = ""

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if self.depth == 0:
            if attrs.get("id") == self.root_id:
                self.depth = 1
                self.stack = [(tag, False, False)]
            return
        skipped = attrs.get("aria-hidden") == "true" or "app-no-print" in classes or "govuk-visually-hidden" in classes
        block = False
        if not skipped and not self.skip:
            if tag == "tr":
                self.cells = []
            elif tag in ("th", "td") and self.cells is not None:
                self.cell = []
            elif self.buffer is None and (
                tag in _BLOCKS or (tag == "strong" and "govuk-warning-text__text" in classes)
            ):
                self.buffer, block = [], True
                self.block_tag = tag
        self.skip += skipped
        self.stack.append((tag, block, skipped))
        self.depth += 1

    def handle_endtag(self, tag):
        if self.depth == 0 or tag in _VOID:
            return
        while self.stack:
            open_tag, block, skipped = self.stack.pop()
            self.depth -= 1
            self.skip -= skipped
            if block and self.buffer is not None:
                text = _tidy("".join(self.buffer))
                if text:
                    self.lines.append(text)
                    self.tagged.append((self.block_tag, text))
                self.buffer = None
            if open_tag in ("th", "td") and self.cell is not None and self.cells is not None:
                self.cells.append(_tidy("".join(self.cell)))
                self.cell = None
            if open_tag == "tr" and self.cells is not None:
                self.lines.append(f"{self.cells[0]} | {self.cells[-1]}")
                self.cells = None
            if open_tag == tag:
                break
        if not self.stack:
            self.depth = 0

    def handle_data(self, data):
        if self.depth == 0 or self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.buffer is not None:
            self.buffer.append(data)


def page_lines(html: str, root_id: str = "snapshot-document") -> list[str]:
    reader = _PageReader(root_id)
    reader.feed(html)
    reader.close()
    return reader.lines


def page_structure(html: str, root_id: str = "snapshot-document") -> dict[str, list[str]]:
    """Headings (below the title), numbered paragraphs and list items of the page's document."""
    reader = _PageReader(root_id)
    reader.feed(html)
    reader.close()
    return {
        "headings": [text for tag, text in reader.tagged if tag in ("h2", "h3", "h4")],
        "numbered": [text for tag, text in reader.tagged if tag == "p" and re.match(r"\d+\.\d+\. ", text)],
        "items": [text for tag, text in reader.tagged if tag == "li"],
    }


def docx_lines(content: bytes) -> list[str]:
    """Paragraphs and table rows in the order the body holds them (first and last cell of a row)."""
    document = docx.Document(io.BytesIO(content))
    lines = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            text = "".join(node.text or "" for node in element.iter(qn("w:t")))
            if text.strip():
                lines.append(_tidy(text))
        elif element.tag == qn("w:tbl"):
            for row in element.iter(qn("w:tr")):
                cells = [
                    _tidy("".join(node.text or "" for node in cell.iter(qn("w:t")))) for cell in row.iter(qn("w:tc"))
                ]
                lines.append(f"{cells[0]} | {cells[-1]}")
    return lines


_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\([^)]*\)")


def _govspeak_text(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"(?<!\\)\*\*", "", text)
    text = re.sub(r"(?<!\\)\*", "", text)
    return _tidy(re.sub(r"\\(.)", r"\1", text))


def govspeak_lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if not line.strip() or re.fullmatch(r"\|\s*-+\s*\|\s*-*:?\s*\|", line.strip()):
            continue
        if line.startswith("#"):
            lines.append(_govspeak_text(line.lstrip("#")))
        elif line.startswith("* "):
            lines.append(_govspeak_text(line[2:]))
        elif re.match(r"\d+\. ", line):
            lines.append(_govspeak_text(line.split(". ", 1)[1]))
        elif line.startswith("%") and line.endswith("%"):
            lines.append(_govspeak_text(line[1:-1]))
        elif line.startswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            lines.append(f"{_govspeak_text(cells[0])} | {_govspeak_text(cells[-1])}")
        else:
            lines.append(_govspeak_text(line))
    return lines


def govspeak_structure(text: str) -> dict[str, list[str]]:
    """Headings, numbered paragraphs and list items of a govspeak text."""
    structure: dict[str, list[str]] = {"headings": [], "numbered": [], "items": []}
    for line in text.splitlines():
        if line.startswith("#"):
            structure["headings"].append(_govspeak_text(line.lstrip("#")))
        elif re.match(r"\d+\.\d+\. ", line):
            structure["numbered"].append(_govspeak_text(line))
        elif line.startswith("* ") or re.match(r"\d+\. ", line):
            structure["items"].append(_govspeak_text(line.split(" ", 1)[1]))
    return structure


def ods_sheets(content: bytes) -> dict[str, list[list]]:
    """Each sheet's rows; a number cell as a float, a text cell as its text."""
    document = load(io.BytesIO(content))
    sheets = {}
    for table in document.spreadsheet.getElementsByType(Table):
        rows = []
        for row in table.getElementsByType(TableRow):
            values = []
            for cell in row.getElementsByType(TableCell):
                if cell.getAttribute("valuetype") == "float":
                    values.append(float(cell.getAttribute("value")))
                else:
                    values.append(teletype.extractText(cell))
            rows.append(values)
        sheets[table.getAttribute("name")] = rows
    return sheets


def zip_files(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as pack:
        return {name: pack.read(name) for name in pack.namelist()}
