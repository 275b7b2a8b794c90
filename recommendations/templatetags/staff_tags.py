"""Template helpers for the portfolio staff pages. Display only: figures come from the roll-up."""

from django import template

register = template.Library()


@register.filter
def paragraphs(text: str) -> list[str]:
    """Text split on blank lines, for one govuk-body paragraph each."""
    return [part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()]


@register.filter
def bullet_lines(paragraph: str) -> list[tuple[bool, str]]:
    """A paragraph's lines, each marked whether it is a "- " bullet."""
    return [(line.startswith("- "), line[2:] if line.startswith("- ") else line) for line in paragraph.splitlines()]


@register.filter
def minus(value: int, other: int) -> int:
    return value - other
