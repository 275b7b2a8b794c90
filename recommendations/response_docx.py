"""A statutory response as a DOCX (A4, en-GB), written from the same sanitised markup as its web page
(markup.to_blocks), by the snapshot's DOCX writer, so the two hold the same text."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Mm, Pt

from . import markup
from .exports import DocxWriter, set_language
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


def _write_markup(writer: DocxWriter, text: str) -> None:
    for block in markup.to_blocks(text):
        writer.markup(block)


def response_docx(response: StatutoryResponse, sections) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    document.core_properties.title = response.title[:255]  # the property holds no more
    document.core_properties.author = response.body.name
    document.core_properties.language = "en-GB"
    document.styles["Normal"].font.size = Pt(12)
    set_language(document, "en-GB")
    writer = DocxWriter(document)
    writer.paragraph(response.title, "Heading 1")
    writer.paragraph(updated_line(response))
    if response.quotes_published_text:
        writer.paragraph(QUOTING_NOTE)
    _write_markup(writer, response.introduction)
    for item in sections:
        writer.paragraph(f"{item.number}) {item.heading}", "Heading 2")
        _write_markup(writer, item.text)
    _write_markup(writer, response.closing)
    if response.signature_name:
        writer.paragraph(response.signature_name)
    writer.paragraph(response.signature_title)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
