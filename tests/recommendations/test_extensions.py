"""Extensions: a lead asks for more time on a round with a reason; staff grant a new due date for that
force, or refuse with a note; the force's own due date then drives its reminders, the chase list and
"late" on the dashboard. Every step is on the audit trail, and bad input changes nothing."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from recommendations import rules
from recommendations.models import AuditEvent, Extension, Notification, Reminder
from tests.factories import UserFactory, make_answer

pytestmark = pytest.mark.django_db


def _date_fields(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def ask_url(open_round, force_a):
    return f"/forces/{force_a.slug}/rounds/{open_round.slug}/more-time/"


def _ask(client, lead, url, asked_for, reason="Our board meets after the due date."):
    client.force_login(lead)
    return client.post(url, {**_date_fields("asked_for", asked_for), "reason": reason})


def test_a_lead_asks_for_more_time_and_sees_it_waiting(client, lead_a, open_round, ask_url):
    asked_for = open_round.due_on + datetime.timedelta(days=14)
    response = _ask(client, lead_a, ask_url, asked_for)
    assert response.status_code == 302
    extension = Extension.objects.get()
    assert (extension.state, extension.asked_for, extension.asked_by) == ("waiting", asked_for, lead_a)
    assert extension.reason == "Our board meets after the due date."
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXTENSION_ASKED)
    assert event.force == "West Midlands" and event.actor == lead_a
    page = _text(client.get(response["Location"]))
    assert "You asked for more time on Progress update, open" in page
    assert f"for more time until {asked_for:%-d %B %Y}: national staff have not decided yet" in page
    # A second request while the first waits is not offered, and refused if sent.
    assert "National staff have not decided yet; you can ask again" in _text(client.get(ask_url))
    again = _ask(client, lead_a, ask_url, asked_for + datetime.timedelta(days=7))
    assert again.status_code == 200
    assert rules.EXTENSION_MESSAGES["waiting"] in again.content.decode()
    assert Extension.objects.count() == 1


@pytest.mark.parametrize(
    "days, reason, field, message",
    [
        (0, "A reason.", "asked_for", "The date you ask for must be after"),
        (-3, "A reason.", "asked_for", "The date you ask for must be after"),
        (10, "   ", "reason", rules.EXTENSION_MESSAGES["reason"]),
    ],
)
def test_a_request_that_is_not_right_is_refused_next_to_its_field(
    client, lead_a, open_round, ask_url, days, reason, field, message
):
    response = _ask(client, lead_a, ask_url, open_round.due_on + datetime.timedelta(days=days), reason)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'href="#id_{field}' in html  # the error summary links to the field
    assert not Extension.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXTENSION_ASKED).exists()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"asked_for_0": "31", "asked_for_1": "2", "asked_for_2": "2030"}, "must be a real date"),
        ({"asked_for_0": "1", "asked_for_1": "1", "asked_for_2": "99999999"}, "must be between"),
        ({"asked_for_0": "x", "asked_for_1": "1", "asked_for_2": "2030"}, "must be a real date"),
        ({}, rules.EXTENSION_MESSAGES["asked_for"]),
    ],
)
def test_a_date_that_is_not_a_date_is_refused(client, lead_a, ask_url, fields, message):
    client.force_login(lead_a)
    response = client.post(ask_url, {**fields, "reason": "A reason."})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Extension.objects.exists()


def test_only_the_forces_own_lead_asks_and_only_in_an_open_round(
    client, lead_a, lead_b, portfolio, open_round, ask_url
):
    client.force_login(lead_b)
    assert client.get(ask_url).status_code == 404
    client.force_login(portfolio)
    assert client.get(ask_url).status_code == 403
    open_round.closed = True
    open_round.save()
    client.force_login(lead_a)
    assert client.get(ask_url).status_code == 403


def _decide(client, user, extension, **data):
    client.force_login(user)
    return client.post(f"/dashboard/more-time/{extension.pk}/", data)


@pytest.fixture
def waiting(client, lead_a, open_round, ask_url):
    _ask(client, lead_a, ask_url, open_round.due_on + datetime.timedelta(days=14))
    lead_a.email = "lead-a@example.police.uk"
    lead_a.save()
    return Extension.objects.get()


def test_staff_grant_more_time_and_the_lead_is_told(
    client, portfolio, lead_a, waiting, open_round, django_capture_on_commit_callbacks
):
    client.force_login(portfolio)
    listed = _text(client.get("/dashboard/more-time/"))
    assert "Waiting for a decision (1)" in listed and "Our board meets after the due date." in listed
    new_date = waiting.asked_for + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(
            client,
            portfolio,
            waiting,
            decision="grant",
            note="A week more than asked.",
            **_date_fields("due_on", new_date),
        )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.state, waiting.due_on, waiting.decided_by) == ("granted", new_date, portfolio)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXTENSION_GRANTED, force="West Midlands").exists()
    [email] = mail.outbox
    assert email.to == ["lead-a@example.police.uk"]
    assert "more time granted" in email.subject
    assert f"now due on {new_date:%-d %B %Y}" in email.body and "A week more than asked." in email.body
    assert Notification.objects.get().sent_at is not None
    client.force_login(lead_a)
    page = _text(client.get("/forces/west-midlands/"))
    assert f"Due {new_date:%-d %B %Y} (more time granted; the round is due {open_round.due_on:%-d %B %Y})" in page
    assert f"{(new_date - timezone.localdate()).days} days left" in page


def test_a_refusal_needs_a_note_and_the_force_keeps_the_rounds_date(
    client, portfolio, lead_a, waiting, open_round, django_capture_on_commit_callbacks
):
    response = _decide(client, portfolio, waiting, decision="refuse", note=" ")
    assert response.status_code == 200
    assert "Say why more time is refused" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == "waiting"
    with django_capture_on_commit_callbacks(execute=True):
        _decide(client, portfolio, waiting, decision="refuse", note="The board can meet earlier.")
    waiting.refresh_from_db()
    assert (waiting.state, waiting.due_on, waiting.note) == ("refused", None, "The board can meet earlier.")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXTENSION_REFUSED).exists()
    assert "still due on" in mail.outbox[0].body
    client.force_login(lead_a)
    page = _text(client.get("/forces/west-midlands/"))
    assert f"Due {open_round.due_on:%-d %B %Y}:" in page
    assert "More time refused" in page and "The board can meet earlier." in page
    # Refused, the lead may ask again.
    assert client.get(f"/forces/west-midlands/rounds/{open_round.slug}/more-time/").status_code == 200


@pytest.mark.parametrize(
    "data, message",
    [
        ({"decision": "grant"}, rules.EXTENSION_MESSAGES["due_on"]),
        ({"decision": "grant", "days": 0}, "The new due date must be after"),
        ({"decision": "maybe"}, rules.EXTENSION_MESSAGES["decision"]),
        ({}, rules.EXTENSION_MESSAGES["decision"]),
        ({"decision": "refuse", "note": "x" * 1001}, "1,000 characters or fewer"),
    ],
)
def test_a_decision_that_is_not_right_changes_nothing(client, portfolio, waiting, open_round, data, message):
    days = data.pop("days", None)
    if days is not None:
        data.update(_date_fields("due_on", open_round.due_on + datetime.timedelta(days=days)))
    response = _decide(client, portfolio, waiting, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == "waiting" and waiting.decided_at is None
    assert not Notification.objects.exists()


def test_a_request_is_decided_once(client, portfolio, waiting):
    _decide(client, portfolio, waiting, decision="refuse", note="No.")
    other = UserFactory(username="portfolio-2")
    other.groups.add(*portfolio.groups.all())
    response = _decide(client, other, waiting, decision="grant", **_date_fields("due_on", waiting.asked_for))
    assert response.status_code == 200
    assert "Refused" in _text(response)
    waiting.refresh_from_db()
    assert (waiting.state, waiting.decided_by) == ("refused", portfolio)
    assert AuditEvent.objects.filter(action__startswith="extension_").count() == 2


def test_deciding_needs_its_own_permission(client, waiting):
    reader = UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_all_forces"))
    client.force_login(reader)
    page = _text(client.get("/dashboard/more-time/"))
    assert "can read these requests but not decide them" in page
    assert f'href="/dashboard/more-time/{waiting.pk}/"' not in client.get("/dashboard/more-time/").content.decode()
    assert client.get(f"/dashboard/more-time/{waiting.pk}/").status_code == 403
    assert client.post(f"/dashboard/more-time/{waiting.pk}/", {"decision": "refuse", "note": "No."}).status_code == 403
    waiting.refresh_from_db()
    assert waiting.state == "waiting"


def test_the_database_keeps_one_waiting_request_per_force_and_round(waiting, lead_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Extension.objects.create(
            round=waiting.round, force=waiting.force, asked_for=waiting.asked_for, reason="Again.", asked_by=lead_a
        )


def test_reminders_follow_each_forces_own_due_date(client, portfolio, lead_b, waiting, open_round, capsys):
    lead_b.email = "lead-kent@example.police.uk"
    lead_b.save()
    granted = open_round.due_on + datetime.timedelta(days=14)
    _decide(client, portfolio, waiting, decision="grant", **_date_fields("due_on", granted))
    mail.outbox.clear()
    for day in (open_round.due_on - datetime.timedelta(days=7), granted - datetime.timedelta(days=7)):
        call_command("send_reminders", today=day.isoformat())
    # Kent is reminded 7 days before the round's date; West Midlands 7 days before its own.
    assert [(m.to, m.subject.split(" is due in ")[1]) for m in mail.outbox] == [
        (["lead-kent@example.police.uk"], "7 days"),
        (["lead-a@example.police.uk"], "7 days"),
    ]
    assert f"due on {granted:%d %B %Y}" in mail.outbox[1].body
    assert sorted(Reminder.objects.values_list("force__name", "days_before")) == [("Kent", 7), ("West Midlands", 7)]


def test_the_chase_list_shows_each_forces_due_date_and_who_is_late(
    client, portfolio, lead_a, lead_b, force_b, waiting, open_round
):
    # The round's date has passed; West Midlands has more time, Kent has not.
    open_round.due_on = timezone.localdate() - datetime.timedelta(days=2)
    open_round.opens_on = open_round.due_on - datetime.timedelta(days=30)
    open_round.save()
    client.force_login(portfolio)
    before = _text(client.get(f"/dashboard/?round={open_round.slug}"))
    assert "Forces that have not responded (2, 2 late)" in before
    assert "Asked for more time" in before
    granted = timezone.localdate() + datetime.timedelta(days=5)
    _decide(client, portfolio, waiting, decision="grant", **_date_fields("due_on", granted))
    page = client.get(f"/dashboard/?round={open_round.slug}").content.decode()
    assert "Forces that have not responded (2, 1 late)" in _text(client.get(f"/dashboard/?round={open_round.slug}"))
    rows = {
        name: row
        for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page, re.DOTALL)
        for name in ("West Midlands", "Kent")
        if f">{name}</a></th>" in row
    }
    assert f"{granted:%-d %b %Y} (more time granted)" in rows["West Midlands"] and "Late" not in rows["West Midlands"]
    assert "Late" in rows["Kent"]
    # Once a force answers it leaves the chase list, late or not.
    make_answer(open_round, force_b, "1")
    assert "Forces that have not responded (1)" in _text(client.get(f"/dashboard/?round={open_round.slug}"))


def test_the_rules_of_a_forces_due_date():
    round_due = datetime.date(2026, 3, 31)
    assert rules.force_due_on(round_due_on=round_due, granted_on=None) == round_due
    assert rules.force_due_on(round_due_on=round_due, granted_on=datetime.date(2026, 4, 14)) == datetime.date(
        2026, 4, 14
    )
    assert not rules.force_is_late(due_on=round_due, today=round_due, responded=False)
    assert rules.force_is_late(due_on=round_due, today=datetime.date(2026, 4, 1), responded=False)
    assert not rules.force_is_late(due_on=round_due, today=datetime.date(2026, 4, 1), responded=True)
    assert rules.extension_decision_problems(decision="grant", due_on=round_due, note="", round_due_on=round_due)
    assert not rules.extension_decision_problems(
        decision="grant", due_on=datetime.date(2026, 4, 1), note="", round_due_on=round_due
    )
    assert rules.extension_decision_problems(decision="refuse", due_on=None, note="", round_due_on=round_due)
