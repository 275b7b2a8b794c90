"""The statutory response's small safe markup: paragraphs, lists, quotes, emphasis and links.

Markdown is turned into HTML, then nh3 keeps only the tags below (a `javascript:` link or a
`<script>` goes, with its content). The web page shows that HTML; the DOCX is written from the same
sanitised tree (`blocks`), so the two cannot disagree. Kept apart from the snapshot's markup so each
can change on its own; the two can become one module later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {"p", "ul", "ol", "li", "blockquote", "em", "strong", "a", "br"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def to_html(text: str) -> SafeString:
    html = markdown.markdown(text or "", output_format="html")
    return mark_safe(
        nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer")
    )


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""


@dataclass
class Block:
    """A paragraph as a document holds it: plain, a list item (bulleted or numbered), or quoted."""

    kind: str  # "paragraph", "bullet", "number"
    quoted: bool = False
    runs: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


class _BlockParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.lists: list[str] = []
        self.quote_depth = 0
        self.bold = self.italic = 0
        self.href = ""
        self.current: Block | None = None

    def _open(self, kind: str) -> None:
        self.current = Block(kind=kind, quoted=self.quote_depth > 0)
        self.blocks.append(self.current)

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li":
            self._open("number" if self.lists and self.lists[-1] == "ol" else "bullet")
        elif tag == "p" and not self.lists:
            self._open("paragraph")
        elif tag == "blockquote":
            self.quote_depth += 1
        elif tag == "strong":
            self.bold += 1
        elif tag == "em":
            self.italic += 1
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""
        elif tag == "br" and self.current:
            self.current.runs.append(Run("\n"))

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "blockquote":
            self.quote_depth -= 1
        elif tag == "strong":
            self.bold -= 1
        elif tag == "em":
            self.italic -= 1
        elif tag == "a":
            self.href = ""
        if tag in ("p", "li"):
            self.current = None

    def handle_data(self, data):
        if not data.strip() and (self.current is None or not self.current.runs):
            return
        if self.current is None:
            self._open("paragraph")
        self.current.runs.append(Run(data, bold=self.bold > 0, italic=self.italic > 0, href=self.href))


def blocks(text: str) -> list[Block]:
    """The sanitised text as blocks of runs, for documents."""
    parser = _BlockParser()
    parser.feed(str(to_html(text)))
    parser.close()
    return [block for block in parser.blocks if block.text.strip()]
