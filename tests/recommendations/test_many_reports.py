"""Two reports in one round that both number a recommendation "1": every page, download and upload
names each by its report and reference, and keeps the two apart."""

import csv
import html
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from recommendations.models import Round, StatusUpdate
from recommendations.selectors import force_answer_rows, round_recommendations
from tests.factories import make_answer

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def two_ones(demo):
    """The demo's open round, which asks about the TVIP report's "1" and the illustrative report's "1"."""
    open_round = Round.objects.get(closed=False)
    tvip = open_round.recommendations.get(report__slug="tvip-super-complaint", reference="1")
    other = open_round.recommendations.get(report__slug="illustrative-follow-up", reference="1")
    return {"round": open_round, "tvip": tvip, "stalking": other}


def _answer_path(round, recommendation, suffix=""):
    return f"/forces/west-midlands/rounds/{round.slug}/answers/{recommendation.report.slug}/1/{suffix}"


def test_the_lead_answers_each_1_at_its_own_address(client, two_ones):
    round, tvip, stalking = two_ones["round"], two_ones["tvip"], two_ones["stalking"]
    client.force_login(User.objects.get(username="lead-west-midlands"))
    # One report at a time, the demo report's first (published first); the other one link away.
    force_page = client.get("/forces/west-midlands/").content.decode()
    assert f'href="{_answer_path(round, tvip)}"' in force_page
    assert f'href="{_answer_path(round, stalking)}"' not in force_page
    other = client.get(f"/forces/west-midlands/?round={round.slug}&report=illustrative-follow-up").content.decode()
    assert f'href="{_answer_path(round, stalking)}"' in other
    assert f'href="{_answer_path(round, tvip)}"' not in other
    assert "Honour-based abuse in safeguarding policy" in client.get(_answer_path(round, stalking)).content.decode()
    assert "honour-based abuse" in client.get(_answer_path(round, tvip)).content.decode()
    version = StatusUpdate.objects.filter(round=round, force__slug="west-midlands", recommendation=stalking).count()
    saved = client.post(
        _answer_path(round, stalking),
        {"status": "planned", "narrative": "Orders sought in every case.", "version": version, "save_draft": "1"},
    )
    assert saved.status_code == 302
    answer = StatusUpdate.objects.get(
        round=round, force__slug="west-midlands", is_current=True, narrative__startswith="Orders"
    )
    assert answer.recommendation == stalking
    assert client.get(_answer_path(round, stalking, "history/")).status_code == 200
    assert client.get(f"/forces/west-midlands/rounds/{round.slug}/answers/no-such-report/1/").status_code == 404


def _report_list(page):
    """The force page's list of a round's reports, as read: the shown one in bold, the rest as links."""
    nav = re.search(r'<nav class="app-report-nav.*?</nav>', page, re.S).group(0)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", nav, re.S)]


def test_the_lead_sees_one_report_of_the_round_at_a_time(client, two_ones):
    round, tvip, stalking = two_ones["round"], two_ones["tvip"], two_ones["stalking"]
    lead = User.objects.get(username="lead-west-midlands")
    client.force_login(lead)
    make_answer(round=round, force=lead.force_membership.force, recommendation=stalking, submit=False)
    rows = force_answer_rows(lead.force_membership.force, round)
    counts = {
        slug: (
            sum(row.recommendation.report.slug == slug for row in rows),
            sum(row.needs_submitting for row in rows if row.recommendation.report.slug == slug),
        )
        for slug in ("tvip-super-complaint", "illustrative-follow-up")
    }
    (tvip_count, tvip_drafts), (other_count, other_drafts) = counts.values()
    assert other_drafts >= 1
    page = client.get("/forces/west-midlands/").content.decode()
    assert _report_list(page) == [
        f"TVIP super-complaint ({tvip_count} recommendations, {tvip_drafts} to submit, shown)",
        f"Illustrative follow-up ({other_count} recommendations, {other_drafts} to submit)",
    ]
    assert f'href="?round={round.slug}&amp;report=illustrative-follow-up#round-{round.slug}"' in page
    assert "TVIP super-complaint: recommendations in" in page
    assert f'href="{_answer_path(round, stalking)}"' not in page
    # The button to check and submit counts the whole round's drafts, whichever report is shown.
    assert f"Check answers and submit ({tvip_drafts + other_drafts} to submit)" in page

    other = client.get(f"/forces/west-midlands/?round={round.slug}&report=illustrative-follow-up").content.decode()
    assert _report_list(other)[1] == (
        f"Illustrative follow-up ({other_count} recommendations, {other_drafts} to submit, shown)"
    )
    assert "Illustrative follow-up: recommendations in" in other
    assert f'href="{_answer_path(round, stalking)}"' in other
    assert f'href="{_answer_path(round, tvip)}"' not in other
    assert f"Check answers and submit ({tvip_drafts + other_drafts} to submit)" in other


