"""Forms for portfolio staff: coding answers, quoting practice, editing a draft snapshot.

They validate what was typed; the rules (what may change, and when) live in analysis.py and
snapshots.py.
"""

from urllib.parse import urlencode

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from forces.models import Force

from . import markup
from .forms import DayMonthYearField, ReturnAnswerForm, clean_text
from .hidden_characters import visible_controls
from .models import REASON_MAX_LENGTH, Recommendation, RecommendationLink, Snapshot, Status, Theme
from .rules import (
    ANONYMOUS_ATTRIBUTION,
    EXTENSION_MESSAGES,
    NO_RESPONSE,
    NO_RESPONSE_LABEL,
    REVIEW_FILTER_CHOICES,
    ExtensionDecision,
    extension_decision_problems,
    link_problem,
    recommendation_label,
)
from .search import SearchFilters, filter_choices
from .selectors.review import ORDER_BY_FORCE, ORDER_CHOICES, QueueFilters


class DashboardFilterForm(forms.Form):
    """The matrix filters, read from GET; an unknown value is ignored rather than refused."""

    country = forms.ChoiceField(required=False, choices=[("", "All countries"), *Force.Country.choices])
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Status.choices, (NO_RESPONSE, NO_RESPONSE_LABEL)]
    )

    def values(self) -> dict[str, str]:
        if self.is_valid():
            return {"country": self.cleaned_data["country"], "status": self.cleaned_data["status"]}
        return {"country": "", "status": ""}


class AnswerCodingForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Themes found in this answer",
        help_text="Select all that apply.",
    )
    new_theme = forms.CharField(
        required=False,
        max_length=200,
        label="Add a new theme (optional)",
        help_text="It is added to this recommendation's themes and coded on this answer.",
    )

    def __init__(self, *args, recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendation = recommendation
        self.fields["themes"].queryset = Theme.objects.filter(recommendation=recommendation).order_by("name")
        self.fields["themes"].label_from_instance = lambda theme: visible_controls(theme.name)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("themes", legend_size=Size.SMALL, small=True),
            Field.text("new_theme", field_width=30),
            Submit("save", "Save themes"),
        )

    def clean_new_theme(self) -> str:
        name = self.cleaned_data["new_theme"].strip()
        if name and Theme.objects.filter(recommendation=self.recommendation, name__iexact=name).exists():
            raise forms.ValidationError(f"A theme called \u201c{name}\u201d already exists: select it above instead")
        return name


