"""Rendering a snapshot's document model (documents.py) as the web page: one tag per block.

Every piece of text is escaped by format_html; links come from the sanitised markup (markup.py),
so only http, https and mailto addresses reach an href.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from ..documents import FigureTable, Heading, Warning
from ..markup import ListBlock, Paragraph, Run

register = template.Library()

_HEADING_CLASSES = {1: ("h2", "govuk-heading-l"), 2: ("h3", "govuk-heading-m"), 3: ("h4", "govuk-heading-s")}


def _run(run: Run) -> str:
    html = format_html("{}", run.text)
    if run.bold:
        html = format_html("<strong>{}</strong>", html)
    if run.italic:
        html = format_html("<em>{}</em>", html)
    if run.href:
        html = format_html('<a class="govuk-link" href="{}">{}</a>', run.href, html)
    return html


@register.simple_tag
def runs_html(runs: list[Run]) -> str:
    return mark_safe("".join(_run(run) for run in runs))


@register.simple_tag
def document_block(block) -> str:
    """One block of the document as GOV.UK Frontend markup."""
    if isinstance(block, Heading):
        tag, css = _HEADING_CLASSES[block.level]
        if block.anchor:
            return format_html('<{} class="{}" id="{}">{}</{}>', tag, css, block.anchor, block.full_text, tag)
        return format_html('<{} class="{}">{}</{}>', tag, css, block.full_text, tag)
    if isinstance(block, Paragraph):
        number = format_html('<span class="app-paragraph-number">{} </span>', block.number) if block.number else ""
        paragraph = format_html('<p class="govuk-body">{}{}</p>', number, runs_html(block.runs))
        return (
            format_html('<blockquote class="govuk-inset-text">{}</blockquote>', paragraph)
            if block.quoted
            else paragraph
        )
    if isinstance(block, ListBlock):
        tag, css = ("ol", "govuk-list govuk-list--number") if block.ordered else ("ul", "govuk-list govuk-list--bullet")
        items = format_html_join("", "<li>{}</li>", ((runs_html(item),) for item in block.items))
        if block.anchor:
            return format_html('<{} class="{}" id="{}">{}</{}>', tag, css, block.anchor, items, tag)
        return format_html('<{} class="{}">{}</{}>', tag, css, items, tag)
    if isinstance(block, Warning):
        return format_html(
            '<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>'
            '<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>{}</strong>'
            "</div>",
            block.text,
        )
    if isinstance(block, FigureTable):
        return render_to_string("recommendations/staff/_figure_table.html", {"table": block})
    raise TypeError(f"Not a block of a snapshot document: {block!r}")
