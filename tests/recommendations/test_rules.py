"""Each business rule in recommendations/rules.py, tested once, here."""

import datetime

import pytest

from recommendations import rules
from recommendations.models import Round, StatusUpdate
from tests.factories import RoundFactory

TODAY = datetime.date(2026, 12, 2)
YESTERDAY, TOMORROW = TODAY - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    "closed, opens_on, accepts",
    [(False, YESTERDAY, True), (False, TODAY, True), (False, TOMORROW, False), (True, YESTERDAY, False)],
)
def test_a_round_accepts_changes_once_open_until_closed(closed, opens_on, accepts):
    assert rules.round_accepts_changes(closed=closed, opens_on=opens_on, today=TODAY) is accepts


@pytest.mark.django_db
def test_the_rule_as_a_filter_picks_the_same_rounds_as_the_rule_itself():
    rounds = [
        RoundFactory(closed=closed, opens_on=opens_on, due_on=TOMORROW + datetime.timedelta(days=30))
        for closed in (False, True)
        for opens_on in (YESTERDAY, TODAY, TOMORROW)
    ]
    filtered = set(Round.objects.filter(rules.rounds_accepting_changes(TODAY)))
    assert filtered == {
        round
        for round in rounds
        if rules.round_accepts_changes(closed=round.closed, opens_on=round.opens_on, today=TODAY)
    }
    assert len(filtered) == 2


@pytest.mark.parametrize(
    "status, narrative, reason, problems",
    [
        ("in_progress", "Work under way.", "", {}),
        ("not_applicable", "", "We have no such unit.", {}),
        ("not_applicable", "Also words.", "We have no such unit.", {}),
        ("complete", "", "", {"narrative": "Enter a progress update"}),
        ("complete", "  \n ", "", {"narrative": "Enter a progress update"}),
        ("not_applicable", "", " ", {"not_applicable_reason": rules.ANSWER_MESSAGES["not_applicable_reason"]}),
        (None, "Words.", "", {"status": rules.ANSWER_MESSAGES["status"]}),
        ("nonsense", "Words.", "", {"status": rules.ANSWER_MESSAGES["status"]}),
        ("complete", "x" * 10_000, "", {}),
        (
            "complete",
            "x" * 10_001,
            "",
            {"narrative": "The progress update must be 10,000 characters or fewer; it has 10,001"},
        ),
        (
            "not_applicable",
            "",
            "y" * 1_001,
            {"not_applicable_reason": "The reason must be 1,000 characters or fewer"},
        ),
    ],
)
def test_an_answer_is_complete_with_a_status_and_a_reason_or_an_update_within_their_lengths(
    status, narrative, reason, problems
):
    assert rules.answer_problems(status=status, narrative=narrative, not_applicable_reason=reason) == problems


@pytest.mark.parametrize(
    "state, withdrawable",
    [(None, False), ("draft", False), ("submitted", True), ("withdrawn", False)],
)
def test_only_a_submitted_answer_not_changed_since_can_be_withdrawn(state, withdrawable):
    current = StatusUpdate(state=state) if state else None
    assert rules.answer_withdrawable(current) is withdrawable


@pytest.mark.parametrize(
    "force_id, recommendation_id, counted",
    [(1, 10, True), (3, 10, False), (1, 30, False), (3, 30, False)],
)
def test_an_answer_counts_when_its_force_was_asked_and_its_recommendation_is_in_scope(
    force_id, recommendation_id, counted
):
    assert (
        rules.answer_counted(
            force_id=force_id, recommendation_id=recommendation_id, forces_asked={1, 2}, in_scope={10, 20}
        )
        is counted
    )


@pytest.mark.parametrize("answered, asked, low", [(15, 43, True), (21, 43, True), (22, 43, False), (0, 0, False)])
def test_coverage_is_low_under_half_the_forces_asked(answered, asked, low, settings):
    settings.LOW_COVERAGE_SHARE = 0.5
    assert rules.coverage_is_low(answered=answered, asked=asked) is low


def test_low_coverage_is_said_in_one_sentence_with_the_figures():
    assert rules.low_coverage_sentence(answered=15, asked=43) == (
        "Not all forces answered this recommendation: 15 of 43 did, "
        "so its figures should not be viewed as representative."
    )


@pytest.mark.parametrize("name_force, attribution", [(False, "One force"), (True, "Kent")])
def test_quoted_practice_is_attributed_to_one_force_unless_staff_name_it(name_force, attribution):
    assert rules.practice_attribution(force_name="Kent", name_force=name_force) == attribution


# An answer's review state, and what a reviewer may still do with it.

REVIEW_CASES = [
    ("submitted", "", False, rules.ReviewState.SUBMITTED),
    ("submitted", "", True, rules.ReviewState.RESUBMITTED),
    ("submitted", "returned", False, rules.ReviewState.RETURNED),
    ("submitted", "accepted", True, rules.ReviewState.ACCEPTED),
    ("withdrawn", "", False, rules.ReviewState.WITHDRAWN),
]


