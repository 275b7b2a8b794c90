"""The statutory response's safe markup, for templates."""

from django import template
from django.utils.safestring import mark_safe

from .. import markup as markup_module
from ..response_docx import QUOTING_NOTE

register = template.Library()


@register.filter
def markup(text: str):
    """The text as sanitised HTML (markup.to_html): the same tree the DOCX is written from."""
    return mark_safe(markup_module.to_html(text))


@register.filter
def timeliness_tag(key: str) -> str:
    return {"on_time": "govuk-tag--green", "late": "govuk-tag--orange", "not_yet": "govuk-tag--grey"}.get(key, "")


@register.simple_tag
def quoting_note() -> str:
    return QUOTING_NOTE
