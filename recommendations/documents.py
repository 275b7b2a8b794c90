"""One document model of a snapshot, which the web page, the DOCX, the ODS, the CSV and the GOV.UK
pack are all rendered from, so the formats cannot disagree.

`snapshot_document` reads the snapshot once (its figures, frozen if published; its sections and
quoted practice; the recommendations' parents for the introduction) and lays it out as seed 001 does:
the title and date, "1. Introduction and background" with numbered paragraphs (1.1., 1.2.), each
recommendation as worded, "2. Snapshot" with one numbered heading per recommendation (2.1.), its
response count, its summary, the practice quoted from forces' answers and the figures chosen for
publication, then "Annex A - The forces that responded".

`SnapshotDocument.lines()` is the document's text in reading order; tests read each format back and
compare its text with these lines. `govspeak` renders the GOV.UK HTML publication's text here; the
binary formats are in exports.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import markup
from .markup import ListBlock, Paragraph, Run
from .models import Recommendation, Snapshot, SnapshotSection
from .rollup import RecommendationFigures, RoundRollup
from .snapshots import (
    fill_figures,
    recommendation_figure_values,
    round_figure_values,
    snapshot_figures,
    snapshot_sections,
)

CAPTION = "Transparency data"
APPLIES_TO = "Applies to England and Wales"
INTRODUCTION_HEADING = "Introduction and background"
SNAPSHOT_HEADING = "Snapshot"
ANNEX_HEADING = "Annex A - The forces that responded"
PRACTICE_HEADING = "Practice described in forces\u2019 answers"


@dataclass
class Heading:
    text: str
    level: int  # 1: a numbered section ("1. Introduction"); 2: within it; 3: within that
    number: str = ""
    anchor: str = ""
    reference: str = ""  # the recommendation a section 2 heading opens, for the editor's links
    report_slug: str = ""  # its report (with the reference, its address)
    kind: str = "heading"

    @property
    def full_text(self) -> str:
        return f"{self.number} {self.text}" if self.number else self.text


@dataclass
class Warning:
    text: str
    kind: str = "warning"


@dataclass
class FigureTable:
    """Counts chosen for publication: a table, and a bar chart of the same numbers if chosen."""

    caption: str
    heading: str  # what the first column holds: "Status" or "Theme"
    rows: list[tuple[str, int]]
    total: int
    chart: bool = False
    kind: str = "table"

    @property
    def alt(self) -> str:
        return f"{self.caption}, out of {self.total} forces: " + "; ".join(
            f"{label}, {count}" for label, count in self.rows
        )


Block = Heading | Paragraph | ListBlock | Warning | FigureTable


@dataclass
class SnapshotDocument:
    title: str
    date_line: str
    author: str
    contact: str
    summary: str
    round_title: str
    is_draft: bool
    blocks: list[Block] = field(default_factory=list)
    # The published figures, for the spreadsheet and the CSV: (reference, title, asked, answered).
    responses: list[tuple[str, str, int, int]] = field(default_factory=list)
    status_rows: list[tuple[str, str, int]] = field(default_factory=list)
    theme_rows: list[tuple[str, str, int]] = field(default_factory=list)
    responded_forces: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    caption: str = CAPTION
    applies_to: str = APPLIES_TO
    language: str = "en-GB"

    def lines(self) -> list[str]:
        """The document's text in reading order, one line per heading, paragraph, list item,
        warning, table caption and table row ("label | count")."""
        lines = [self.title, self.date_line, self.applies_to]
        for block in self.blocks:
            lines += block_lines(block)
        return lines

    @property
    def headings(self) -> list[Heading]:
        return [block for block in self.blocks if isinstance(block, Heading)]


def block_lines(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [block.full_text]
    if isinstance(block, Paragraph):
        return [f"{block.number} {block.text}" if block.number else block.text]
    if isinstance(block, ListBlock):
        return block.texts
    if isinstance(block, Warning):
        return [block.text]
    return [block.caption, f"{block.heading} | Forces"] + [f"{label} | {count}" for label, count in block.rows]


def date_line(snapshot: Snapshot) -> str:
    if snapshot.state != Snapshot.State.PUBLISHED or snapshot.published_on is None:
        return "Draft, not published"
    verb = "Updated" if snapshot.updates_snapshot_id else "Published"
    return f"{verb} {snapshot.published_on.day} {snapshot.published_on:%B %Y}"


def fill(text: str, values: dict[str, int]) -> str:
    return fill_figures(text, values)


def recommendation_heading(figures: RecommendationFigures, headings: str) -> str:
    wording = figures.title
    if headings == Snapshot.Headings.SENTENCE and figures.sentence:
        wording = figures.sentence
    return f"Recommendation {figures.reference}: {wording}"


def _several_reports(rollup) -> bool:
    """A round that asks about several reports' recommendations: the snapshot heads each report's
    and names each recommendation with its report (two reports may both have a "1")."""
    return len({figures.report_slug for figures in rollup.recommendations}) > 1


def recommendation_named(figures: RecommendationFigures, several: bool) -> str:
    """How a table, a note or a row names a recommendation: "recommendation 1", or with its report
    ("TVIP super-complaint 1") when the snapshot covers several."""
    if several and figures.report_title:
        return f"{figures.report_title} {figures.reference}"
    return f"recommendation {figures.reference}"


def _numbered(blocks: list, prefix: str, start: int) -> tuple[list, int]:
    """Paragraphs numbered "1.1.", "1.2." from `start`; lists and headings keep no number."""
    number = start
    for block in blocks:
        if isinstance(block, Paragraph):
            block.number = f"{prefix}.{number}."
            number += 1
    return blocks, number


def _introduction_recommendations(rollup: RoundRollup) -> list[Recommendation]:
    """The report's recommendations as the introduction lists them: each part's parent once (it
    holds the parts' wording, as recommendation 2 does), in the round's order. One query."""
    ids = [figures.recommendation_id for figures in rollup.recommendations]
    by_id = {
        item.id: item for item in Recommendation.objects.filter(pk__in=ids).select_related("parent__report", "report")
    }
    shown: list[Recommendation] = []
    for recommendation_id in ids:
        recommendation = by_id.get(recommendation_id)
        if recommendation is None:
            continue
        top = recommendation.parent or recommendation
        if all(item.pk != top.pk for item in shown):
            shown.append(top)
    return shown


def snapshot_document(snapshot: Snapshot) -> SnapshotDocument:
    """The snapshot laid out once, for every format."""
    rollup = snapshot_figures(snapshot)
    sections: dict[int, SnapshotSection] = {
        section.recommendation_id: section for section in snapshot_sections(snapshot)
    }
    document = SnapshotDocument(
        title=snapshot.title,
        date_line=date_line(snapshot),
        author=snapshot.author,
        contact=snapshot.contact,
        summary=snapshot.summary,
        round_title=snapshot.round.title,
        is_draft=snapshot.state == Snapshot.State.DRAFT,
        responded_forces=list(rollup.responded_forces),
    )
    blocks = document.blocks
    round_values = round_figure_values(rollup)

    blocks.append(Heading(INTRODUCTION_HEADING, 1, "1.", "introduction"))
    introduction, next_number = _numbered(markup.to_blocks(fill(snapshot.introduction, round_values)), "1", 1)
    blocks += introduction
    several = _several_reports(rollup)
    report_id = None
    for recommendation in _introduction_recommendations(rollup):
        if several and recommendation.report_id != report_id:
            report_id = recommendation.report_id
            blocks.append(Heading(recommendation.report.title, 2))
        blocks.append(
            Heading(f"Recommendation {recommendation.reference}: {recommendation.title}", 3 if several else 2)
        )
        blocks += markup.to_blocks(recommendation.text)
    blocks.append(
        Paragraph(
            [
                Run(
                    f"{rollup.responded} out of the {rollup.asked} forces from across England and Wales responded "
                    "to this request and on the following pages is a consolidated overview of the information "
                    "received."
                )
            ],
            number=f"1.{next_number}.",
        )
    )

    blocks.append(Heading(SNAPSHOT_HEADING, 1, "2.", "snapshot"))
    # With several reports, each report is a numbered heading ("2.1.") and its recommendations under it ("2.1.1.").
    report_number, position, report_slug = 0, 0, None
    for figures in rollup.recommendations:
        section = sections.get(figures.recommendation_id)
        named = recommendation_named(figures, several)
        if several and figures.report_slug != report_slug:
            report_slug, report_number, position = figures.report_slug, report_number + 1, 0
            blocks.append(
                Heading(figures.report_title or figures.report_slug, 2, f"2.{report_number}.", f"report-{report_slug}")
            )
        position += 1
        blocks.append(
            Heading(
                recommendation_heading(figures, snapshot.headings),
                3 if several else 2,
                f"2.{report_number}.{position}." if several else f"2.{position}.",
                figures.anchor,
                figures.reference,
                figures.report_slug,
            )
        )
        if figures.caveat:
            blocks.append(Warning(figures.caveat))
        blocks.append(
            Paragraph([Run(f"{figures.answered} out of the {figures.asked} forces answered this recommendation.")])
        )
        label = figures.reference if not several else named
        document.responses.append((label, figures.title, figures.asked, figures.answered))
        if figures.caveat:
            document.notes.append(f"{named[0].upper()}{named[1:]}: {figures.caveat}")
        if section is None:
            continue
        blocks += markup.to_blocks(fill(section.summary, recommendation_figure_values(figures, rollup)))
        if section.notable_practice:
            blocks.append(Heading(PRACTICE_HEADING, 3))
            blocks.append(
                ListBlock([[Run(f"{item['attribution']} {item['quote']}")] for item in section.notable_practice])
            )
        if section.show_status_counts:
            rows = [(count.label, count.count) for count in figures.status_counts]
            blocks.append(
                FigureTable(
                    f"Forces by status, {named}",
                    "Status",
                    rows,
                    figures.asked,
                    section.show_charts,
                )
            )
            document.status_rows += [(label, status, count) for status, count in rows]
        if section.show_theme_counts and figures.theme_counts:
            rows = [(theme.name, theme.count) for theme in figures.theme_counts]
            blocks.append(
                FigureTable(
                    f"Themes found in the answers, {named}",
                    "Theme",
                    rows,
                    figures.asked,
                    section.show_charts,
                )
            )
            document.theme_rows += [(label, name, count) for name, count in rows]

    blocks.append(Heading(ANNEX_HEADING, 1, "", "annex-a"))
    blocks.append(ListBlock([[Run(name)] for name in rollup.responded_forces], anchor="annex-a-forces"))
    return document


# GOV.UK's govspeak: Markdown with a few extensions ("%...%" is a warning callout). The numbers of
# headings and paragraphs are written into the text, as seed 001 has them.

_GOVSPEAK_SPECIAL = str.maketrans({"\\": "\\\\", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "`": "\\`"})


def _govspeak_runs(runs: list[Run]) -> str:
    parts = []
    for run in runs:
        text = run.text.translate(_GOVSPEAK_SPECIAL)
        if run.bold:
            text = f"**{text}**"
        if run.italic:
            text = f"*{text}*"
        if run.href:
            text = f"[{text}]({run.href})"
        parts.append(text)
    return "".join(parts)


def govspeak(document: SnapshotDocument) -> str:
    """The HTML publication's body in govspeak, ready to paste into GOV.UK's publisher."""
    out: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            out.append("#" * (block.level + 1) + " " + block.full_text.translate(_GOVSPEAK_SPECIAL))
        elif isinstance(block, Paragraph):
            out.append((f"{block.number} " if block.number else "") + _govspeak_runs(block.runs))
        elif isinstance(block, ListBlock):
            out.append(
                "\n".join(
                    (f"{index}. " if block.ordered else "* ") + _govspeak_runs(item)
                    for index, item in enumerate(block.items, start=1)
                )
            )
        elif isinstance(block, Warning):
            out.append(f"%{block.text.translate(_GOVSPEAK_SPECIAL)}%")
        else:
            rows = [f"| {block.heading} | Forces |", "| --- | ---: |"]
            rows += [f"| {label.translate(_GOVSPEAK_SPECIAL)} | {count} |" for label, count in block.rows]
            out.append(f"{block.caption}\n\n" + "\n".join(rows))
    return "\n\n".join(out) + "\n"
