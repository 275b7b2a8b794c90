import pytest

from forces.models import Force, normalise_force_name, slugify_force_name
from forces.selectors import force_matching
from forces.services import forces_load_all

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, slug",
    [
        ("West Midlands", "west-midlands"),
        ("Avon & Somerset", "avon-and-somerset"),
        ("Dyfed-Powys", "dyfed-powys"),
        ("Kent", "kent"),
        ("Metropolitan", "metropolitan"),
    ],
)
def test_slug_spells_ampersand_as_and(name, slug):
    assert slugify_force_name(name) == slug


@pytest.mark.parametrize(
    "written, expected",
    [
        ("West Merica", "West Mercia"),
        ("Avon & Somerset", "Avon & Somerset"),
        ("Avon and Somerset Constabulary", "Avon & Somerset"),
        ("Metropolitan", "Metropolitan"),
        ("Metropolitan Police Service", "Metropolitan"),
        ("dyfed powys police", "Dyfed-Powys"),
        ("  devon AND cornwall  ", "Devon & Cornwall"),
        ("City of London Police", "City of London"),
    ],
)
def test_imported_names_find_their_force(written, expected):
    forces_load_all()
    force = force_matching(written)
    assert force is not None, f"{written!r} matched no force"
    assert force.name == expected


def test_an_unknown_name_matches_nothing():
    forces_load_all()
    assert force_matching("Atlantis Constabulary") is None
    assert force_matching("") is None


def test_all_43_forces_load_once():
    forces_load_all()
    forces_load_all()
    assert Force.objects.count() == 43
    assert Force.objects.filter(country=Force.Country.WALES).count() == 4
    assert normalise_force_name("West Mercia Police") == "west mercia"
