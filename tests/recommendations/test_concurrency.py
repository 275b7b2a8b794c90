"""Two people saving the same answer at the same moment, on two real PostgreSQL connections."""

import threading

import pytest
from django.db import connection, connections

from recommendations.models import StatusUpdate
from recommendations.services import StaleAnswer, status_update_save

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: run with DATABASE_URL=postgres://..."
    ),
]


def race(round, force, recommendation, users, narratives, expected_version):
    barrier = threading.Barrier(len(users))
    outcomes = {}

    def save(user, narrative):
        try:
            barrier.wait(timeout=10)
            status_update_save(
                round=round,
                force=force,
                recommendation=recommendation,
                user=user,
                expected_version=expected_version,
                status="in_progress",
                narrative=narrative,
            )
            outcomes[narrative] = "saved"
        except StaleAnswer as stale:
            outcomes[narrative] = ("refused", stale.latest.narrative if stale.latest else None)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=pair) for pair in zip(users, narratives, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.parametrize("repeat", range(5))
def test_of_two_simultaneous_saves_from_one_version_exactly_one_wins(open_round, force_a, lead_a, repeat):
    from tests.factories import make_lead

    colleague = make_lead(force_a, username="deputy-west-midlands")
    recommendation = open_round.recommendations.get(reference="1")
    status_update_save(
        round=open_round,
        force=force_a,
        recommendation=recommendation,
        user=lead_a,
        expected_version=0,
        status="planned",
        narrative="Starting point.",
    )

    outcomes = race(open_round, force_a, recommendation, [lead_a, colleague], ["Alice's words.", "Bob's words."], 1)

    winners = [narrative for narrative, outcome in outcomes.items() if outcome == "saved"]
    losers = [outcome for outcome in outcomes.values() if outcome != "saved"]
    assert len(winners) == 1, outcomes
    # The refused person is shown what the winner saved.
    assert losers == [("refused", winners[0])]
    versions = list(
        StatusUpdate.objects.filter(force=force_a).order_by("version").values_list("version", "narrative", "is_current")
    )
    assert versions == [(1, "Starting point.", False), (2, winners[0], True)]


def test_two_first_answers_at_once_cannot_both_be_version_one(open_round, force_a, lead_a):
    from tests.factories import make_lead

    colleague = make_lead(force_a, username="deputy-west-midlands")
    recommendation = open_round.recommendations.get(reference="1")

    outcomes = race(open_round, force_a, recommendation, [lead_a, colleague], ["First A.", "First B."], 0)

    assert sorted(o if o == "saved" else o[0] for o in outcomes.values()) == ["refused", "saved"]
    assert StatusUpdate.objects.filter(force=force_a).count() == 1


def test_saving_an_answer_locks_only_that_answers_rows(open_round, force_a, lead_a):
    """Locking the shared round or recommendation rows made saves by different forces deadlock under load."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        status_update_save(
            round=open_round,
            force=force_a,
            recommendation=open_round.recommendations.get(reference="1"),
            user=lead_a,
            expected_version=0,
            status="planned",
            narrative="Locks.",
        )
    locking = [query["sql"] for query in captured if "FOR UPDATE" in query["sql"]]
    assert locking, "the save takes a row lock"
    for sql in locking:
        assert "JOIN" not in sql and 'FOR UPDATE OF "recommendations_statusupdate"' in sql, sql


@pytest.mark.parametrize("repeat", range(3))
def test_a_withdrawal_racing_an_amendment_cannot_both_happen(open_round, force_a, lead_a, repeat):
    """One lead withdraws the submitted answer while a colleague amends it: exactly one wins, and
    the answer's flags stay consistent (one current version, submitted flag only on a submission)."""
    from recommendations.services import answer_withdraw
    from tests.factories import make_lead

    colleague = make_lead(force_a, username="deputy-west-midlands")
    recommendation = open_round.recommendations.get(reference="1")
    status_update_save(
        round=open_round,
        force=force_a,
        recommendation=recommendation,
        user=lead_a,
        expected_version=0,
        status="complete",
        narrative="Submitted.",
        submit=True,
    )
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(name, action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes[name] = "done"
        except StaleAnswer:
            outcomes[name] = "refused"
        finally:
            connections.close_all()

    common = {"round": open_round, "force": force_a, "recommendation": recommendation, "expected_version": 1}
    threads = [
        threading.Thread(
            target=act, args=("withdraw", lambda: answer_withdraw(user=lead_a, reason="In error.", **common))
        ),
        threading.Thread(
            target=act,
            args=(
                "amend",
                lambda: status_update_save(
                    user=colleague, status="in_progress", narrative="Amended.", submit=True, **common
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["done", "refused"], outcomes
    versions = list(
        StatusUpdate.objects.filter(force=force_a)
        .order_by("version")
        .values_list("version", "state", "is_current", "is_latest_submitted")
    )
    if outcomes["withdraw"] == "done":
        assert versions == [(1, "submitted", False, False), (2, "withdrawn", True, False)]
    else:
        assert versions == [(1, "submitted", False, False), (2, "submitted", True, True)]
