"""The commissioner's office's form for its statutory response. It validates what was typed; what
may change, and when, is in responses.py."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils.html import escape

from .forms import clean_text
from .models import StatutoryResponse

MARKUP_HELP = (
    "Paragraphs are separated by a blank line. Start a line with “- ” for a bullet, “1. ” for a numbered "
    "list, “> ” to quote; *emphasis*, **bold** and [links](https://example.org) work too."
)
TEXT_MAX = 20_000


class ResponseForm(forms.Form):
    title = forms.CharField(max_length=StatutoryResponse._meta.get_field("title").max_length)
    introduction = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False, max_length=TEXT_MAX)
    closing = forms.CharField(required=False, max_length=200, help_text="For example “Yours faithfully,”.")
    signature_name = forms.CharField(label="Holder's name", required=False, max_length=200)
    signature_title = forms.CharField(label="Holder's title, as signed", max_length=200)

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        self.fields["introduction"].help_text = MARKUP_HELP
        section_layout = []
        for section in self.sections:
            heading, text = f"section_{section.pk}_heading", f"section_{section.pk}_text"
            self.fields[heading] = forms.CharField(label="Heading", max_length=300, initial=section.heading)
            self.fields[text] = forms.CharField(
                label="The body's text",
                widget=forms.Textarea(attrs={"rows": 12}),
                required=False,
                max_length=TEXT_MAX,
                initial=section.text,
                help_text=f"Recommendation {section.recommendation.reference}: {section.recommendation.text}",
            )
            section_layout.append(
                Fieldset(
                    HTML(f'<p class="govuk-body-s">{escape(section.recommendation.get_addressee_display())}</p>'),
                    Field.text(heading),
                    Field.textarea(text),
                    legend=f"Recommendation {section.number}",
                    legend_size=Size.MEDIUM,
                )
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("title"),
            Field.textarea("introduction"),
            *section_layout,
            Field.text("closing", field_width=20),
            Field.text("signature_name", field_width=20),
            Field.text("signature_title"),
            Submit("save", "Save and preview"),
        )

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = clean_text(value)
        return data

    def section_values(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            section.pk: (data[f"section_{section.pk}_heading"], data.get(f"section_{section.pk}_text", ""))
            for section in self.sections
        }
