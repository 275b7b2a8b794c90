"""Template helpers for the portfolio staff pages. Display only: figures come from the roll-up."""

from django import template

register = template.Library()


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
