"""The offline return's Milestones sheet: the force's action plans for the round, prefilled; new
milestones and changes uploaded with the answers, checked as a whole with them."""

import datetime

import pytest

from recommendations.models import AuditEvent, Milestone, MilestoneMove, StatusUpdate
from tests.recommendations.test_spreadsheet_return import as_bytes, download, fill, stored, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(open_round, force_a):
    recommendation = open_round.recommendations.get(reference="1")
    return Milestone.objects.create(
        force=force_a,
        recommendation=recommendation,
        description="Publish the policy",
        target_on=datetime.date(2030, 6, 30),
    )


def milestones_state():
    return (
        list(Milestone.objects.order_by("pk").values_list("description", "target_on", "done_on", "revision")),
        list(MilestoneMove.objects.order_by("pk").values_list("moved_from", "moved_to", "reason")),
    )


def rows(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5) if any(cell.value for cell in row)]


def put(sheet, number, values):
    for column, value in enumerate(values, start=1):
        sheet.cell(row=number, column=column, value=value)


def test_the_return_holds_the_forces_milestones_and_blank_rows_for_new_ones(client, lead_a, open_round, planned):
    client.force_login(lead_a)
    workbook = download(client, open_round)
    sheet = workbook["Milestones"]
    assert [cell.value for cell in sheet[4]] == [
        "Report",
        "Reference",
        "Milestone",
        "Target date",
        "Date done",
        "Why the target date moved",
        "Milestone number",
    ]
    [row] = rows(sheet)
    assert row[1:5] == ["1", "Publish the policy", datetime.datetime(2030, 6, 30), None]
    assert row[6] == planned.pk


def test_new_milestones_and_a_moved_target_are_saved_with_the_answers(client, lead_a, open_round, planned):
    client.force_login(lead_a)
    workbook = download(client, open_round)
    fill(workbook.active, "1", narrative="Written offline.")
    sheet = workbook["Milestones"]
    report = sheet["A5"].value
    sheet["D5"] = datetime.datetime(2030, 12, 31)
    sheet["F5"] = "The board meets in December."
    put(sheet, 6, [report, "2", "Train every sergeant", "31/03/2031", None, None, None])
    put(sheet, 7, [report, "1", "Audit cases", datetime.datetime(2020, 1, 31), "15/02/2020", None, None])

    response = upload(client, open_round, as_bytes(workbook))

    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "1 answer from your spreadsheet saved as drafts and 3 milestones added or changed." in follow
    assert stored() == [("1", 1, "draft", "in_progress", "Written offline.")]
    assert sorted(Milestone.objects.values_list("recommendation__reference", "description", "target_on", "done_on")) == [
        ("1", "Audit cases", datetime.date(2020, 1, 31), datetime.date(2020, 2, 15)),
        ("1", "Publish the policy", datetime.date(2030, 12, 31), None),
        ("2", "Train every sergeant", datetime.date(2031, 3, 31), None),
    ]
    assert list(planned.moves.values_list("moved_from", "moved_to", "reason")) == [
        (datetime.date(2030, 6, 30), datetime.date(2030, 12, 31), "The board meets in December.")
    ]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MILESTONE_MOVED).count() == 1

    # The same file again, downloaded fresh: nothing changes.
    before = (stored(), milestones_state())
    again = download(client, open_round)
    assert len(rows(again["Milestones"])) == 3
    response = upload(client, open_round, as_bytes(again))
    assert "nothing changed" in client.get(response["Location"]).content.decode()
    assert (stored(), milestones_state()) == before


def test_every_problem_in_the_milestones_sheet_is_listed_and_nothing_is_saved(
    client, lead_a, open_round, planned, force_b
):
    other = Milestone.objects.create(
        force=force_b, recommendation=planned.recommendation, description="Kent's", target_on=datetime.date(2030, 1, 1)
    )
    client.force_login(lead_a)
    workbook = download(client, open_round)
    fill(workbook.active, "1", narrative="A good answer that must not be saved alone.")
    sheet = workbook["Milestones"]
    report = sheet["A5"].value
    sheet["D5"] = datetime.datetime(2031, 1, 31)  # moved, with no reason
    put(sheet, 6, [report, "2", "", "31/02/2031", None, None, None])  # no description; no such date
    put(sheet, 7, [report, "9", "Train staff", "01/01/2031", None, None, None])  # not in the round
    put(sheet, 8, [report, "1", "Kent's milestone", "01/01/2031", None, None, other.pk])  # another force's
    put(sheet, 9, [report, "1", "Done tomorrow", "01/01/2031", "01/01/2099", None, None])  # done in the future
    put(sheet, 10, [report, "1", "Again", "01/01/2031", None, "x", planned.pk])  # the same milestone twice
    put(sheet, 11, [report, "1", "Long ago", "01/01/1066", None, None, None])  # a year no plan has
    put(sheet, 12, [report, "1", "x" * 501, "01/01/2031", None, None, None])  # too long
    before = (stored(), milestones_state())

    response = upload(client, open_round, as_bytes(workbook))

    page = response.content.decode()
    assert response.status_code == 400
    for expected in [
        "Milestones sheet, row 5, column F: Say why the target date moved.",
        "Milestones sheet, row 6, column C: Enter what the milestone is.",
        "Milestones sheet, row 6, column D: Enter the target date as a date, like 31/03/2025.",
        "Milestones sheet, row 7, column A: TVIP super-complaint has no recommendation &quot;9&quot; in",
        f"Milestones sheet, row 8, column G: Milestone number {other.pk} is not one of your force&#x27;s milestones",
        "Milestones sheet, row 9, column E: The date done must be today or in the past.",
        "Milestones sheet, row 10, column G: Milestone number",
        "is already changed in row 5.",
        "Milestones sheet, row 11, column D: The year of the target date must be between 2000 and 2100.",
        "Milestones sheet, row 12, column C: The milestone must be 500 characters or fewer.",
    ]:
        assert expected in page, expected
    assert (stored(), milestones_state()) == before
    assert StatusUpdate.objects.count() == 0


def test_a_return_without_a_milestones_sheet_is_read_as_before(client, lead_a, open_round, planned):
    client.force_login(lead_a)
    workbook = download(client, open_round)
    del workbook["Milestones"]
    fill(workbook.active, "2", narrative="Only answers.")
    before = milestones_state()
    response = upload(client, open_round, as_bytes(workbook))
    assert response.status_code == 302
    assert stored() == [("2", 1, "draft", "in_progress", "Only answers.")]
    assert milestones_state() == before
