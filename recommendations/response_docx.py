"""A statutory response as a DOCX (A4, en-GB), written from the same sanitised markup as its web page
(response_markup.blocks), so the two hold the same text."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from . import response_markup
from .models import StatutoryResponse

# Said above a response that reproduces one published elsewhere (the demo's, from seed 000).
QUOTING_NOTE = (
    "This response reproduces the structure and points of the response the office published; passages "
    "marked as quoting are quoted from it."
)


def response_filename(response: StatutoryResponse) -> str:
    return f"{response.body.slug}-{response.report.slug}-response-v{response.version}.docx"


def updated_line(response: StatutoryResponse) -> str:
    """ "Published <date>", or "Updated <date>" for a correction; "Draft" before publication."""
    if response.published_on is None:
        return "Draft: not published"
    word = "Updated" if response.updates_response_id else "Published"
    return f"{word} {response.published_on:%-d %B %Y}"


def _write_markup(document, text: str) -> None:
    for block in response_markup.blocks(text):
        style = {"bullet": "List Bullet", "number": "List Number"}.get(block.kind)
        if block.quoted and style is None:
            style = "Quote"
        paragraph = document.add_paragraph(style=style)
        for run in block.runs:
            added = paragraph.add_run(run.text + (f" ({run.href})" if run.href and run.href != run.text else ""))
            added.bold = run.bold or None
            added.italic = run.italic or None


def response_docx(response: StatutoryResponse, sections) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    document.core_properties.title = response.title[:255]  # the property holds no more
    document.core_properties.author = response.body.name
    document.core_properties.language = "en-GB"
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(12)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-GB")
    normal.element.get_or_add_rPr().append(lang)
    document.add_heading(response.title, level=1)
    document.add_paragraph(updated_line(response))
    if response.quotes_published_text:
        document.add_paragraph(QUOTING_NOTE)
    _write_markup(document, response.introduction)
    for item in sections:
        document.add_heading(f"{item.number}) {item.heading}", level=2)
        _write_markup(document, item.text)
    _write_markup(document, response.closing)
    if response.signature_name:
        document.add_paragraph(response.signature_name)
    document.add_paragraph(response.signature_title)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
