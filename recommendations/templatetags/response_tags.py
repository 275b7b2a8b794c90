"""The statutory response's safe markup, for templates."""

from django import template

from .. import response_markup
from ..response_docx import QUOTING_NOTE

register = template.Library()


@register.filter
def markup(text: str):
    """The text as sanitised HTML (response_markup.to_html): the same tree the DOCX is written from."""
    return response_markup.to_html(text)


@register.filter
def timeliness_tag(key: str) -> str:
    return {"on_time": "govuk-tag--green", "late": "govuk-tag--orange", "not_yet": "govuk-tag--grey"}.get(key, "")


@register.simple_tag
def quoting_note() -> str:
    return QUOTING_NOTE
