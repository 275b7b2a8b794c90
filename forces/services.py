"""Writes for forces."""

from django.db import transaction

from .data import FORCES, POLICING_BODIES
from .models import Force, ForceAlias, PolicingBody, slugify_force_name


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


@transaction.atomic
def policing_bodies_load_all() -> list[PolicingBody]:
    """Create each force's local policing body where missing; existing rows are left as they are
    (an administrator may have edited them)."""
    bodies = []
    for force_name, kind, name, holder_title in POLICING_BODIES:
        force = Force.objects.get(name=force_name)
        body, _ = PolicingBody.objects.get_or_create(
            force=force, defaults={"kind": kind, "name": name, "holder_title": holder_title, "slug": force.slug}
        )
        bodies.append(body)
    return bodies