def test_a_report_the_round_does_not_ask_about_is_not_found(client, two_ones):
    client.force_login(User.objects.get(username="lead-west-midlands"))
    round = two_ones["round"]
    assert client.get(f"/forces/west-midlands/?round={round.slug}&report=no-such-report").status_code == 404
    # A report named for another round leaves this one on its first report.
    assert client.get("/forces/west-midlands/?round=another-round&report=no-such-report").status_code == 200


def test_staff_read_and_review_each_1_at_its_own_address(client, portfolio, two_ones):
    round, stalking = two_ones["round"], two_ones["stalking"]
    make_answer(round, round.forces_asked.get(slug="kent"), stalking, narrative="Kent's orders.")
    client.force_login(portfolio)
    page = html.unescape(
        client.get(f"/dashboard/rounds/{round.slug}/recommendations/illustrative-follow-up/1/").content.decode()
    )
    assert "Honour-based abuse in safeguarding policy" in page and "Kent's orders." in page
    page = html.unescape(
        client.get(f"/dashboard/rounds/{round.slug}/recommendations/tvip-super-complaint/1/").content.decode()
    )
    assert "honour-based abuse" in page and "Kent's orders." not in page
    answer = client.get(f"/dashboard/rounds/{round.slug}/recommendations/illustrative-follow-up/1/forces/kent/")
    assert answer.status_code == 200 and "Kent's orders." in html.unescape(answer.content.decode())
    # The dashboard shows one report's figures at a time, the round's first report by default.
    dashboard = client.get(f"/dashboard/?round={round.slug}").content.decode()
    assert 'id="recommendation-tvip-super-complaint-1"' in dashboard
    assert 'id="recommendation-illustrative-follow-up-1"' not in dashboard
    assert f'href="?round={round.slug}&amp;report=illustrative-follow-up"' in dashboard
    dashboard = client.get(f"/dashboard/?round={round.slug}&report=illustrative-follow-up").content.decode()
    assert f"/dashboard/rounds/{round.slug}/recommendations/illustrative-follow-up/1/" in dashboard
    assert 'id="recommendation-illustrative-follow-up-1"' in dashboard
    assert 'id="recommendation-tvip-super-complaint-1"' not in dashboard


