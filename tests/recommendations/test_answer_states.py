"""Every state of an answer, as its lead sees it on the force page and staff see it on the force's
page of answers: one table, each state reached through the services a person would use."""

import datetime

import pytest

from recommendations import selectors
from recommendations.models import StatusUpdate
from recommendations.services import answer_withdraw, status_update_review
from tests.factories import RoundFactory, make_answer

pytestmark = pytest.mark.django_db


def draft(round, force, lead, portfolio):
    make_answer(round, force, user=lead, submit=False)


def submitted(round, force, lead, portfolio):
    make_answer(round, force, user=lead)


def returned(round, force, lead, portfolio):
    answer = make_answer(round, force, user=lead)
    status_update_review(update=answer, user=portfolio, review=StatusUpdate.Review.RETURNED, note="Say when.")


def returned_then_drafted(round, force, lead, portfolio):
    returned(round, force, lead, portfolio)
    make_answer(round, force, user=lead, narrative="Adding dates.", submit=False)


def resubmitted(round, force, lead, portfolio):
    returned(round, force, lead, portfolio)
    make_answer(round, force, user=lead, narrative="Done by June.")


def accepted(round, force, lead, portfolio):
    answer = make_answer(round, force, user=lead)
    status_update_review(update=answer, user=portfolio, review=StatusUpdate.Review.ACCEPTED)


def withdrawn(round, force, lead, portfolio):
    answer = make_answer(round, force, user=lead)
    answer_withdraw(
        round=round,
        force=force,
        recommendation=answer.recommendation,
        user=lead,
        expected_version=answer.version,
        reason="Submitted in error.",
    )


def carried_forward(round, force, lead, portfolio):
    earlier = RoundFactory(
        opens_on=round.opens_on - datetime.timedelta(days=90),
        due_on=round.opens_on - datetime.timedelta(days=60),
        recommendations=list(round.recommendations.all()),
        forces_asked=[force],
    )
    make_answer(earlier, force, user=lead)
    earlier.closed = True
    earlier.save()


def not_started(round, force, lead, portfolio):
    pass


STATES = [
    (not_started, "Not started", False, False),
    (carried_forward, "Carried forward", False, False),
    (draft, "Draft", False, False),
    (submitted, "Submitted", True, True),
    (returned, "Returned for more information", True, True),
    (returned_then_drafted, "Returned for more information", False, True),
    (resubmitted, "Resubmitted", True, True),
    (accepted, "Accepted", True, True),
    (withdrawn, "Withdrawn", False, True),
]


@pytest.mark.parametrize(
    "reach, state, withdrawable, shared", STATES, ids=[row[1] + "-" + row[0].__name__ for row in STATES]
)
def test_each_answer_state_as_the_lead_and_staff_see_it(
    client, open_round, force_a, lead_a, portfolio, reach, state, withdrawable, shared
):
    reach(open_round, force_a, lead_a, portfolio)
    row = selectors.answer_row(force_a, open_round, open_round.recommendations.get(reference="1"))
    assert (row.state, row.withdrawable, row.shared_with_staff) == (state, withdrawable, shared)

    for person in (lead_a, portfolio):  # staff read the force's page as its lead does
        client.force_login(person)
        page = client.get("/forces/west-midlands/").content.decode()
        first = page.split("1. The risk of honour-based abuse")[1].split("</tr>")[0]
        assert f">{state}</strong>" in first
