"""Template helpers for the portfolio staff pages. Display only: figures come from the roll-up."""

import datetime
import functools

from django import template
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .answer_tags import status_tag

register = template.Library()

_ANSWERED_CELL = (
    '<td class="govuk-table__cell"><a class="govuk-link" href="{}?round={}#{}-{}"><span class="govuk-visually-hidden">{}, '
    'recommendation {}: </span><strong class="govuk-tag {}">{}</strong></a>{}</td>'
)
_UNANSWERED_CELL = '<td class="govuk-table__cell"><strong class="govuk-tag {}">{}</strong></td>'
_TIMELINE_CELL = (
    '<td class="govuk-table__cell"><strong class="govuk-tag {}">{}</strong> <span class="govuk-body-s">{}</span></td>'
)
_TIMELINE_NO_RESPONSE = '<td class="govuk-table__cell"><span class="govuk-body-s">No response</span></td>'


@register.filter
def paragraphs(text: str) -> list[str]:
    """Text split on blank lines, for one govuk-body paragraph each."""
    return [part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()]


@register.filter
def text_blocks(text: str) -> list[tuple[str, list[str]]]:
    """Text as blocks in reading order: ("p", [line]) for a line, ("ul", [items]) for "- " bullets in a row."""
    blocks: list[tuple[str, list[str]]] = []
    for paragraph in paragraphs(text):
        for line in paragraph.splitlines():
            if line.startswith("- "):
                if blocks and blocks[-1][0] == "ul":
                    blocks[-1][1].append(line[2:])
                else:
                    blocks.append(("ul", [line[2:]]))
            elif line.strip():
                blocks.append(("p", [line.strip()]))
    return blocks


@register.filter
def any_changed(changes) -> bool:
    return any(change.changed for change in changes or ())


@register.simple_tag
def matrix_cells(row, force_url: str, round_slug: str) -> str:
    """A row of the dashboard's matrix: each status as a tag, linked to the force's answer if it gave one
    (on the force's page, at the round's answer to the recommendation: `?round=<slug>#<slug>-<anchor>`).

    Built with format_html, as Django's admin builds its change list cells: in the template language
    the 300 cells of a page of the matrix took most of the dashboard's rendering time.
    """
    return mark_safe(
        "\n      ".join(
            format_html(
                _ANSWERED_CELL,
                force_url,
                round_slug,
                round_slug,
                cell.anchor,
                row.force.name,
                cell.reference,
                status_tag(cell.status),
                cell.label,
                format_html('<br><span class="govuk-body-s app-review">{}</span>', cell.review_label)
                if cell.review_label
                else "",
            )
            if cell.linked
            else format_html(_UNANSWERED_CELL, status_tag(cell.status), cell.label)
            for cell in row.cells
        )
    )


@functools.lru_cache(maxsize=4096)
def _day(day: datetime.date, language: str | None) -> str:
    """A day as the date filter writes "j M Y" in the language active (each written once, not per answer)."""
    return date_format(day, "j M Y")


@register.simple_tag
def timeline_cells(row) -> str:
    """A row of a recommendation's timeline (the register): each round's status, or its withdrawal,
    with the day it was given, or "No response". Built with format_html, as matrix_cells is."""

    def day(moment) -> str:
        return _day(timezone.localtime(moment).date(), translation.get_language())

    return mark_safe(
        "".join(
            format_html(
                _TIMELINE_CELL,
                "govuk-tag--grey" if cell.withdrawn else status_tag(cell.status),
                "Withdrawn" if cell.withdrawn else cell.status_label,
                day(cell.date),
            )
            if cell
            else _TIMELINE_NO_RESPONSE
            for cell in row.cells
        )
    )
