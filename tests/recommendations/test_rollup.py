"""The roll-up against hand-counted fixtures, and on the demo round against seed 001's figures."""

import pytest

from recommendations.models import Round
from recommendations.rollup import (
    AnswerRecord,
    CodingRecord,
    ForceRecord,
    RecommendationRecord,
    RoundRollup,
    ThemeRecord,
    compute_rollup,
)
from recommendations.selectors import round_rollup

FORCES = [
    ForceRecord(1, "Bedfordshire", "bedfordshire"),
    ForceRecord(2, "Avon & Somerset", "avon-and-somerset"),
    ForceRecord(3, "Cheshire", "cheshire"),
    ForceRecord(4, "Dorset", "dorset"),
]
RECOMMENDATIONS = [RecommendationRecord(10, "1", "Policy", ""), RecommendationRecord(20, "2a", "Awareness", "")]
THEMES = [ThemeRecord(100, 10, "Specific HBA policy or SOP"), ThemeRecord(101, 10, "Karma Nirvana training")]


def rollup(answers, codings=()):
    return compute_rollup(
        forces_asked=FORCES,
        recommendations=RECOMMENDATIONS,
        themes=THEMES,
        answers=answers,
        codings=codings,
        low_coverage_share=0.5,
    )


def test_counts_responders_statuses_and_themes_by_hand():
    result = rollup(
        answers=[
            AnswerRecord(1, 10, "complete"),
            AnswerRecord(2, 10, "in_progress"),
            AnswerRecord(3, 10, "complete"),
            AnswerRecord(2, 20, "planned"),
        ],
        codings=[CodingRecord(1, 100), CodingRecord(3, 100), CodingRecord(3, 101)],
    )
    assert (result.asked, result.responded) == (4, 3)
    assert result.responded_forces == ["Avon & Somerset", "Bedfordshire", "Cheshire"]
    assert result.not_responded_forces == ["Dorset"]
    first, second = result.recommendations
    assert first.answered == 3
    assert first.count_for("complete") == 2
    assert first.count_for("in_progress") == 1
    assert first.count_for("will_not_implement") == 0
    assert [(t.name, t.count) for t in first.theme_counts] == [
        ("Specific HBA policy or SOP", 2),
        ("Karma Nirvana training", 1),
    ]
    assert first.not_answered_forces == ["Dorset"]
    assert not first.low_coverage
    assert second.answered == 1
    assert second.low_coverage  # 1 of 4 is below half


def test_answers_from_forces_not_asked_and_codings_without_an_answer_are_not_counted():
    result = rollup(
        answers=[AnswerRecord(99, 10, "complete"), AnswerRecord(1, 10, "complete"), AnswerRecord(1, 999, "complete")],
        codings=[CodingRecord(2, 100), CodingRecord(1, 101)],
    )
    assert result.responded == 1
    assert result.recommendations[0].answered == 1
    assert [(t.name, t.count) for t in result.recommendations[0].theme_counts] == [
        ("Karma Nirvana training", 1),
        ("Specific HBA policy or SOP", 0),
    ]


def test_a_round_with_no_answers_has_every_force_outstanding():
    result = rollup(answers=[])
    assert result.responded == 0
    assert result.not_responded_forces == ["Avon & Somerset", "Bedfordshire", "Cheshire", "Dorset"]
    assert all(figures.low_coverage for figures in result.recommendations)


def test_a_frozen_rollup_reads_back_the_same():
    result = rollup(answers=[AnswerRecord(1, 10, "complete")], codings=[CodingRecord(1, 100)])
    assert RoundRollup.from_dict(result.to_dict()) == result


@pytest.mark.django_db
def test_the_demo_round_reproduces_the_npcc_snapshot_of_march_2024(demo):
    result = round_rollup(Round.objects.get(slug="progress-update-march-2024"))
    assert (result.responded, result.asked) == (40, 43)
    assert result.not_responded_forces == ["Dyfed-Powys", "Essex", "Kent"]
    by_reference = {figures.reference: figures for figures in result.recommendations}
    assert list(by_reference) == ["1", "2a", "2b", "2c", "2d", "3"]
    assert by_reference["3"].answered == 15
    assert by_reference["3"].low_coverage
    assert not by_reference["1"].low_coverage
    assert by_reference["1"].count_for("will_not_implement") == 0
    policy = next(t for t in by_reference["1"].theme_counts if t.name == "Specific HBA policy or SOP")
    assert policy.count == 5
    iag = next(t for t in by_reference["2b"].theme_counts if t.name == "IAG in place")
    assert by_reference["2b"].answered - iag.count == 5  # a handful made no IAG comment
    assert "West Mercia" in result.responded_forces and "West Merica" not in result.responded_forces
