"""The snapshot as one document model rendered to the page, DOCX, ODS, CSV and the GOV.UK pack:
each format read back and compared with the model; the demo's published snapshot checked point by
point against seed 001; figures in the text filled in, never typed."""

import csv
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from django.contrib.auth import get_user_model
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from forces.models import Force
from recommendations import documents, exports, markup, snapshots
from recommendations.models import Round, Snapshot, SnapshotSection, StatusUpdate, ThemeCoding
from tests.factories import make_answer
from tests.recommendations.document_readers import (
    docx_lines,
    govspeak_lines,
    govspeak_structure,
    ods_sheets,
    page_lines,
    page_structure,
    zip_files,
)

pytestmark = pytest.mark.django_db

MARCH = "progress-update-march-2024"

# Every point seed 001 makes: its headings, each figure, each practice it describes. Found in the
# demo's published snapshot page and in its DOCX (quotes and dashes compared loosely).
SEED_001_HEADINGS = [
    "Transparency data",
    "Updated NPCC response to TVIP super-complaint",
    "Applies to England and Wales",
    "1. Introduction and background",
    "Recommendation 1: The risk of honour-based abuse",
    "Recommendation 2: Cultural awareness",
    "Recommendation 3: Consideration of findings",
    "2. Snapshot",
    "2.1. Recommendation 1: Chief constables update their forces' sexual abuse policies to include the risk of "
    "honour-based abuse",
    "2.2. Recommendation 2a: Chief constables should make sure that officers and staff are aware of the "
    "demographics of the communities they police so they can understand the nuances of different cultures and "
    "have time to learn about those communities",
    "2.3. Recommendation 2b: Chief constables should make sure that independent advisory groups (IAG) or "
    "equivalent groups reflect these demographics (different cultures and religions)",
    "2.4. Recommendation 2c: Chief constables should make sure that forces work with the local communities they "
    "police to prepare up-to-date information on culture and religion and ensure officers have access to it",
    "2.5. Recommendation 2d: Chief constables should make sure that investigations consider any extra factors "
    "that might be relevant because of the culture and background of the victim or suspect",
    "2.6. Recommendation 3: The NPCC and the College of Policing consider the findings from this investigation",
    "Annex A - The forces that responded",
]
SEED_001_FIGURES = [
    "1.2. 40 out of the 43 forces from across England and Wales responded to this request",
    "Five forces had implemented or were developing a specific HBA policy or SOP",
    "There were no forces who said HBA was not and will not be referenced",
    "From the 15 forces that did respond",
    "comments from those 15 forces",
    "Not all forces answered this recommendation: 15 of 43 did",
    "54 dedicated HBA Champions",
    "nineteen AFIs",
    "eight protected characteristics",
    "within 12 months",
    "due in January 2023",
    "inspection in 2019",
]
SEED_001_PRACTICE = [
    # 1.1 and the recommendations as worded
    "The NPCC Honour-Based Abuse, Forced Marriage and Female Genital Mutilation (FGM) portfolio has requested updates",
    "officers and staff are aware of the demographics of the communities they police",
    "independent advisory groups or equivalent groups reflect these demographics",
    "The information in the third point must include:",
    "any additional challenges and pressures relating to re-traumatisation",
    "data on voluntary attendance",
    "data on the use of interpreters",
    "data on offering and providing special measures",
    "their confidence and capability to ask the right questions",
    # 2.1
    "harmful practices",
    "domestic abuse, RASSO and sexual abuse",
    "forced marriage and female genital mutilation",
    "bespoke training packages",
    "Karma Nirvana",
    "work underway to ensure it is added",
    # 2.2
    "multi-cultural and diverse areas",
    "Neighbourhood Policing Teams",
    "neighbourhood profiles",
    "census and local authority data",
    "Derbyshire Alert",
    "(borough or ward)",
    "Community Engagement Guides",
    "single points of contact (SPOCs)",
    "Community Engagement Unit",
    "Community Cohesion Team",
    "Initial police training and specialist investigative training",
    "white gypsy traveller, Iraqi Kurdish and South Asian",
    "ilearn tool",
    "DEI Strategy and DEI Action Plan",
    "Inspector and Sergeant training days",
    "policing education qualifications framework (PEQF)",
    "Detective Training Program",
    "equality, diversity and inclusion days",
    # 2.3
    "IAG, or equivalent, model",
    "two-way communication",
    "SIAGs (Strategic Independent Advisory Groups)",
    "YIAGs (Youth Independent Advisory Groups)",
    "JEGs (Joint Engagement Groups)",
    "CAGs (Community Action Groups)",
    "VAWG IAGs",
    "Police Race Action Plan",
    "Key Individual Networks (KIN)",
    "Racial Advisory Group",
    "African and Caribbean Reference Group",
    "Black Faith Leaders Forum",
    "Muslim Faith Leaders Forum",
    "VOICES (Valuing Our Individual Communities, Experiences and Skills)",
    "University of Leicester",
    "Response to Sexual Violence group",
    "People's Voice",
    "Independent Scrutiny Oversight Boards",
    "Inclusion Board, Public Encounters Group and VAWG Board",
    "Stop & Search cards",
    # 2.4
    "Neighbourhood Policing Guidelines",
    "mosques and community networks",
    "Community Engagement Officers",
    "Community Innovation Hubs",
    "HALO",
    "Crown Prosecution Service",
    "research expertise of a local university",
    "Sexual Assault Referral Centre",
    "Zinthiya and the Shama Centre",
    "Deputy Police and Crime Commissioner leads on VAWG",
    "Neighbourhood Matters",
    "Cultural Intelligence App",
    "Continuous Professional Development (CPD) day",
    "Forced Marriage Unit and the National FGM Centre",
    "at risk of HBA may also be at risk of sexual violence",
    # 2.5
    "THRIVE (Threat, harm, risk, investigation, vulnerability and engagement)",
    "DASH risk assessment",
    "Multi-Agency Risk Assessment Conference (MARAC)",
    "custody staff complete a risk assessment",
    "SARC team",
    "specialist sexual offence responders",
    "Subject Matter Experts",
    "Karma Nirvana risk assessment tool",
    "Domestic Abuse Risk Assessment (DARA)",
    "HBA conference",
    "Operation Soteria Bluestone",
    "Operation Palais",
    "NPCC VAWG Framework",
    "RASSO Investigation Booklet",
    "Investigative Assessment Framework",
    # 2.6
    "PEEL inspections",
    "The force needs to improve the recording of equality data",
    "NPCC Working Group governed by the Diversity, Equality and Inclusion Coordination Committee",
    "Custody Senior Management Team",
    "Performance Management Framework (PMF)",
    "the flag was selected",
    "Athena crime reference",
    "data dashboards",
    "data quality' management information dashboard",
    "referred to their supervisors",
    "record self-defined ethnicity",
    "command and control centres",
    "limitations of its system",
]


