from django import template

register = template.Library()


@register.filter
def percent_of(count: int, total: int) -> int:
    """A whole-number percentage for bar widths: 15 of 43 -> 35."""
    return round(100 * count / total) if total else 0


@register.filter
def plural_forces(count: int) -> str:
    return "force" if count == 1 else "forces"


@register.filter(needs_autoescape=True)
def person_text(value, autoescape=True) -> str:
    """Text a person typed, isolated from the page's direction (<bdi dir="auto">), with any
    character that would reorder it shown as a visible marker and flagged (hidden_characters.py)."""
    from django.utils.html import conditional_escape, format_html
    from django.utils.safestring import mark_safe

    from ..hidden_characters import has_direction_controls, split_controls

    text = "" if value is None else str(value)
    if not has_direction_controls(text):
        return format_html('<bdi dir="auto">{}</bdi>', text)
    runs = "".join(
        format_html('<span class="app-hidden-character">{}</span>', run) if is_marker else conditional_escape(run)
        for is_marker, run in split_controls(text)
    )
    flag = (
        '<strong class="govuk-tag govuk-tag--orange app-hidden-character-flag">Hidden direction characters</strong> '
        '<span class="govuk-visually-hidden">This text contains characters that would change the order it is shown '
        "in; each is shown in brackets where it is.</span>"
    )
    return mark_safe(f'{flag}<bdi dir="auto">{runs}</bdi>')


@register.filter
def person_plain(value) -> str:
    """Text a person typed where no markup can go (an option of a list, an attribute): each character
    that would reorder it shown as its visible marker (hidden_characters.py); escaped as usual."""
    from ..hidden_characters import visible_controls

    return visible_controls("" if value is None else str(value))


@register.filter
def mid_sentence(text) -> str:
    """Someone's title where the sentence goes on after it ("Progress update, spring." then ", due"
    would read "spring.,"): its one closing full stop left off; an ellipsis stays."""
    text = str(text or "")
    return text[:-1] if text.endswith(".") and not text.endswith("...") else text


@register.filter
def full_stop(text) -> str:
    """The full stop a sentence ending in someone's text needs: none if the text already ends one
    ("...by the board." then "." would read "board..")."""
    return "" if str(text or "").rstrip().rstrip("\"'”’)»").endswith((".", "!", "?", "…")) else "."


@register.filter
def error_target(bound_field, field_id: str) -> str:
    """Where an error summary's link for a field lands: the field itself, for a group of radios or
    checkboxes its first one (crispy-forms-gds numbers them id_<name>_1, id_<name>_2, ...), for a date
    as a whole its day (id_<name>_0)."""
    from django import forms

    widget = getattr(getattr(bound_field, "field", None), "widget", None)
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"id_{bound_field.html_name}_1"
    if isinstance(widget, forms.MultiWidget) and field_id == bound_field.auto_id:
        # A date's error as a whole (crispy-forms-gds gives the day, month or year in error its own id): the day.
        return f"{field_id}_0"
    return field_id


@register.filter
def elided_pages(page) -> list:
    """The page numbers GOV.UK pagination shows: the first, the last, and those around the current
    page, with the paginator's ELLIPSIS between."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@register.filter
def sum_of(items, attribute: str) -> int:
    """The total of one attribute over a list: {{ overdue|sum_of:"milestones" }}."""
    return sum(getattr(item, attribute) for item in items)


@register.filter
def count_for(counts: dict, key) -> int:
    """A count from a mapping by key, 0 if it has none: {{ overdue|count_for:row.recommendation.pk }}."""
    return counts.get(key, 0) if counts else 0


@register.filter
def overdue_count(plan) -> int:
    """How many milestones of an action plan (selectors.MilestoneRow) are overdue."""
    return sum(item.overdue for item in plan)


@register.simple_tag
def select_options(field) -> str:
    """A select's options, the chosen one selected, each label as person_plain shows it: built in one
    pass, as a filter's list may hold hundreds of forces."""
    from django.utils.html import format_html, format_html_join

    from ..hidden_characters import visible_controls

    chosen = "" if field.value() is None else str(field.value())
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    '<option value="{}"{}>{}</option>',
                    value,
                    " selected" if str(value) == chosen else "",
                    visible_controls("" if label is None else str(label)),
                ),
            )
            for value, label in field.field.choices
        ),
    )