def test_the_return_names_the_report_and_its_upload_keeps_the_two_apart(client, two_ones):
    round, tvip, stalking = two_ones["round"], two_ones["tvip"], two_ones["stalking"]
    client.force_login(User.objects.get(username="lead-west-midlands"))
    base = f"/forces/west-midlands/rounds/{round.slug}"
    workbook = load_workbook(io.BytesIO(client.get(f"{base}/return.xlsx").content))
    sheet = workbook.active
    assert sheet.cell(row=4, column=8).value == "Report"
    ones = {row[7].value: row for row in sheet.iter_rows(min_row=5) if row[1].value == "1"}
    assert set(ones) == {"TVIP super-complaint", "Illustrative follow-up"}
    ones["Illustrative follow-up"][3].value, ones["Illustrative follow-up"][4].value = "Planned", "Orders sought."
    ones["TVIP super-complaint"][3].value, ones["TVIP super-complaint"][4].value = "Complete", "Policy in place."
    buffer = io.BytesIO()
    workbook.save(buffer)
    uploaded = client.post(f"{base}/upload/", {"file": SimpleUploadedFile("return.xlsx", buffer.getvalue())})
    assert uploaded.status_code == 302
    current = StatusUpdate.objects.filter(round=round, force__slug="west-midlands", is_current=True)
    assert current.get(recommendation=stalking).narrative == "Orders sought."
    assert current.get(recommendation=tvip).narrative == "Policy in place."

    # A row "1" without its report cannot be placed: refused next to the column, nothing saved.
    ones["Illustrative follow-up"][7].value = None
    ones["Illustrative follow-up"][4].value = "Changed."
    workbook.save(buffer := io.BytesIO())
    refused = client.post(f"{base}/upload/", {"file": SimpleUploadedFile("return.xlsx", buffer.getvalue())})
    assert refused.status_code == 400
    assert "column H: Recommendation 1 is in more than one report" in refused.content.decode()
    assert current.get(recommendation=stalking).narrative == "Orders sought."