def loose(text: str) -> str:
    """Quotes and dashes of either kind, and runs of white space, compared as one."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text.replace("\u2013", "-"))


@pytest.fixture
def published(demo):
    return Snapshot.objects.get(state="published")


def page_of(client, snapshot) -> str:
    return client.get(f"/dashboard/snapshots/{snapshot.pk}/").content.decode()


def test_the_demo_snapshot_covers_every_point_of_seed_001_in_the_page_and_the_docx(client, portfolio, published):
    client.force_login(portfolio)
    page = loose(" \n".join(page_lines(page_of(client, published))))
    page_caption = loose(page_of(client, published))
    document = loose("\n".join(docx_lines(client.get(f"/dashboard/snapshots/{published.pk}/snapshot.docx").content)))
    for point in SEED_001_HEADINGS + SEED_001_FIGURES + SEED_001_PRACTICE:
        assert loose(point) in (page if point != "Transparency data" else page_caption), f"page: {point}"
        assert loose(point) in document, f"DOCX: {point}"
    annex = page_lines(page_of(client, published))[-40:]
    assert annex[0] == "Avon & Somerset" and "West Mercia" in annex and len(annex) == 40


def test_practice_is_quoted_from_illustrative_answers_and_attributed_by_the_rule(published):
    from recommendations.rules import practice_attribution

    quoted = [item for section in published.sections.all() for item in section.notable_practice]
    assert len(quoted) == 36
    assert {item["attribution"] for item in quoted} == {practice_attribution(force_name="x", name_force=False)}
    for item in quoted:
        answer = StatusUpdate.objects.get(
            round__slug=MARCH, is_latest_submitted=True, narrative__contains=item["quote"]
        )
        assert answer.narrative.startswith(f"Illustrative demo text, not {answer.force.name}'s own words: ")


def test_the_demo_answers_are_varied_enough_to_search_and_code(demo):
    answers = StatusUpdate.objects.filter(round__slug=MARCH, is_latest_submitted=True)
    karma = answers.filter(narrative__icontains="Karma Nirvana")
    iag = answers.filter(narrative__contains="IAG")
    assert karma.values("force").distinct().count() >= 10
    assert iag.values("force").distinct().count() >= 10
    assert len(set(karma.values_list("narrative", flat=True))) >= 10
    assert answers.values("narrative").distinct().count() == answers.count()


def test_a_new_drafts_figures_change_when_an_answer_changes(client, portfolio, published):
    client.force_login(portfolio)
    correction = snapshots.snapshot_draft(round=published.round, user=portfolio, updates_snapshot=published)
    before = loose(page_of(client, correction))
    assert "From the 15 forces that did respond" in before
    assert "Five forces had implemented" in before

    # Kent, which had not responded, answers recommendation 3; one force's specific policy is un-coded.
    march = Round.objects.get(slug=MARCH)
    march.closed = False
    march.save()
    kent = Force.objects.get(name="Kent")
    make_answer(
        march,
        kent,
        march.recommendations.get(reference="3"),
        user=get_user_model().objects.get(username="lead-kent"),
        status="in_progress",
        narrative="Done.",
    )
    ThemeCoding.objects.filter(
        round=march, force__name="Bedfordshire", theme__name="Specific HBA policy or SOP"
    ).delete()

    after = loose("\n".join(page_lines(page_of(client, correction))))
    assert "From the 16 forces that did respond" in after
    assert "comments from those 16 forces" in after
    assert "Four forces had implemented" in after
    assert "1.2. 41 out of the 43 forces from across England and Wales" in after
    docx_text = loose("\n".join(docx_lines(client.get(f"/dashboard/snapshots/{correction.pk}/snapshot.docx").content)))
    assert "From the 16 forces that did respond" in docx_text and "Four forces had implemented" in docx_text
    # The published snapshot keeps its frozen figures.
    assert "From the 15 forces that did respond" in loose(page_of(client, published))


@pytest.fixture
def with_tables(published, portfolio):
    """A correction of the demo publishing every table and chart, with a list, a link and bold."""
    draft = snapshots.snapshot_draft(round=published.round, user=portfolio, updates_snapshot=published)
    draft.sections.update(show_status_counts=True, show_theme_counts=True, show_charts=True)
    section = draft.sections.get(recommendation__reference="2b")
    section.summary = (
        "**{Answered} forces** answered. See [the IAG guidance](https://example.org/iag).\n\n"
        "1. first step\n2. second step\n\n<script>alert(1)</script>[bad](javascript:alert(1))"
    )
    section.save()
    return draft


def test_every_format_reads_back_as_the_document_model(client, portfolio, with_tables):
    client.force_login(portfolio)
    model = documents.snapshot_document(with_tables)
    lines = model.lines()
    assert page_lines(page_of(client, with_tables)) == lines
    docx_bytes = client.get(f"/dashboard/snapshots/{with_tables.pk}/snapshot.docx").content
    assert docx_lines(docx_bytes) == ["Transparency data", *lines]
    files = zip_files(client.get(f"/dashboard/snapshots/{with_tables.pk}/govuk-pack.zip").content)
    names = exports.pack_names(with_tables)
    assert set(files) == set(names.values())
    assert govspeak_lines(files[names["govspeak"]].decode()) == lines[3:]

    sheets = ods_sheets(files[names["ods"]])
    assert sheets == ods_sheets(client.get(f"/dashboard/snapshots/{with_tables.pk}/snapshot.ods").content)
    assert list(sheets) == ["Cover", "Responses", "Status counts", "Theme counts", "Forces that responded"]
    assert sheets["Responses"][1:] == [[ref, title, float(a), float(b)] for ref, title, a, b in model.responses]
    assert sheets["Status counts"][1:] == [[ref, label, float(count)] for ref, label, count in model.status_rows]
    assert sheets["Theme counts"][1:] == [[ref, name, float(count)] for ref, name, count in model.theme_rows]
    assert [row[0] for row in sheets["Forces that responded"][1:]] == model.responded_forces
    assert [row[0] for row in sheets["Cover"]] == exports.cover_lines(model)

    rows = list(csv.reader(io.StringIO(files[names["csv"]].decode("utf-8-sig"))))
    assert rows[0] == ["Recommendation", "Measure", "Category", "Forces"]
    assert ["3", "Forces answered", "", "15"] in rows and ["1", "Status", "Complete", "30"] in rows
    assert ["1", "Theme", "Specific HBA policy or SOP", "5"] in rows
    direct = client.get(f"/dashboard/snapshots/{with_tables.pk}/figures.csv").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(direct))) == rows

    details = files[names["details"]].decode()
    assert details.startswith("Document type: Transparency data\nTitle: Updated NPCC response to TVIP super-complaint")
    assert f"Summary: {with_tables.summary}" in details and names["ods"] in details and names["csv"] in details


def test_the_govspeak_headings_numbered_paragraphs_and_lists_match_the_page(client, portfolio, published):
    client.force_login(portfolio)
    html = page_of(client, published)
    files = zip_files(client.get(f"/dashboard/snapshots/{published.pk}/govuk-pack.zip").content)
    text = files[exports.pack_names(published)["govspeak"]].decode()
    structure = govspeak_structure(text)
    page = page_structure(html)
    assert structure == page
    assert structure["headings"][:2] == [
        "1. Introduction and background",
        "Recommendation 1: The risk of honour-based abuse",
    ]
    assert structure["headings"][-1] == "Annex A - The forces that responded"
    assert structure["numbered"][0].startswith("1.1. The NPCC Honour-Based Abuse")
    assert structure["numbered"][1].startswith("1.2. 40 out of the 43 forces")
    assert len(structure["numbered"]) == 2 and len(structure["items"]) > 80
    assert "### 2.1. Recommendation 1: Chief constables update" in text
    assert "%Not all forces answered this recommendation: 15 of 43 did" in text
    assert "**Karma Nirvana**" in text and "[Derbyshire Alert](https://www.derbyshirealert.co.uk/)" in text


def test_markup_is_rendered_safely_with_lists_links_and_bold(client, portfolio, with_tables):
    client.force_login(portfolio)
    html = page_of(client, with_tables)
    assert "<strong>40 forces</strong> answered." in html
    assert '<a class="govuk-link" href="https://example.org/iag">the IAG guidance</a>' in html
    assert '<ol class="govuk-list govuk-list--number"><li>first step</li><li>second step</li></ol>' in html
    assert "<script>alert" not in html and "javascript:" not in html and "alert(1)" not in html
    document = docx.Document(io.BytesIO(client.get(f"/dashboard/snapshots/{with_tables.pk}/snapshot.docx").content))
    bold = [run.text for paragraph in document.paragraphs for run in paragraph.runs if run.bold]
    assert "40 forces" in bold
    numbered = [paragraph.text for paragraph in document.paragraphs if paragraph.style.name == "List Number"]
    assert numbered == ["first step", "second step"]
    links = [rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    assert "https://example.org/iag" in links and not any("javascript" in link for link in links)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Plain **bold** and *italic*.", "<p>Plain <strong>bold</strong> and <em>italic</em>.</p>"),
        ("Including:\n- one\n- two", "<p>Including:</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("[x](javascript:alert(1))", "<p><a>x</a></p>"),
        ('<img src=x onerror="alert(1)">Hi', "<p>Hi</p>"),
        ("<script>alert(1)</script>", ""),
        ("[site](https://example.org)", '<p><a href="https://example.org">site</a></p>'),
    ],
)
def test_the_markup_keeps_only_paragraphs_lists_links_and_emphasis(text, html):
    assert markup.to_html(text).strip() == html


def test_figures_are_filled_in_as_govuk_writes_numbers():
    values = {"answered": 15, "theme:iag in place": 5, "status:will_not_implement": 0}
    text = "From the {answered} forces. {Theme:IAG in place} have one. There were {status:will_not_implement}. {x}"
    assert snapshots.fill_figures(text, values) == "From the 15 forces. Five have one. There were no. {x}"
    assert markup.unknown_figures(text, values) == ["{x}"]


def test_the_docx_is_fit_to_publish(client, portfolio, with_tables):
    client.force_login(portfolio)
    document = docx.Document(io.BytesIO(client.get(f"/dashboard/snapshots/{with_tables.pk}/snapshot.docx").content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.core_properties.title == with_tables.title
    assert document.core_properties.author == "NPCC Honour-Based Abuse, Forced Marriage and FGM portfolio"
    assert document.core_properties.language == "en-GB"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    styles = [paragraph.style.name for paragraph in document.paragraphs]
    assert styles.count("Heading 1") == 3 and styles.count("Heading 2") == 9 and "Title" in styles
    assert len(document.tables) == 12
    for table in document.tables:
        properties = table._tbl.tblPr
        assert properties.find(qn("w:tblCaption")).get(qn("w:val"))
        assert "out of 43 forces" in properties.find(qn("w:tblDescription")).get(qn("w:val"))  # alternative text
        header = table.rows[0]._tr.trPr
        assert header.find(qn("w:tblHeader")) is not None  # repeated on each page, marked as the header
        for index, row in enumerate(table.rows):
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
            number = row.cells[-1].paragraphs[0]
            assert number.alignment == WD_ALIGN_PARAGRAPH.RIGHT
            assert number.paragraph_format.keep_with_next == (index < len(table.rows) - 1)


LIBREOFFICE = shutil.which("libreoffice")
PDF_TOOLS = shutil.which("pdfinfo") and shutil.which("pdftotext")


@pytest.mark.skipif(
    not (LIBREOFFICE and PDF_TOOLS) and os.environ.get("REQUIRE_BROWSER") != "1",
    reason="needs Debian's libreoffice-writer-nogui and poppler-utils (.ci/run installs them)",
)
def test_the_docx_prints_on_a4_with_headings_and_no_table_split_across_pages(client, portfolio, with_tables, tmp_path):
    client.force_login(portfolio)
    source = tmp_path / "snapshot.docx"
    source.write_bytes(client.get(f"/dashboard/snapshots/{with_tables.pk}/snapshot.docx").content)
    subprocess.run(
        [
            LIBREOFFICE or "libreoffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "snapshot.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "(A4)" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages > 5
    texts = [
        subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for page in range(1, pages + 1)
    ]
    everything = "\n".join(texts)
    assert "2. Snapshot" in everything and "Annex A - The forces that responded" in everything
    model = documents.snapshot_document(with_tables)
    for table in [block for block in model.blocks if isinstance(block, documents.FigureTable)]:
        on = [number for number, text in enumerate(texts) if table.caption in text]
        assert len(on) == 1, table.caption
        # The last row's first word (a long label wraps in its cell) is on the caption's page.
        last_word = table.rows[-1][0].split()[0]
        assert last_word in texts[on[0]].split(table.caption, 1)[1], f"{table.caption} is split across pages"


def test_the_editor_previews_without_saving_and_refuses_unknown_figures(client, portfolio, published):
    client.force_login(portfolio)
    draft = snapshots.snapshot_draft(round=published.round, user=portfolio)
    url = f"/dashboard/snapshots/{draft.pk}/recommendations/tvip-super-complaint/2b/edit/"
    page = client.get(url).content.decode()
    assert "{theme:iag in place}" in page  # the figures that can be written in, with their values
    summary = "Most forces:\n- have an **IAG**\n- see [guidance](https://example.org)\n\n{Answered} answered."
    preview = client.post(url, {"summary": summary, "preview": "Preview"}).content.decode()
    assert '<div class="govuk-inset-text app-preview" id="preview"' in preview
    assert "<li>have an <strong>IAG</strong></li>" in preview and "40 answered." in preview
    section = SnapshotSection.objects.get(snapshot=draft, recommendation__reference="2b")
    assert "Most forces" not in section.summary
    refused = client.post(url, {"summary": "The {anwsered} forces.", "save": "Save summary"}).content.decode()
    assert "These name no figure: {anwsered}" in refused and "govuk-error-summary" in refused
    response = client.post(url, {"summary": summary, "show_status_counts": "on", "save": "Save summary"})
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.summary == summary and section.show_status_counts and not section.show_charts
    intro = client.post(
        f"/dashboard/snapshots/{draft.pk}/edit/",
        {"title": "T", "introduction": "{Responded} of {asked}.", "headings": "sentence", "preview": "Preview"},
    ).content.decode()
    assert "40 of 43." in intro


def test_the_every_answer_csv_is_on_the_dashboard_marked_official_not_beside_the_publication(
    client, portfolio, published
):
    client.force_login(portfolio)
    assert "answers.csv" not in page_of(client, published)
    dashboard = client.get(f"/dashboard/?round={MARCH}").content.decode()
    assert f"/dashboard/rounds/{MARCH}/answers.csv" in dashboard
    assert "Download every answer (CSV, OFFICIAL" in dashboard


def test_the_snapshot_page_prints_the_document_only(client, portfolio, published):
    client.force_login(portfolio)
    page = page_of(client, published)
    assert '<link rel="stylesheet" href="/static/css/snapshot-print.css" media="print">' in page
    css = (Path(__file__).parents[2] / "static" / "css" / "snapshot-print.css").read_text()
    for hidden in (".govuk-header", ".govuk-footer", ".govuk-service-navigation", ".app-no-print"):
        assert hidden in css
    assert "break-inside: avoid" in css and "size: A4" in css
