"""Characters that would reorder text on screen (U+202E and the like) are kept as typed and shown
visibly wherever the text appears: every page (from the URL-by-role table), the CSV, DOCX and ODS."""

import io
import re
import zipfile

import docx
import pytest
from django.contrib.auth import get_user_model

from recommendations.hidden_characters import has_direction_controls, visible_controls
from recommendations.models import NotablePractice, Round, Snapshot, StatusUpdate, StatutoryResponse, Theme
from recommendations.templatetags.tracker import person_text
from tests.tracker.test_url_permissions import ROLES, RULES, url_values

pytestmark = pytest.mark.django_db

TRICK = "Policy \u202epublished\u202c and \u2067signed\u2069"
SHOWN = "Policy [RLO U+202E]published[PDF U+202C] and [RLI U+2067]signed[PDI U+2069]"


def test_each_control_is_replaced_by_a_visible_marker():
    assert visible_controls(TRICK) == SHOWN
    assert not has_direction_controls("مرحبا \u200f بالعالم")  # right-to-left writing's own marks stay
    assert has_direction_controls("a\u202eb")


def test_on_a_page_the_text_is_isolated_escaped_and_flagged():
    html = person_text("<b>\u202eevil</b>")
    assert html.startswith('<strong class="govuk-tag govuk-tag--orange app-hidden-character-flag">')
    assert '<bdi dir="auto">&lt;b&gt;<span class="app-hidden-character">[RLO U+202E]</span>evil&lt;/b&gt;</bdi>' in html
    assert person_text("plain") == '<bdi dir="auto">plain</bdi>'


def _outside_form_fields(page: str) -> str:
    """The page without what form fields hold: a field gives back exactly what was typed."""
    page = re.sub(r"<textarea.*?</textarea>", "", page, flags=re.DOTALL)
    return re.sub(r'value="[^"]*"', "", page)


@pytest.fixture
def tricky(demo, client):
    """Every kind of text a person types, in the demo's answers, with direction controls in it."""
    past = Round.objects.get(slug="progress-update-march-2024")
    open_round = Round.objects.get(closed=False)
    StatusUpdate.objects.filter(force__slug="west-midlands").update(narrative=TRICK, review_note=TRICK)
    Theme.objects.filter(pk=Theme.objects.first().pk).update(name="Theme \u202eeman")
    NotablePractice.objects.create(
        round=past,
        force=StatusUpdate.objects.filter(round=past, force__slug="west-midlands").first().force,
        recommendation=past.recommendations.get(reference="1"),
        quote=TRICK,
    )
    Snapshot.objects.filter(round=past).update(introduction=TRICK)
    snapshot = Snapshot.objects.get(round=past, state="published")
    snapshot.sections.update(summary=TRICK)
    lead = get_user_model().objects.get(username="lead-west-midlands")
    client.force_login(lead)
    client.post(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/",
        {"status": "in_progress", "narrative": TRICK, "version": "0", "save_draft": "1"},
    )
    assert StatusUpdate.objects.get(round=open_round, force__slug="west-midlands").narrative == TRICK  # kept as typed
    values = url_values()
    response = StatutoryResponse.objects.get(pk=values["response"])
    StatutoryResponse.objects.filter(pk=response.pk).update(introduction=TRICK, signature_name=TRICK)
    response.sections.update(text=TRICK)
    return values


def test_no_page_shows_a_direction_control_to_any_role(client, tricky):
    users = {user.username: user for user in get_user_model().objects.filter(username__in=ROLES)}
    raw, shown = [], set()
    for name, (template, expected) in RULES.items():
        path = template.format(**tricky)
        for role, want in zip(ROLES, expected, strict=True):
            if want != 200 or role == "anonymous":
                continue
            client.force_login(users[role])
            response = client.get(path)
            if response.get("Content-Type", "").startswith("text/html"):
                page = _outside_form_fields(response.content.decode())
                if has_direction_controls(page):
                    raw.append(f"{name} as {role}")
                if "[RLO U+202E]" in page:
                    shown.add(name)
    assert raw == [], "\n".join(raw)
    assert {
        "recommendations:check_answers",
        "recommendations:answer_history",
        "recommendations:staff_recommendation",
        "recommendations:staff_answer",
        "recommendations:staff_force",
        "recommendations:snapshot",
        "recommendations:response",
    } <= shown


def test_downloads_show_the_markers_not_the_controls(client, tricky):
    client.force_login(get_user_model().objects.get(username="portfolio"))
    csv_text = b"".join(client.get(f"/dashboard/rounds/{tricky['past']}/answers.csv").streaming_content).decode()
    assert SHOWN in csv_text and not has_direction_controls(csv_text)

    document = docx.Document(io.BytesIO(client.get(f"/dashboard/snapshots/{tricky['snapshot']}/snapshot.docx").content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert SHOWN in text and not has_direction_controls(text)

    ods = client.get(f"/dashboard/snapshots/{tricky['snapshot']}/snapshot.ods").content
    content = zipfile.ZipFile(io.BytesIO(ods)).read("content.xml").decode()
    assert not has_direction_controls(content)
    # A published snapshot's figures are frozen (the renamed theme is not in them): the cell itself.
    from recommendations.exports import _cell

    assert str(_cell("Theme \u202eeman")) == "Theme [RLO U+202E]eman"

    workbook = client.get(f"/forces/west-midlands/rounds/{tricky['open']}/return.xlsx")
    assert workbook.status_code in (200, 403)  # the lead's own return keeps their text as typed, to edit
