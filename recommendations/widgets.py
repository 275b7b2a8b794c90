"""Form widgets that write their HTML in one pass.

Django renders a select's every option through two templates; the register's filters list every
report and theme, and at portfolio scale those templates took a third of the page's time. The HTML
is the same as Django's templates write.
"""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def _attributes(attrs: dict) -> SafeString:
    """As django/forms/widgets/attrs.html: a False value leaves the attribute out, True writes its name."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class Select(forms.Select):
    """A select of plain options (no groups), written without a template per option."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = []
        for group_name, group_choices, _ in widget["optgroups"]:
            if group_name:  # a group of options: Django's own templates write it
                return super().render(name, value, attrs, renderer)
            options.extend(
                format_html(
                    '\n  <option value="{}"{}>{}</option>',
                    str(option["value"]),
                    _attributes(option["attrs"]),
                    option["label"],
                )
                for option in group_choices
            )
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            mark_safe("".join(options)),
        )
