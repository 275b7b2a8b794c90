from django import template

register = template.Library()


@register.filter
def percent_of(count: int, total: int) -> int:
    """A whole-number percentage for bar widths: 15 of 43 -> 35."""
    return round(100 * count / total) if total else 0


@register.filter
def plural_forces(count: int) -> str:
    return "force" if count == 1 else "forces"