def test_the_csv_names_the_report_of_each_answer(client, portfolio, two_ones):
    round, stalking = two_ones["round"], two_ones["stalking"]
    make_answer(round, round.forces_asked.get(slug="kent"), stalking, narrative="Kent's orders.")
    make_answer(round, round.forces_asked.get(slug="kent"), two_ones["tvip"], narrative="Kent's policy.")
    client.force_login(portfolio)
    response = client.get(f"/dashboard/rounds/{round.slug}/answers.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    kent = {(row["Report"], row["Recommendation"]): row["Narrative"] for row in rows if row["Force"] == "Kent"}
    assert kent[("Illustrative follow-up", "1")] == "Kent's orders."
    assert kent[("TVIP super-complaint", "1")] == "Kent's policy."


def test_a_snapshot_of_a_round_with_two_reports_heads_each_report_and_keeps_the_two_1s_apart(client, two_ones):
    from recommendations import documents, snapshots
    from tests.recommendations.document_readers import docx_lines, ods_sheets, page_lines

    round, tvip, other = two_ones["round"], two_ones["tvip"], two_ones["stalking"]
    kent = round.forces_asked.get(slug="kent")
    make_answer(round, kent, tvip, status="complete", narrative="Kent's policy.")
    make_answer(round, kent, other, status="planned", narrative="Kent's safeguarding policy.")
    staff = User.objects.get(username="portfolio")
    draft = snapshots.snapshot_draft(round=round, user=staff)
    draft.sections.update(show_status_counts=True)
    client.force_login(staff)

    model = documents.snapshot_document(draft)
    lines = model.lines()
    # Section 2 heads each report, numbered, with its recommendations under it.
    assert "2.1. TVIP super-complaint" in lines and "2.2. Illustrative follow-up" in lines
    # The introduction heads each report's recommendations with the report's title.
    assert any(line.startswith("Illustrative follow-up report on honour-based abuse") for line in lines)
    assert any(line.startswith("2.1.1. Recommendation 1: Chief constables update their forces") for line in lines)
    assert any(line.startswith("2.2.1. Recommendation 1: Chief constables make sure their forces") for line in lines)
    assert "Forces by status, TVIP super-complaint 1" in lines
    assert "Forces by status, Illustrative follow-up 1" in lines

    page = client.get(f"/dashboard/snapshots/{draft.pk}/").content.decode()
    assert page_lines(page) == lines
    assert docx_lines(client.get(f"/dashboard/snapshots/{draft.pk}/snapshot.docx").content) == [
        "Transparency data",
        *lines,
    ]
    sheets = ods_sheets(client.get(f"/dashboard/snapshots/{draft.pk}/snapshot.ods").content)
    responses = {row[0]: row for row in sheets["Responses"][1:]}
    assert responses["TVIP super-complaint 1"][1:] == ["The risk of honour-based abuse", 43.0, 1.0]
    assert responses["Illustrative follow-up 1"][1:] == ["Honour-based abuse in safeguarding policy", 43.0, 1.0]
    status = {(row[0], row[1]): row[2] for row in sheets["Status counts"][1:]}
    assert status[("TVIP super-complaint 1", "Complete")] == 1.0
    assert status[("Illustrative follow-up 1", "Complete")] == 0.0
    assert status[("Illustrative follow-up 1", "Planned")] == 1.0


def _matrix_headers(page: str) -> list[str]:
    table = page.split('id="matrix-caption"')[1].split("</thead>")[0]
    return re.findall(r'<th scope="col" class="govuk-table__header">([^<]+)</th>', table)


def test_the_dashboard_shows_one_report_at_a_time_with_the_whole_rounds_headline(client, portfolio, two_ones):
    round, stalking = two_ones["round"], two_ones["stalking"]
    make_answer(round, round.forces_asked.get(slug="kent"), stalking, status="planned", narrative="Kent's orders.")
    client.force_login(portfolio)
    url = f"/dashboard/?round={round.slug}&matrix=show"
    # The recommendations the forces answer (the figures'), not the one to commissioners.
    tvip_count = round_recommendations(round).filter(report__slug="tvip-super-complaint").count()

    first = client.get(url).content.decode()
    responded = re.search(r'id="responded-headline">([^<]+)<', first).group(1)
    assert 'id="reports"' in first
    assert re.search(r'aria-current="page">[^<]+</strong> \(\d+ recommendations, shown\)', first)
    # The TVIP report first (the round's order), its recommendations only in the figures and the matrix.
    assert _matrix_headers(first)[0] == "Force" and len(_matrix_headers(first)) == 1 + tvip_count
    assert "Honour-based abuse in safeguarding policy" not in first
    assert '<input type="hidden" name="report" value="tvip-super-complaint">' in first

    second = html.unescape(client.get(f"{url}&report=illustrative-follow-up").content.decode())
    assert _matrix_headers(second) == ["Force", "1", "2a", "2b"]
    assert "Recommendation 1: Honour-based abuse in safeguarding policy" in second
    assert "The risk of honour-based abuse" not in second
    # The whole round's headline on either report: Kent's answer to the second report counts.
    assert re.search(r'id="responded-headline">([^<]+)<', second).group(1) == responded
    # The status filter reads the statuses of the report shown.
    planned = client.get(f"{url}&report=illustrative-follow-up&status=planned").content.decode()
    assert "Showing 1 force." in planned and ">Kent</a>" in planned

    assert client.get(f"/dashboard/?round={round.slug}&report=no-such-report").status_code == 404


def test_a_round_of_one_report_shows_no_chooser(client, portfolio, demo):
    client.force_login(portfolio)
    page = client.get("/dashboard/?report=anything").content.decode()
    assert 'id="reports"' not in page and 'name="report"' not in page


def test_each_reports_dashboard_is_narrowed_from_the_same_cached_figures(
    client, portfolio, two_ones, django_assert_num_queries
):
    """Choosing another report reads nothing more than the first report did: the round's figures are
    counted once and narrowed (queries named in test_query_counts)."""
    from tests.recommendations.test_query_counts import STAFF

    round = two_ones["round"]
    client.force_login(portfolio)
    client.get(f"/dashboard/?round={round.slug}&matrix=show")  # counts the round's figures
    for report in ("tvip-super-complaint", "illustrative-follow-up"):
        # 3 the figures' revision numbers (who follows the round and the milestones not yet done are
        # cached with the figures; the overdue ones are worked out from those, narrowed to the report).
        with django_assert_num_queries(STAFF + 1):
            assert client.get(f"/dashboard/?round={round.slug}&report={report}&matrix=show").status_code == 200
