"""Reads for forces."""

from .models import Force


def force_matching(name: str) -> Force | None:
    """The one force a name from a return or spreadsheet refers to, or None if none or several match."""
    matches = list(Force.objects.matching(name)[:2])
    return matches[0] if len(matches) == 1 else None
