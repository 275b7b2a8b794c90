"""The small, safe markup staff write a snapshot's introduction and summaries in, and the figures it
can carry.

Markdown (paragraphs, bullet and numbered lists, quotes, links, bold, italic) is turned into HTML by
Python-Markdown, then sanitised by nh3 (Ammonia): only the tags below survive, links keep only an
http, https or mailto address, and a `<script>` goes with its content. The sanitised HTML is then
read into plain blocks (`Paragraph`, `ListBlock` of `Run`s), which the web page, the DOCX, the ODS
and the GOV.UK pack all render, so no format reads the markup its own way. A commissioner's office
writes its statutory response in the same markup (its page shows `to_html`, its DOCX the blocks).

Figures are written as placeholders (`{answered}`, `{Theme:Specific HBA policy or SOP}`) and filled
from the snapshot's figures each time it is rendered: while it is a draft, from the round as it is
now; once published, from the figures frozen with it. A figure in the text is never typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

import markdown
import nh3

from .hidden_characters import visible_controls

ALLOWED_TAGS = {"p", "ul", "ol", "li", "blockquote", "a", "strong", "b", "em", "i", "br"}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Run:
    """A piece of text with its emphasis and link, if any."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""


@dataclass
class Paragraph:
    runs: list[Run]
    number: str = ""  # "1.1." where the document numbers its paragraphs, as seed 001 does
    kind: str = "paragraph"
    quoted: bool = False  # inside a quote ("> " in the markup)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class ListBlock:
    items: list[list[Run]] = field(default_factory=list)
    ordered: bool = False
    anchor: str = ""
    kind: str = "list"

    @property
    def texts(self) -> list[str]:
        return ["".join(run.text for run in item) for item in self.items]


_LIST_LINE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def _loosen_lists(text: str) -> str:
    """A blank line before a list that follows a paragraph's line, which Markdown would otherwise
    read as part of the paragraph (people type "Including:" and then "- " lines straight after)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    for line in lines:
        if _LIST_LINE.match(line) and out and out[-1].strip() and not _LIST_LINE.match(out[-1]):
            out.append("")
        out.append(line)
    return "\n".join(out)


def to_html(text: str) -> str:
    """The markup as sanitised HTML: only paragraphs, lists, links and emphasis. A character that
    would reorder the text is shown as its visible marker (hidden_characters.py), in every format."""
    return _sanitised_html(text or "")


# The same text always gives the same HTML, and a published snapshot or a response page renders the
# same texts on every request (Markdown and the sanitiser were a third of the snapshot page's time):
# each process keeps the HTML of the texts it rendered last.
@lru_cache(maxsize=512)
def _sanitised_html(text: str) -> str:
    html = markdown.markdown(_loosen_lists(visible_controls(text)), extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes=ALLOWED_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


class _BlockReader(HTMLParser):
    """Reads the sanitised HTML into blocks. Nested lists are flattened into their parent list."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Paragraph | ListBlock] = []
        self.runs: list[Run] | None = None
        self.lists: list[ListBlock] = []
        self.bold = 0
        self.italic = 0
        self.href = ""
        self.quotes = 0

    def _start_runs(self) -> list[Run]:
        if self.runs is None:
            self.runs = []
        return self.runs

    def _end_runs(self) -> None:
        runs = _tidy(self.runs or [])
        self.runs = None
        if not runs:
            return
        if self.lists:
            self.lists[0].items.append(runs)
        else:
            self.blocks.append(Paragraph(runs, quoted=self.quotes > 0))

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self._end_runs()
            if not self.lists:
                self.lists.append(ListBlock(ordered=tag == "ol"))
            else:
                self.lists.append(self.lists[0])
        elif tag in ("p", "li"):
            self._end_runs()
            self._start_runs()
        elif tag == "blockquote":
            self._end_runs()
            self.quotes += 1
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""
        elif tag == "br":
            self._start_runs().append(Run(" "))

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self._end_runs()
            finished = self.lists.pop()
            if not self.lists and finished.items:
                self.blocks.append(finished)
        elif tag in ("p", "li"):
            self._end_runs()
        elif tag == "blockquote":
            self._end_runs()
            self.quotes = max(0, self.quotes - 1)
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag == "a":
            self.href = ""

    def handle_data(self, data):
        if not data.strip() and self.runs is None:
            return
        self._start_runs().append(Run(data, bold=self.bold > 0, italic=self.italic > 0, href=self.href))

    def close(self):
        super().close()
        self._end_runs()


def _tidy(runs: list[Run]) -> list[Run]:
    """Runs with white space collapsed as a browser shows it, and neighbours of one kind joined."""
    tidy: list[Run] = []
    for run in runs:
        text = re.sub(r"\s+", " ", run.text)
        if tidy and (tidy[-1].bold, tidy[-1].italic, tidy[-1].href) == (run.bold, run.italic, run.href):
            tidy[-1] = Run(tidy[-1].text + text, run.bold, run.italic, run.href)
        else:
            tidy.append(Run(text, run.bold, run.italic, run.href))
    if tidy:
        tidy[0] = Run(tidy[0].text.lstrip(), tidy[0].bold, tidy[0].italic, tidy[0].href)
        tidy[-1] = Run(tidy[-1].text.rstrip(), tidy[-1].bold, tidy[-1].italic, tidy[-1].href)
    return [run for run in tidy if run.text]


def to_blocks(text: str) -> list[Paragraph | ListBlock]:
    """The markup as blocks of runs, read from its sanitised HTML."""
    reader = _BlockReader()
    reader.feed(to_html(text))
    reader.close()
    return reader.blocks


# Figures in the text. `{answered}` is a number as GOV.UK writes it (words below ten, numerals from
# ten); a capital first letter (`{Answered}`) starts a sentence ("Five forces").

_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)(?::([^{}\n]+))?\}")


class UnknownFigure(ValueError):
    pass


def placeholders(text: str) -> list[str]:
    return [match.group(0) for match in _PLACEHOLDER.finditer(text or "")]


def fill_figures(text: str, figures: dict[str, int], *, words) -> str:
    """The text with each placeholder replaced by its figure; an unknown one is left as typed.

    `figures` maps a lower-case name ("answered", "theme:specific hba policy or sop") to a count;
    `words` writes a count as text (snapshots.number_in_words).
    """

    def replace(match: re.Match) -> str:
        name, argument = match.group(1), match.group(2)
        key = name.lower() + (f":{argument.strip().lower()}" if argument else "")
        if key not in figures:
            return match.group(0)
        return words(figures[key], capital=name[:1].isupper())

    return _PLACEHOLDER.sub(replace, text or "")


def unknown_figures(text: str, figures: dict[str, int]) -> list[str]:
    """The placeholders in the text that name no figure."""
    unknown = []
    for match in _PLACEHOLDER.finditer(text or ""):
        name, argument = match.group(1), match.group(2)
        key = name.lower() + (f":{argument.strip().lower()}" if argument else "")
        if key not in figures:
            unknown.append(match.group(0))
    return unknown
