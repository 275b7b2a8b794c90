import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from recommendations.models import Reminder
from recommendations.services import status_update_save

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
    status_update_save(
        round=open_round,
        force=lead_a.force_membership.force,
        recommendation=open_round.recommendations.first(),
        user=lead_a,
        expected_version=0,
        status="complete",
        narrative="Done.",
        submit=True,
    )
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
