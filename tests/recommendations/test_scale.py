"""The benchmark's scale data: generated quickly beside the demo, keeping the answers' invariants."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Q

from forces.models import Force, normalise_force_name
from recommendations.models import Round, StatusUpdate

pytestmark = pytest.mark.django_db


def test_it_generates_forces_rounds_and_versions_beside_the_demo(demo, capsys):
    call_command("generate_scale_data", forces=5, recommendations=8, rounds=3, large_round=4)
    out = capsys.readouterr().out
    assert "Scale data ready" in out

    generated = Force.objects.filter(slug__startswith="scale-force-")
    assert generated.count() == 5
    assert all(force.match_key == normalise_force_name(force.name) for force in generated)
    rounds = Round.objects.filter(slug__startswith="scale-round-").order_by("opens_on")
    assert [round.closed for round in rounds] == [True, True, False]
    assert all(round.forces_asked.count() == 48 for round in rounds)  # the 43 demo forces too
    assert [round.recommendations.count() for round in rounds] == [6, 2, 6]  # reports of six, then the rest
    assert StatusUpdate.objects.filter(round__slug="scale-large-round").count() == 5 * 4


def test_every_answer_has_one_current_last_version_and_at_most_one_latest_submitted(db):
    call_command("generate_scale_data", forces=6, recommendations=6, rounds=2)
    answers = StatusUpdate.objects.values("round", "force", "recommendation").annotate(
        versions=Count("pk"),
        top=Max("version"),
        current=Count("pk", filter=Q(is_current=True)),
        latest_submitted=Count("pk", filter=Q(is_latest_submitted=True)),
    )
    assert answers
    for answer in answers:
        assert answer["versions"] == answer["top"]
        assert answer["current"] == 1
        assert answer["latest_submitted"] <= 1
    for update in StatusUpdate.objects.filter(is_current=True):
        assert (
            update.version
            == StatusUpdate.objects.filter(
                round=update.round_id, force=update.force_id, recommendation=update.recommendation_id
            ).count()
        )
    assert not StatusUpdate.objects.filter(is_latest_submitted=True).exclude(state="submitted").exists()
    closed = StatusUpdate.objects.filter(round__closed=True, is_current=True)
    assert not closed.exclude(is_latest_submitted=True).exists()


def test_it_refuses_to_run_twice(db):
    call_command("generate_scale_data", forces=2, recommendations=2, rounds=1)
    with pytest.raises(Exception, match="already loaded"):
        call_command("generate_scale_data", forces=2, recommendations=2, rounds=1)