class RecommendationLinkForm(forms.Form):
    """Staff link two recommendations in different reports that ask the same thing
    (rules.link_problem says which pairs cannot be linked)."""

    source = forms.ModelChoiceField(
        queryset=Recommendation.objects.none(),
        label="Recommendation",
        empty_label="Choose a recommendation",
        error_messages={
            "required": "Choose the recommendation whose answer can be reused",
            "invalid_choice": "Choose a recommendation from the list",
        },
    )
    kind = forms.ChoiceField(
        label="How does it relate to the other?",
        choices=RecommendationLink.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how the two recommendations relate",
            "invalid_choice": "Choose how the two recommendations relate",
        },
    )
    target = forms.ModelChoiceField(
        queryset=Recommendation.objects.none(),
        label="Other recommendation",
        empty_label="Choose a recommendation",
        help_text="A force's answer to the first can then be reused for this one.",
        error_messages={
            "required": "Choose the other recommendation",
            "invalid_choice": "Choose a recommendation from the list",
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leads see it beside the offer to reuse their answer.",
        error_messages={"max_length": "The note must be 1,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        from .selectors.answers import IN_REPORT_ORDER

        super().__init__(*args, **kwargs)
        # What a force answers: a recommendation with parts is answered through its parts.
        answerable = (
            Recommendation.objects.filter(parts__isnull=True).select_related("report").order_by(*IN_REPORT_ORDER)
        )
        for name in ("source", "target"):
            self.fields[name].queryset = answerable
            self.fields[name].label_from_instance = lambda item: visible_controls(recommendation_label(item))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "source",
            Field.radios("kind", small=True),
            "target",
            Field.textarea("note", rows=3),
            Submit("link", "Link them"),
        )

    def clean_note(self) -> str:
        return clean_text(self.cleaned_data["note"]).strip()

    def clean(self):
        data = super().clean()
        source, target = data.get("source"), data.get("target")
        if source and target and (problem := link_problem(source=source, target=target)):
            self.add_error("target", problem)
        return data


class NotablePracticeForm(forms.Form):
    quote = forms.CharField(
        label="Passage to quote",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=f'Write it to follow "{ANONYMOUS_ATTRIBUTION}", for example "has 54 dedicated HBA Champions to '
        'provide best practice and insights on HBA."',
        error_messages={"required": "Enter the passage to quote"},
    )
    name_force = forms.BooleanField(
        required=False,
        label=f'Name the force instead of writing "{ANONYMOUS_ATTRIBUTION}"',
        help_text="Only if the force has agreed to be named.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("quote", rows=4),
            Field.checkbox("name_force", small=True),
            Submit("quote_practice", "Quote as notable practice", css_class="govuk-button--secondary"),
        )


MARKUP_HELP = (
    "Leave a blank line between paragraphs. Start lines with \u201c- \u201d for a bulleted list or "
    "\u201c1. \u201d for a numbered one, write **bold** for bold and [words](https://address) for a link. "
    "Write figures as placeholders, such as {answered}; they are filled from the figures, never typed."
)


class _MarkupFiguresMixin:
    """Refuses a placeholder that names no figure, so a typo is not published as "{anwsered}"."""

    def _known_figures(self, field: str) -> str:
        text = self.cleaned_data.get(field, "")
        unknown = markup.unknown_figures(text, self.figure_values)
        if unknown:
            raise forms.ValidationError(
                "These name no figure: " + ", ".join(unknown) + ". Use one of the figures listed on this page"
            )
        return text


class SnapshotForm(_MarkupFiguresMixin, forms.Form):
    title = forms.CharField(max_length=300, error_messages={"required": "Enter a title"})
    summary = forms.CharField(
        label="Summary for GOV.UK",
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences of plain text: what the publication is, for its page on GOV.UK.",
    )
    author = forms.CharField(
        label="Published by",
        max_length=200,
        required=False,
        help_text="The document's author and the source of its figures.",
    )
    contact = forms.CharField(
        label="Contact for questions", max_length=200, required=False, help_text="For example an email address."
    )
    introduction = forms.CharField(
        label="Introduction and background",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKUP_HELP,
    )
    headings = forms.ChoiceField(
        label="Head each recommendation in section 2 with",
        choices=Snapshot.Headings.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how to head each recommendation"},
    )

    def __init__(self, *args, figure_values: dict[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.figure_values = figure_values or {}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("title"),
            Field.textarea("summary", rows=3),
            Field.text("author"),
            Field.text("contact"),
            Field.textarea("introduction", rows=8),
            Field.radios("headings", legend_size=Size.SMALL),
            Submit("preview", "Preview", css_class="govuk-button--secondary"),
            Submit("save", "Save"),
        )

    def clean_introduction(self) -> str:
        return self._known_figures("introduction")


class SnapshotSectionForm(_MarkupFiguresMixin, forms.Form):
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=MARKUP_HELP,
        error_messages={"required": "Enter a summary for this recommendation"},
    )
    show_status_counts = forms.BooleanField(
        required=False,
        label="Publish a table of forces by status",
        help_text="The number of forces that answered is always published.",
    )
    show_theme_counts = forms.BooleanField(required=False, label="Publish a table of forces by theme")
    show_charts = forms.BooleanField(required=False, label="Show those tables as bar charts too")

    def __init__(self, *args, figure_values: dict[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.figure_values = figure_values or {}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("summary", label_size=Size.MEDIUM, rows=14),
            Field.checkbox("show_status_counts", small=True),
            Field.checkbox("show_theme_counts", small=True),
            Field.checkbox("show_charts", small=True),
            Submit("preview", "Preview", css_class="govuk-button--secondary"),
            Submit("save", "Save summary"),
        )

    def clean_summary(self) -> str:
        return self._known_figures("summary")


class AnswerQueueForm(forms.Form):
    """How staff narrow and order a recommendation's answers, read from GET; an unknown value is
    ignored rather than refused. The same choices carry to the answer page, for "next answer"."""

    review = forms.ChoiceField(
        required=False, label="Review", choices=[("", "Any review state"), *REVIEW_FILTER_CHOICES]
    )
    coded = forms.ChoiceField(
        required=False, label="Coded", choices=[("", "Coded or not"), ("no", "Not coded yet"), ("yes", "Coded")]
    )
    theme = forms.TypedChoiceField(required=False, label="Theme", coerce=int, empty_value=None)
    status = forms.ChoiceField(required=False, label="Status", choices=[("", "Any status"), *Status.choices])
    q = forms.CharField(required=False, label="Words or force name", max_length=200)
    order = forms.ChoiceField(required=False, label="Order", choices=ORDER_CHOICES)

    FIELDS = ("review", "coded", "theme", "status", "q", "order")

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Any theme"), *((theme.pk, theme.name) for theme in themes)]

    def values(self) -> QueueFilters:
        if not self.is_valid():
            data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        else:
            data = self.cleaned_data
        return QueueFilters(
            review=data.get("review") or "",
            coded=data.get("coded") or "",
            theme=data.get("theme"),
            status=data.get("status") or "",
            query=(data.get("q") or "").strip(),
            order=data.get("order") or ORDER_BY_FORCE,
        )

    def query_string(self) -> str:
        """The chosen filters as a query string (empty values left out), to carry from page to page."""
        filters = self.values()
        pairs = {
            "review": filters.review,
            "coded": filters.coded,
            "theme": filters.theme or "",
            "status": filters.status,
            "q": filters.query,
            "order": "" if filters.order == ORDER_BY_FORCE else filters.order,
        }
        return urlencode({name: value for name, value in pairs.items() if value})


def _chosen_id(data, name: str) -> int | None:
    """A filter's id from the query string, or None for nothing or anything that is not one."""
    value = str(data.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


class AnswerSearchForm(forms.Form):
    """Search every answer in every round: words, and optional filters. A filter's value it does not
    know (an old link, a round since deleted) is ignored, as on every page that only reads; only the
    words can be refused, with a message next to them.

    The recommendations listed are the chosen report's, and the themes the chosen recommendation's
    (search.filter_choices): choosing a report and searching lists its recommendations."""

    q = forms.CharField(
        label="Words to find",
        max_length=200,
        required=False,
        help_text='Put a phrase in quotes, for example "Karma Nirvana".',
        error_messages={"max_length": "Enter 200 characters or fewer to search for"},
    )
    round = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    report = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    recommendation = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Choose a report and search to list its recommendations.",
    )
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Status.choices])
    theme = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Choose a recommendation and search to list its themes.",
    )
    force = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    country = forms.ChoiceField(required=False, choices=[("", "Any country"), *Force.Country.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = filter_choices(
            report_id=_chosen_id(self.data, "report"),
            recommendation_id=_chosen_id(self.data, "recommendation"),
            theme_id=_chosen_id(self.data, "theme"),
        )
        for name, empty, listed in (
            ("round", "Any round", choices.rounds),
            ("report", "Any report", choices.reports),
            ("recommendation", "Any recommendation", choices.recommendations),
            ("theme", "Any theme", choices.themes),
            ("force", "Any force", choices.forces),
        ):
            self.fields[name].choices = [("", empty), *listed]
            if listed:  # the hint says how to get a list; once there is one, it is not needed
                self.fields[name].help_text = ""
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        for name in [name for name in self.errors if name != "q"]:
            del self.errors[name]
        return super().clean()

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            round_id=data.get("round"),
            report_id=data.get("report"),
            recommendation_id=data.get("recommendation"),
            status=data.get("status") or "",
            theme_id=data.get("theme"),
            force_id=data.get("force"),
            country=data.get("country") or "",
        )


class ReturnNoteForm(ReturnAnswerForm):
    """The note for returning an answer, on the staff answer page (whose buttons say where to go next)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("note", rows=4))


class ExtensionDecisionForm(forms.Form):
    """Staff grant a force more time (a new due date) or refuse it (a note saying why)."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=ExtensionDecision.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": EXTENSION_MESSAGES["decision"], "invalid_choice": EXTENSION_MESSAGES["decision"]},
    )
    due_on = DayMonthYearField(
        name="new due date", label="New due date", required=False, help_text="For example, 30 4 2026"
    )
    note = forms.CharField(
        label="Note to the force",
        help_text="Needed when you refuse; the force's leads are emailed it with your decision.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        error_messages={"max_length": f"The note must be {REASON_MAX_LENGTH:,} characters or fewer"},
    )

    def __init__(self, *args, round_due_on, **kwargs):
        super().__init__(*args, **kwargs)
        self.round_due_on = round_due_on
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.SMALL),
            Field("due_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.textarea("note", rows=3, max_characters=REASON_MAX_LENGTH),
            Submit("decide", "Save decision"),
        )

    def clean_note(self) -> str:
        return clean_text(self.cleaned_data["note"]).strip()

    def clean(self):
        cleaned = super().clean()
        problems = extension_decision_problems(
            decision=cleaned.get("decision", ""),
            due_on=cleaned.get("due_on"),
            note=cleaned.get("note", ""),
            round_due_on=self.round_due_on,
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned
