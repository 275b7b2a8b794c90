"""A round's figures (selectors.round_figures) on a round holding every kind of answer, counted by hand:
drafts, submissions, resubmissions, returned and accepted answers, withdrawn answers, "not applicable",
an answer reused for a linked recommendation, codings, reminders, and requests for more time granted
and waiting; with the round before it for the comparison. They pin what the figures are, whichever
way they are read from the database, and the dashboard shows the same page with nothing cached."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from forces.models import Force
from recommendations.analysis import answer_coding_set
from recommendations.extensions import extension_ask, extension_decide
from recommendations.models import RecommendationLink, Reminder, StatusUpdate
from recommendations.rules import NO_RESPONSE, ExtensionDecision, ReviewState
from recommendations.selectors import round_figures
from recommendations.services import answer_reuse, answer_withdraw, status_update_review, status_update_save
from tests.factories import (
    ForceFactory,
    RecommendationFactory,
    ReportFactory,
    RoundFactory,
    ThemeFactory,
    make_lead,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def answer(round, force, recommendation, status, *, submit=True, **fields):
    current = StatusUpdate.objects.filter(round=round, force=force, recommendation=recommendation, is_current=True)
    version = current.values_list("version", flat=True).first() or 0
    return status_update_save(
        round=round,
        force=force,
        recommendation=recommendation,
        user=force.memberships.first().user,
        expected_version=version,
        status=status,
        narrative=f"{force.name}: {status}.",
        submit=submit,
        **fields,
    )


@pytest.fixture
def every_state(portfolio):
    """Forces Avon (lead), Bedford (lead), Cheshire (lead), Dorset (two leads) and Essex (no lead);
    recommendations 1 and 2 of one report and 7 of another (7 is the same as 1)."""
    report = ReportFactory(slug="tvip", short_title="TVIP")
    other = ReportFactory(slug="hba", short_title="HBA")
    one = RecommendationFactory(report=report, reference="1", title="Policy", order=1)
    two = RecommendationFactory(report=report, reference="2", title="Training", order=2)
    seven = RecommendationFactory(report=other, reference="7", title="Policy again", order=1)
    RecommendationLink.objects.create(
        source=one, kind=RecommendationLink.Kind.SAME_AS, target=seven, created_by=portfolio
    )
    avon, bedford, cheshire, dorset, essex = (
        ForceFactory(name=name) for name in ("Avon", "Bedford", "Cheshire", "Dorset", "Essex")
    )
    for force in (avon, bedford, cheshire, dorset):
        make_lead(force)
    make_lead(dorset, username="a-second-lead-dorset")
    earlier = RoundFactory(
        title="Earlier",
        slug="earlier",
        recommendations=[one, two],
        forces_asked=[avon, bedford, cheshire],
        opens_on=TODAY - datetime.timedelta(days=200),
        due_on=TODAY - datetime.timedelta(days=170),
    )
    answer(earlier, avon, one, "planned")
    answer(earlier, avon, two, "in_progress")
    answer(earlier, bedford, one, "complete")
    answer(earlier, cheshire, one, "planned")
    answer(earlier, cheshire, one, "complete", submit=False)  # a draft the comparison does not count
    earlier.closed = True
    earlier.save()

    round = RoundFactory(
        title="Now",
        slug="now",
        recommendations=[one, two, seven],
        forces_asked=[avon, bedford, cheshire, dorset, essex],
        opens_on=TODAY - datetime.timedelta(days=20),
        due_on=TODAY - datetime.timedelta(days=1),
    )
    policy = ThemeFactory(recommendation=one, name="Written policy")
    training = ThemeFactory(recommendation=one, name="Staff trained")
    # Avon: 1 complete (accepted), 2 in progress (returned), 7 reused from 1 and submitted.
    accepted = answer(round, avon, one, "complete")
    status_update_review(update=accepted, user=portfolio, review=StatusUpdate.Review.ACCEPTED)
    returned = answer(round, avon, two, "in_progress")
    status_update_review(update=returned, user=portfolio, review=StatusUpdate.Review.RETURNED, note="Say more.")
    answer_reuse(
        round=round,
        force=avon,
        recommendation=seven,
        user=avon.memberships.first().user,
        expected_version=0,
        party="force",
    )
    answer(round, avon, seven, "complete")
    answer_coding_set(round=round, force=avon, recommendation=one, themes=[policy, training], user=portfolio)
    # Bedford: 1 not applicable, returned, then resubmitted as planned; 2 submitted then withdrawn.
    not_applicable = answer(round, bedford, one, "not_applicable", not_applicable_reason="No such unit.")
    status_update_review(update=not_applicable, user=portfolio, review=StatusUpdate.Review.RETURNED, note="Is it?")
    answer(round, bedford, one, "planned")
    answer(round, bedford, two, "complete")
    answer_withdraw(
        round=round,
        force=bedford,
        recommendation=two,
        user=bedford.memberships.first().user,
        expected_version=1,
        reason="Sent by mistake.",
    )
    answer_coding_set(round=round, force=bedford, recommendation=one, themes=[policy], user=portfolio)
    # Cheshire: a draft only (no response), granted more time, reminded once.
    answer(round, cheshire, one, "in_progress", submit=False)
    granted = extension_ask(
        round=round,
        force=cheshire,
        user=cheshire.memberships.first().user,
        asked_for=TODAY + datetime.timedelta(days=10),
        reason="Our lead is away.",
    )
    extension_decide(
        extension=granted,
        user=portfolio,
        decision=ExtensionDecision.GRANT,
        due_on=TODAY + datetime.timedelta(days=10),
        note="",
    )
    Reminder.objects.create(round=round, force=cheshire, days_before=1)
    # Dorset: nothing, reminded twice, waiting for more time. Essex: nothing at all.
    Reminder.objects.create(round=round, force=dorset, days_before=7)
    Reminder.objects.create(round=round, force=dorset, days_before=1)
    waiting = extension_ask(
        round=round,
        force=dorset,
        user=dorset.memberships.first().user,
        asked_for=TODAY + datetime.timedelta(days=5),
        reason="Restructure.",
    )
    return round, waiting


def test_every_figure_of_a_round_with_every_kind_of_answer_is_as_counted_by_hand(every_state):
    round, waiting = every_state
    figures = round_figures(round)
    rollup = figures.rollup

    assert (rollup.asked, rollup.responded) == (5, 2)
    assert rollup.responded_forces == ["Avon", "Bedford"]
    assert rollup.not_responded_forces == ["Cheshire", "Dorset", "Essex"]
    # Avon's 1 is accepted and 2 returned; its 7 and Bedford's resubmitted 1 wait for review.
    assert rollup.needs_review == 2
    by_reference = {item.reference: item for item in rollup.recommendations}
    assert [item.reference for item in rollup.recommendations] == ["1", "2", "7"]
    one, two, seven = by_reference["1"], by_reference["2"], by_reference["7"]
    assert (one.answered, one.count_for("complete"), one.count_for("planned"), one.count_for("not_applicable")) == (
        2,
        1,
        1,
        0,
    )
    assert (one.needs_review, one.returned, one.low_coverage) == (1, 0, True)
    assert [(count.name, count.count) for count in one.theme_counts] == [("Written policy", 2), ("Staff trained", 1)]
    assert (two.answered, two.count_for("in_progress"), two.count_for("complete")) == (1, 1, 0)  # withdrawn: no answer
    assert (two.needs_review, two.returned) == (0, 1)
    assert (seven.answered, seven.count_for("complete"), seven.needs_review) == (1, 1, 1)
    assert one.answered_forces == ["Avon", "Bedford"] and two.answered_forces == ["Avon"]

    matrix = {force.name: (force.statuses, force.reviews) for force in figures.forces}
    assert matrix == {
        "Avon": (
            ("complete", "in_progress", "complete"),
            (ReviewState.ACCEPTED, ReviewState.RETURNED, ReviewState.SUBMITTED),
        ),
        "Bedford": (("planned", NO_RESPONSE, NO_RESPONSE), (ReviewState.RESUBMITTED, ReviewState.WITHDRAWN, "")),
        "Cheshire": ((NO_RESPONSE,) * 3, ("",) * 3),
        "Dorset": ((NO_RESPONSE,) * 3, ("",) * 3),
        "Essex": ((NO_RESPONSE,) * 3, ("",) * 3),
    }

    assert figures.previous.title == "Earlier"
    moves = {item.reference: item for item in figures.movements}
    assert (moves["1"].compared, moves["1"].unchanged) == (
        2,
        0,
    )  # Avon planned -> complete, Bedford complete -> planned
    assert [(move.from_status, move.to_status, move.count) for move in moves["1"].movements] == [
        ("complete", "planned", 1),  # in the order of the statuses, from then to
        ("planned", "complete", 1),
    ]
    assert (moves["2"].compared, moves["2"].unchanged, moves["2"].movements) == (1, 1, [])
    assert (moves["7"].compared, moves["7"].movements) == (0, [])

    chase = {force.name: force for force in figures.chase}
    assert list(chase) == ["Cheshire", "Dorset", "Essex"]
    cheshire, dorset, essex = chase["Cheshire"], chase["Dorset"], chase["Essex"]
    assert cheshire.leads == (("lead-cheshire", "lead-cheshire@example.invalid"),)
    assert dorset.leads == (
        ("a-second-lead-dorset", "a-second-lead-dorset@example.invalid"),
        ("lead-dorset", "lead-dorset@example.invalid"),
    )
    assert essex.leads == ()
    draft = StatusUpdate.objects.get(round=round, force__name="Cheshire")
    assert (cheshire.last_activity, dorset.last_activity, essex.last_activity) == (draft.created_at, None, None)
    assert (cheshire.reminders_sent, dorset.reminders_sent, essex.reminders_sent) == (1, 2, 0)
    assert cheshire.due_on == TODAY + datetime.timedelta(days=10) and not cheshire.late(TODAY)
    assert dorset.due_on == round.due_on and dorset.late(TODAY)
    assert (cheshire.extension_waiting, dorset.extension_waiting, essex.extension_waiting) == (None, waiting.pk, None)
    assert rollup.not_responded_force_ids == list(
        Force.objects.filter(name__in=["Cheshire", "Dorset", "Essex"]).order_by("name").values_list("pk", flat=True)
    )


def page_of(response) -> str:
    """The page without what differs on every request (the form's token, the scripts' nonce)."""
    return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', r'\1=""', response.content.decode())


@pytest.mark.parametrize("query", ["", "&matrix=show", "&report=hba&matrix=show"])
def test_the_dashboard_after_each_change_is_the_page_rendered_with_nothing_cached(
    client, portfolio, every_state, query
):
    """Parts of the dashboard are kept under what they show: after each change, the page built from
    what is kept is the page built afresh."""
    round, waiting = every_state
    client.force_login(portfolio)
    url = f"/dashboard/?round={round.slug}{query}"
    avon = Force.objects.get(name="Avon")
    cheshire = Force.objects.get(name="Cheshire")
    one = round.recommendations.get(reference="1")
    changes = [
        lambda: answer(round, cheshire, one, "planned", submit=False),  # a draft: the last activity moves
        lambda: answer(round, cheshire, one, "planned"),  # Cheshire responds
        lambda: answer(round, avon, one, "will_not_implement"),  # a resubmission changes one recommendation
        lambda: answer_coding_set(round=round, force=avon, recommendation=one, themes=[], user=portfolio),
        lambda: Reminder.objects.create(round=round, force=Force.objects.get(name="Essex"), days_before=1),
        lambda: extension_decide(
            extension=waiting, user=portfolio, decision=ExtensionDecision.REFUSE, due_on=None, note="No."
        ),
    ]
    client.get(url)
    for change in changes:
        change()
        kept = page_of(client.get(url))
        cache.clear()
        assert kept == page_of(client.get(url))
