import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from recommendations.models import Reminder
from tests.factories import make_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def leads_with_email(lead_a, lead_b):
    for lead in (lead_a, lead_b):
        lead.email = f"{lead.username}@example.police.uk"
        lead.save()
    return lead_a, lead_b


def run(day: datetime.date, capsys) -> str:
    call_command("send_reminders", today=day.isoformat())
    return capsys.readouterr().out


def test_forces_that_have_not_submitted_are_reminded_14_7_and_1_days_before(leads_with_email, open_round, capsys):
    lead_a, _ = leads_with_email
    make_answer(open_round, lead_a.force_membership.force, user=lead_a, status="complete", narrative="Done.")
    for days in (20, 14, 13, 7, 1, 0):
        run(open_round.due_on - datetime.timedelta(days=days), capsys)
    # West Midlands submitted; Kent is reminded on the three days and no others.
    assert [(m.to, m.subject.split(" is due in ")[1]) for m in mail.outbox] == [
        (["lead-kent@example.police.uk"], "14 days"),
        (["lead-kent@example.police.uk"], "7 days"),
        (["lead-kent@example.police.uk"], "1 day"),
    ]
    assert sorted(Reminder.objects.values_list("force__name", "days_before")) == [
        ("Kent", 1),
        ("Kent", 7),
        ("Kent", 14),
    ]


def test_running_twice_on_the_same_day_sends_nothing_twice(leads_with_email, open_round, capsys):
    day = open_round.due_on - datetime.timedelta(days=7)
    assert "2 reminders sent." in run(day, capsys)
    assert "0 reminders sent." in run(day, capsys)
    assert len(mail.outbox) == 2


def test_a_closed_round_sends_no_reminders(leads_with_email, open_round, capsys):
    open_round.closed = True
    open_round.save()
    run(open_round.due_on - datetime.timedelta(days=7), capsys)
    assert mail.outbox == []


def test_a_failed_send_is_not_recorded_so_the_next_run_retries(
    leads_with_email, open_round, capsys, settings, monkeypatch
):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr("recommendations.services.send_mail", refuse)
    day = open_round.due_on - datetime.timedelta(days=7)
    assert "0 reminders sent." in run(day, capsys)
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    assert "2 reminders sent." in run(day, capsys)


def test_a_malformed_date_is_refused():
    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("send_reminders", today="next tuesday")


def test_reminders_and_the_chase_list_agree_on_a_force_whose_only_answer_left_the_round(
    leads_with_email, open_round, capsys, client, portfolio
):
    """A force that answered only a recommendation later taken out of the round has not responded:
    the dashboard lists it to chase, and it is reminded (the reminders once counted any answer)."""
    from recommendations import selectors

    lead_a, lead_b = leads_with_email
    west_midlands, kent = lead_a.force_membership.force, lead_b.force_membership.force
    make_answer(open_round, west_midlands, "1", user=lead_a, status="complete", narrative="Done.")
    make_answer(open_round, kent, "2", user=lead_b, status="complete", narrative="Done.")
    open_round.recommendations.remove(open_round.recommendations.get(reference="2"))

    assert [force.name for force in selectors.round_figures(open_round).chase] == ["Kent"]
    client.force_login(portfolio)
    chase = client.get(f"/dashboard/?round={open_round.slug}").content.decode().split('id="chase-list"')[1]
    assert "Kent" in chase.split("</table>")[0]
    run(open_round.due_on - datetime.timedelta(days=14), capsys)
    assert [message.to for message in mail.outbox] == [["lead-kent@example.police.uk"]]


def test_a_reminder_of_another_round_on_the_same_number_of_days_does_not_stop_this_rounds(
    leads_with_email, open_round, capsys
):
    from tests.factories import RoundFactory

    other = RoundFactory(due_on=open_round.due_on - datetime.timedelta(days=3), opens_on=open_round.opens_on)
    other.forces_asked.set(open_round.forces_asked.all())
    other.recommendations.set(open_round.recommendations.all())
    run(open_round.due_on - datetime.timedelta(days=14), capsys)  # this round, 14 days before
    run(other.due_on - datetime.timedelta(days=7), capsys)  # the other round, 7 days before
    run(open_round.due_on - datetime.timedelta(days=7), capsys)  # this round, 7 days before
    assert sorted(Reminder.objects.values_list("round__slug", "days_before", "force__name")) == sorted(
        (round.slug, days, force)
        for round, days in ((open_round, 14), (other, 7), (open_round, 7))
        for force in ("Kent", "West Midlands")
    )
