"""Writes for forces."""

from django.db import transaction

from .data import FORCES
from .models import Force, ForceAlias, slugify_force_name


@transaction.atomic
def forces_load_all() -> list[Force]:
    """Create the 43 forces and their aliases where missing; existing rows are left as they are."""
    forces = []
    for name, country, aliases in FORCES:
        force, _ = Force.objects.get_or_create(
            name=name, defaults={"country": country, "slug": slugify_force_name(name)}
        )
        for alias in aliases:
            if not ForceAlias.objects.filter(force=force, name=alias).exists():
                ForceAlias.objects.create(force=force, name=alias)
        forces.append(force)
    return forces