@pytest.mark.parametrize("state, review, resubmitted, expected", REVIEW_CASES)
def test_an_answers_review_state_follows_its_state_and_review(state, review, resubmitted, expected):
    assert rules.answer_review_state(state=state, review=review, is_resubmission=resubmitted) == expected


@pytest.mark.django_db
def test_the_review_state_as_a_filter_picks_the_same_answers_as_the_rule_itself(force_a, lead_a):
    from recommendations.models import Status
    from tests.factories import RecommendationFactory

    round = RoundFactory(forces_asked=[force_a])
    answers = []
    for state, review, resubmitted, _ in REVIEW_CASES:
        recommendation = RecommendationFactory()
        round.recommendations.add(recommendation)
        answers.append(
            StatusUpdate.objects.create(
                round=round,
                force=force_a,
                recommendation=recommendation,
                version=1,
                state=state,
                status=Status.IN_PROGRESS,
                narrative="Text.",
                review=review,
                is_resubmission=resubmitted,
                withdrawal_reason="Wrong answer." if state == "withdrawn" else "",
            )
        )
    for value, _ in rules.REVIEW_FILTER_CHOICES + [(rules.ReviewState.SUBMITTED, "")]:
        filtered = set(StatusUpdate.objects.filter(rules.answers_in_review_state(value)))
        expected = {
            answer
            for answer in answers
            if (
                state := rules.answer_review_state(
                    state=answer.state, review=answer.review, is_resubmission=answer.is_resubmission
                )
            )
            == value
            or (value == rules.ReviewState.NEEDS_REVIEW and rules.review_state_needs_review(state))
        }
        assert filtered == expected, value


@pytest.mark.parametrize(
    "state, round_open, offered",
    [
        (rules.ReviewState.SUBMITTED, True, {"return", "accept"}),
        (rules.ReviewState.RESUBMITTED, True, {"return", "accept"}),
        (rules.ReviewState.ACCEPTED, True, {"return"}),
        (rules.ReviewState.RETURNED, True, set()),
        (rules.ReviewState.WITHDRAWN, True, set()),
        (rules.ReviewState.SUBMITTED, False, set()),
    ],
)
def test_a_reviewer_is_offered_only_what_still_applies(state, round_open, offered):
    assert rules.review_actions(review_state=state, round_open=round_open) == offered


@pytest.mark.parametrize("share, suggested", [(0.0, False), (0.39, False), (0.4, True), (1.0, True)])
def test_a_theme_is_suggested_when_its_neighbours_hold_enough_of_the_similarity(share, suggested):
    assert rules.theme_suggested(theme_similarity=share, total_similarity=1.0) is suggested
    assert rules.theme_suggested(theme_similarity=0.0, total_similarity=0.0) is False


# Local policing bodies


@pytest.mark.parametrize(
    "addressee, party",
    [("chief_constables", "force"), ("national_bodies", "force"), ("pccs", "body")],
)
def test_the_body_answers_recommendations_to_commissioners_and_the_force_the_rest(addressee, party):
    assert rules.answering_party(addressee) == party


@pytest.mark.django_db
def test_the_answering_party_as_a_filter_agrees_with_the_rule():
    from recommendations.models import Recommendation
    from tests.factories import RecommendationFactory

    first = RecommendationFactory(reference="1", addressee="chief_constables")
    RecommendationFactory(report=first.report, reference="3", addressee="national_bodies")
    RecommendationFactory(report=first.report, reference="4", addressee="pccs")
    for party in (rules.Party.FORCE, rules.Party.BODY):
        filtered = set(Recommendation.objects.filter(rules.answered_by(party)).values_list("reference", flat=True))
        ruled = {r.reference for r in Recommendation.objects.all() if rules.answering_party(r.addressee) == party}
        assert filtered == ruled


@pytest.mark.parametrize(
    "published, due",
    [
        (datetime.date(2022, 12, 1), datetime.date(2023, 1, 26)),  # the TVIP report
        (datetime.date(2024, 1, 1), datetime.date(2024, 2, 26)),
        (datetime.date(2024, 1, 5), datetime.date(2024, 3, 1)),  # across 29 February
    ],
)
def test_a_bodys_response_is_due_56_days_after_the_report_is_published(published, due):
    assert rules.response_due_on(published) == due


@pytest.mark.parametrize(
    "today, days, sentence",
    [
        (datetime.date(2023, 1, 12), 14, "14 days left"),
        (datetime.date(2023, 1, 25), 1, "1 day left"),
        (datetime.date(2023, 1, 26), 0, "Due today"),
        (datetime.date(2023, 1, 27), -1, "1 day overdue"),
        (datetime.date(2023, 2, 5), -10, "10 days overdue"),
    ],
)
def test_days_left_until_a_response_is_due_and_how_that_reads(today, days, sentence):
    left = rules.response_days_left(due_on=datetime.date(2023, 1, 26), today=today)
    assert left == days
    assert rules.days_left_sentence(left) == sentence


