import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from forces.models import Force, ForceMembership
from recommendations.models import (
    Recommendation,
    RecommendationLink,
    Round,
    Snapshot,
    StatusUpdate,
    Theme,
    ThemeCoding,
)

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Force,
            ForceMembership,
            Recommendation,
            Round,
            Snapshot,
            StatusUpdate,
            Theme,
            ThemeCoding,
            get_user_model(),
        )
    }


def test_the_loader_run_twice_duplicates_nothing(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo_data")
    first = counts()
    call_command("load_demo_data")
    assert counts() == first
    assert first["Force"] == 43
    assert first["User"] == 47  # admin, portfolio, one lead per force, two commissioners' offices
    assert first["Round"] == 2
    assert "Demo data ready" in capsys.readouterr().out


def test_the_demo_has_a_closed_round_with_a_published_snapshot_and_an_open_round(demo):
    past = Round.objects.get(slug="progress-update-march-2024")
    assert past.closed
    snapshot = past.snapshots.get()
    assert snapshot.state == "published"
    assert str(snapshot.published_on) == "2024-03-25"
    assert snapshot.figures["responded"] == 40
    current = Round.objects.get(closed=False)
    assert current.is_open and current.days_left > 14
    assert not current.updates.exists()
    in_scope = current.recommendations.order_by("report__published_on", "order")
    assert [item.name for item in in_scope] == [
        "TVIP super-complaint 1",
        "TVIP super-complaint 2a",
        "TVIP super-complaint 2b",
        "TVIP super-complaint 2c",
        "TVIP super-complaint 2d",
        "TVIP super-complaint 3",
        "TVIP super-complaint 4",  # addressed to commissioners: their offices answer it
        # The invented second report: its references collide with TVIP's, two are linked to TVIP's.
        "Illustrative follow-up 1",
        "Illustrative follow-up 2a",
        "Illustrative follow-up 2b",
    ]
    assert sorted(str(link) for link in RecommendationLink.objects.all()) == [
        "TVIP super-complaint 1 is the same as Illustrative follow-up 1",
        "TVIP super-complaint 2a partly covers Illustrative follow-up 2a",
    ]


def test_every_narrative_but_west_midlands_says_it_is_demo_text(demo):
    for update in StatusUpdate.objects.select_related("force"):
        if update.force.name == "West Midlands":
            assert update.narrative.startswith("Quoted from the West Midlands Police and Crime Commissioner")
        else:
            assert update.narrative.startswith("Illustrative demo text")


def test_demo_accounts_are_named_by_force_slug(demo):
    names = set(get_user_model().objects.values_list("username", flat=True))
    for expected in [
        "admin",
        "portfolio",
        "lead-west-midlands",
        "lead-kent",
        "lead-avon-and-somerset",
        "lead-dyfed-powys",
        "lead-metropolitan",
    ]:
        assert expected in names
    assert get_user_model().objects.get(username="lead-kent").force_membership.force.name == "Kent"


def test_the_loader_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_data")
    assert get_user_model().objects.count() == 0
