"""Action plans: a lead adds milestones to their force's plan for a recommendation and changes them;
a moved target date asks why and keeps every earlier date; overdue milestones are flagged on the
lead's page, the staff force page and counted on the dashboard."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from recommendations import rules, selectors
from recommendations.models import AuditEvent, Milestone, MilestoneMove, Round

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def plan(demo):
    round = Round.objects.get(closed=False)
    recommendation = round.recommendations.get(report__slug="tvip-super-complaint", reference="1")
    base = f"/forces/west-midlands/rounds/{round.slug}/answers/tvip-super-complaint/1/"
    return {"round": round, "recommendation": recommendation, "answer": base, "add": base + "milestones/add/"}


def signed_in(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def date_fields(name, date):
    return {f"{name}_0": str(date.day), f"{name}_1": str(date.month), f"{name}_2": str(date.year)}


def state():
    """Everything an action plan write could touch."""
    return (
        list(Milestone.objects.values_list("description", "target_on", "done_on", "revision").order_by("pk")),
        list(MilestoneMove.objects.values_list("moved_from", "moved_to", "reason").order_by("pk")),
        AuditEvent.objects.filter(action__startswith="milestone").count(),
    )


TODAY = timezone.localdate()
NEXT_YEAR = TODAY.replace(year=TODAY.year + 1, day=1)


# The rules


def test_a_milestone_is_overdue_when_its_target_has_passed_and_it_is_not_done():
    yesterday = TODAY - datetime.timedelta(days=1)
    assert rules.milestone_overdue(target_on=yesterday, done_on=None, today=TODAY)
    assert not rules.milestone_overdue(target_on=TODAY, done_on=None, today=TODAY)
    assert not rules.milestone_overdue(target_on=yesterday, done_on=yesterday, today=TODAY)


def test_the_overdue_filter_agrees_with_the_rule(plan):
    force = plan["round"].forces_asked.get(slug="west-midlands")
    for offset, done in [(-3, None), (-3, -1), (0, None), (4, None)]:
        Milestone.objects.create(
            force=force,
            recommendation=plan["recommendation"],
            description=f"{offset} {done}",
            target_on=TODAY + datetime.timedelta(days=offset),
            done_on=TODAY + datetime.timedelta(days=done) if done is not None else None,
        )
    by_rule = {
        item.pk
        for item in Milestone.objects.all()
        if rules.milestone_overdue(target_on=item.target_on, done_on=item.done_on, today=TODAY)
    }
    assert set(Milestone.objects.filter(rules.milestones_overdue(TODAY)).values_list("pk", flat=True)) == by_rule
    assert len(by_rule) == 1


def test_the_moved_sentence_keeps_every_earlier_date():
    moves = [
        MilestoneMove(moved_from=datetime.date(2024, 6, 30), moved_to=datetime.date(2024, 9, 30)),
        MilestoneMove(moved_from=datetime.date(2024, 9, 30), moved_to=datetime.date(2025, 1, 31)),
    ]
    assert rules.target_moved_sentence(moves) == (
        "Target moved twice: first 30 June 2024, then 30 September 2024, now 31 January 2025"
    )
    assert rules.target_moved_sentence(moves[:1]) == "Target moved once: first 30 June 2024, now 30 September 2024"
    assert rules.target_moved_sentence(moves * 2).startswith("Target moved 4 times: first 30 June 2024, then")
    assert rules.target_moved_sentence([]) == ""


# Adding and changing


def test_a_lead_adds_a_milestone_and_sees_it_on_the_answer_page(client, plan):
    signed_in(client, "lead-west-midlands")
    response = client.post(
        plan["add"], {"description": "Train custody sergeants", **date_fields("target_on", NEXT_YEAR)}, follow=True
    )
    page = response.content.decode()
    assert "Milestone added to the action plan for TVIP super-complaint 1." in page
    assert "Train custody sergeants" in page
    milestone = Milestone.objects.get()
    assert (milestone.force.slug, milestone.recommendation, milestone.target_on) == (
        "west-midlands",
        plan["recommendation"],
        NEXT_YEAR,
    )
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MILESTONE_ADDED, force="West Midlands").exists()


def test_moving_a_target_asks_why_and_keeps_every_earlier_date(client, plan):
    signed_in(client, "lead-west-midlands")
    client.post(plan["add"], {"description": "Publish the policy", **date_fields("target_on", datetime.date(2030, 6, 30))})
    milestone = Milestone.objects.get()
    url = plan["answer"] + f"milestones/{milestone.pk}/"
    before = state()
    refused = client.post(
        url, {"description": "Publish the policy", "revision": 1, **date_fields("target_on", datetime.date(2030, 9, 30))}
    )
    assert refused.status_code == 200
    assert "Say why the target date moved" in refused.content.decode()
    assert state() == before

    client.post(
        url,
        {
            "description": "Publish the policy",
            "revision": 1,
            "moved_reason": "The board meets later",
            **date_fields("target_on", datetime.date(2030, 9, 30)),
        },
    )
    client.post(
        url,
        {
            "description": "Publish the policy",
            "revision": 2,
            "moved_reason": "Consultation extended",
            **date_fields("target_on", datetime.date(2031, 1, 31)),
        },
    )
    milestone.refresh_from_db()
    assert (milestone.target_on, milestone.revision) == (datetime.date(2031, 1, 31), 3)
    assert list(milestone.moves.values_list("moved_from", "moved_to", "reason")) == [
        (datetime.date(2030, 6, 30), datetime.date(2030, 9, 30), "The board meets later"),
        (datetime.date(2030, 9, 30), datetime.date(2031, 1, 31), "Consultation extended"),
    ]
    page = client.get(plan["answer"]).content.decode()
    assert "Target moved twice: first 30 June 2030, then 30 September 2030, now 31 January 2031." in page
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MILESTONE_MOVED).count() == 2

    # Staff see the slippage beside the answer's force.
    staff = signed_in(client, "portfolio")
    page = staff.get("/dashboard/forces/west-midlands/").content.decode()
    assert "Target moved twice: first 30 June 2030, then 30 September 2030, now 31 January 2031." in page
    assert "Consultation extended" in page


def test_a_milestone_changed_by_someone_else_meanwhile_is_not_overwritten(client, plan):
    signed_in(client, "lead-west-midlands")
    client.post(plan["add"], {"description": "Audit cases", **date_fields("target_on", NEXT_YEAR)})
    milestone = Milestone.objects.get()
    url = plan["answer"] + f"milestones/{milestone.pk}/"
    client.post(url, {"description": "Audit 100 cases", "revision": 1, **date_fields("target_on", NEXT_YEAR)})
    before = state()
    response = client.post(url, {"description": "Audit 50 cases", "revision": 1, **date_fields("target_on", NEXT_YEAR)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this milestone while you were editing it. Nothing of yours was saved." in page
    assert "Audit 50 cases" in page  # what this person typed is still there
    assert "Audit 100 cases" in page  # and what the other person saved is shown
    assert state() == before


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"description": "   "}, "description", "Enter what the milestone is"),
        ({"target_on_0": "", "target_on_1": "", "target_on_2": ""}, "target_on", "Enter the target date"),
        ({"target_on_0": "31", "target_on_1": "2", "target_on_2": "2030"}, "target_on", "must be a real date"),
        ({"target_on_0": "1", "target_on_1": "1", "target_on_2": "99999999999999999999"}, "target_on", ""),
        ({"target_on_0": "1", "target_on_1": "1", "target_on_2": "24"}, "target_on", "between 2000 and 2100"),
        ({"target_on_0": "x", "target_on_1": "1", "target_on_2": "2030"}, "target_on", "must be a real date"),
        ({"target_on_0": "1", "target_on_1": "", "target_on_2": "2030"}, "target_on", "must include a month"),
        ({"done_on_0": "1", "done_on_1": "1", "done_on_2": "2099"}, "done_on", "today or in the past"),
        ({"description": "x" * 501}, "description", "500 characters or fewer"),
        ({"description": "Train\x00 staff"}, None, ""),
    ],
    ids=["blank", "no-date", "31-feb", "huge-year", "two-digit-year", "letters", "no-month", "done-future", "long", "nul"],
)
def test_a_bad_milestone_gets_a_message_by_its_field_and_saves_nothing(client, plan, fields, field, message):
    signed_in(client, "lead-west-midlands")
    before = state()
    response = client.post(plan["add"], {"description": "Train staff", **date_fields("target_on", NEXT_YEAR), **fields})
    if field is None:  # a NUL byte is refused at the edge, before any form reads it
        assert response.status_code == 400
    else:
        assert response.status_code == 200
        page = response.content.decode()
        assert "There is a problem" in page
        assert message in page
        assert f'id="{field}-error"' in page or f'id="id_{field}_0-error"' in page or f"#id_{field}" in page
    assert state() == before


def test_only_the_force_that_answers_may_plan_and_only_while_the_round_is_open(client, plan):
    signed_in(client, "lead-kent")
    assert client.get(plan["add"]).status_code in (403, 404)
    signed_in(client, "lead-west-midlands")
    client.post(plan["add"], {"description": "Train staff", **date_fields("target_on", NEXT_YEAR)})
    milestone = Milestone.objects.get()
    signed_in(client, "lead-kent")
    kent_url = plan["answer"].replace("west-midlands", "kent") + f"milestones/{milestone.pk}/"
    assert client.get(kent_url).status_code in (403, 404)
    signed_in(client, "portfolio")
    assert client.get(plan["add"]).status_code in (403, 404)
    Round.objects.filter(pk=plan["round"].pk).update(closed=True)
    signed_in(client, "lead-west-midlands")
    assert client.get(plan["add"]).status_code in (403, 404)
    assert client.get(plan["answer"] + f"milestones/{milestone.pk}/").status_code in (403, 404)


# Overdue, flagged and counted


def test_overdue_milestones_are_flagged_for_the_lead_and_staff_and_counted_on_the_dashboard(client, plan):
    force = plan["round"].forces_asked.get(slug="west-midlands")
    for description, target, done in [
        ("Late one", TODAY - datetime.timedelta(days=10), None),
        ("Late two", TODAY - datetime.timedelta(days=2), None),
        ("Done late", TODAY - datetime.timedelta(days=30), TODAY - datetime.timedelta(days=1)),
        ("Ahead", NEXT_YEAR, None),
    ]:
        Milestone.objects.create(
            force=force, recommendation=plan["recommendation"], description=description, target_on=target, done_on=done
        )
    signed_in(client, "lead-west-midlands")
    assert "2 milestones overdue" in client.get("/forces/west-midlands/").content.decode()
    assert client.get(plan["answer"]).content.decode().count(">Overdue</strong>") == 2

    signed_in(client, "portfolio")
    page = client.get(f"/dashboard/?round={plan['round'].slug}").content.decode()
    assert "Overdue milestones (2)" in page
    assert "West Midlands</a>: 2 overdue" in page
    assert "2 overdue</strong>" in client.get("/dashboard/forces/west-midlands/").content.decode()
    assert selectors.round_overdue_milestones(selectors.round_figures(plan["round"]), TODAY) == [
        selectors.OverdueMilestones("West Midlands", "west-midlands", 2)
    ]