@pytest.mark.parametrize(
    "published_on, timeliness",
    [
        (datetime.date(2023, 1, 1), "on_time"),
        (datetime.date(2023, 1, 26), "on_time"),
        (datetime.date(2023, 1, 27), "late"),
        (None, "not_yet"),
    ],
)
def test_a_response_is_published_on_time_late_or_not_yet(published_on, timeliness):
    assert rules.response_timeliness(due_on=datetime.date(2023, 1, 26), published_on=published_on) == timeliness


@pytest.mark.parametrize(
    "holder_name, title",
    [
        ("Simon Foster", "A report: Response from Simon Foster, West Midlands Police and Crime Commissioner"),
        ("", "A report: Response from West Midlands Police and Crime Commissioner"),
    ],
)
def test_a_responses_title_names_the_report_and_the_holder_as_seed_000_does(holder_name, title):
    assert (
        rules.response_title(
            report_title="A report", holder_name=holder_name, holder_title="West Midlands Police and Crime Commissioner"
        )
        == title
    )


# A report's parts, one level deep


@pytest.mark.parametrize(
    "reference, parent_reference, parent_is_part, has_parts, problem",
    [
        ("2a", "2", False, False, None),
        ("2", "2", False, False, "A recommendation cannot be a part of itself"),
        ("2a", "2", True, False, "2 is itself a part: choose the recommendation it is a part of"),
        ("2", "1", False, True, "2 has parts of its own, so it cannot be a part"),
    ],
)
def test_a_part_sits_one_level_under_another_recommendation(
    reference, parent_reference, parent_is_part, has_parts, problem
):
    assert (
        rules.part_problem(
            reference=reference, parent_reference=parent_reference, parent_is_part=parent_is_part, has_parts=has_parts
        )
        == problem
    )


def test_a_forces_latest_status_comes_from_the_newest_round_it_submitted_in():
    from types import SimpleNamespace

    def answer(opens_on, round_id, status, submitted=True):
        round = SimpleNamespace(opens_on=opens_on)
        return SimpleNamespace(round=round, round_id=round_id, status=status, is_latest_submitted=submitted)

    march, june = datetime.date(2024, 3, 1), datetime.date(2024, 6, 1)
    assert rules.latest_submitted_answer([]) is None
    assert rules.latest_submitted_answer([answer(march, 1, "complete", submitted=False)]) is None
    assert rules.latest_submitted_answer([answer(june, 2, "planned"), answer(march, 1, "complete")]).status == "planned"
    # A newer round with nothing submitted (a draft, a withdrawal) leaves the older answer the latest.
    assert (
        rules.latest_submitted_answer(
            [answer(june, 2, "planned", submitted=False), answer(march, 1, "complete")]
        ).status
        == "complete"
    )
    # Two rounds opening the same day: the one made later.
    assert (
        rules.latest_submitted_answer([answer(march, 3, "planned"), answer(march, 1, "complete")]).status == "planned"
    )


@pytest.mark.django_db
def test_a_forces_latest_status_as_a_filter_agrees_with_the_rule(force_a, force_b, lead_a, lead_b):
    from tests.factories import RecommendationFactory, make_answer

    first = RecommendationFactory(reference="1")
    second = RecommendationFactory(report=first.report, reference="2")
    rounds = [
        RoundFactory(opens_on=TODAY - datetime.timedelta(days=days), due_on=TODAY, recommendations=[first, second])
        for days in (300, 100, 100)  # the last two open the same day
    ]
    for round in rounds:
        round.forces_asked.set([force_a, force_b])
    make_answer(rounds[0], force_a, first, status="complete")
    make_answer(rounds[1], force_a, first, status="planned")
    make_answer(rounds[0], force_b, first, status="not_started")
    make_answer(rounds[2], force_b, first, status="in_progress", submit=False)  # a draft: not submitted
    make_answer(rounds[1], force_b, second, status="complete")
    make_answer(rounds[2], force_b, second, status="will_not_implement")
    answers = list(StatusUpdate.objects.select_related("round"))
    ruled = set()
    for force in (force_a, force_b):
        for recommendation in (first, second):
            latest = rules.latest_submitted_answer(
                [a for a in answers if a.force_id == force.pk and a.recommendation_id == recommendation.pk]
            )
            if latest:
                ruled.add(latest.pk)
    filtered = set(StatusUpdate.objects.filter(rules.latest_submitted_answers()).values_list("pk", flat=True))
    assert filtered == ruled
    assert {StatusUpdate.objects.get(pk=pk).status for pk in filtered} == {
        "planned",
        "not_started",
        "will_not_implement",
    }
