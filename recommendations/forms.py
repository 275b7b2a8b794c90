"""Forms force leads fill in. They validate input; the rules about who and when live in services."""

import datetime

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, ConditionalQuestion, ConditionalRadios, Field, Layout, Size
from django import forms
from django.core.validators import URLValidator
from django.utils import timezone

from . import evidence as evidence_checks
from . import rules, widgets
from .hidden_characters import visible_controls
from .models import (
    EVIDENCE_MAX_LENGTH,
    MILESTONE_DESCRIPTION_MAX_LENGTH,
    NARRATIVE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Recommendation,
    Status,
)

STATUS_HINTS = {
    Status.COMPLETE: "The recommendation has been delivered and is now business as usual.",
    Status.IN_PROGRESS: "Work has started and is not finished.",
    Status.PLANNED: "The work has an owner and a date but has not started.",
    Status.NOT_STARTED: "No work has been planned or started yet.",
    Status.WILL_NOT_IMPLEMENT: "The force has decided not to act on this recommendation. Say why in the narrative.",
    Status.NOT_APPLICABLE: "The recommendation does not apply to this force.",
}
STATUS_CHOICES = [Choice(value, label, hint=STATUS_HINTS[value]) for value, label in Status.choices]


def clean_text(value: str) -> str:
    """Text as a person meant it: Windows line endings folded, NUL and other control characters removed.

    PostgreSQL refuses NUL in text, and no one types the others on purpose; tabs and new lines stay.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in value if not is_control_character(char))


def is_control_character(char: str) -> bool:
    """A character no one types on purpose (NUL and the other C0 controls, DEL); tabs and new lines
    are not. Forms remove them (clean_text); an imported report's file is refused with them."""
    return char not in "\n\t" and (ord(char) < 32 or ord(char) == 127)


def evidence_links(text: str) -> str:
    """Evidence links, one per line, each a web address; a clear error names the first that is not."""
    links = [line.strip() for line in clean_text(text).splitlines() if line.strip()]
    validate = URLValidator(schemes=["http", "https"])
    for number, link in enumerate(links, start=1):
        try:
            validate(link)
        except forms.ValidationError:
            raise forms.ValidationError(
                f"Evidence link {number} is not a web address: enter links starting with https://, one per line"
            ) from None
    return "\n".join(links)


DOCUMENT_INTERNAL = "internal"
DOCUMENT_PUBLISHABLE = "publishable"


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        choices=STATUS_CHOICES,
        widget=forms.RadioSelect,
        label="What is the status of this recommendation in your force?",
        error_messages={"required": rules.ANSWER_MESSAGES["status"], "invalid_choice": rules.ANSWER_MESSAGES["status"]},
    )
    not_applicable_reason = forms.CharField(
        label="Why does this recommendation not apply to your force?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        error_messages={"max_length": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer"},
    )
    narrative = forms.CharField(
        label="Progress update",
        help_text="What your force has done, what is still to do and by when. Do not include victims' personal details.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        strip=False,
    )
    evidence = forms.CharField(
        label="Evidence links (optional)",
        help_text="Links to published policies, procedures or reports, one per line.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=EVIDENCE_MAX_LENGTH,
        error_messages={"max_length": f"Evidence links must be {EVIDENCE_MAX_LENGTH:,} characters or fewer in total"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # Evidence documents. The file comes after every text field in the form: an upload too large to
    # read is cut off at the file (tracker/uploads.py), and what was typed above it still arrives.
    documents_removed = forms.TypedMultipleChoiceField(
        label="Remove documents",
        help_text="Earlier versions of the answer keep them.",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    document = forms.FileField(
        label="Add a document (optional)",
        help_text=f"A {evidence_checks.ACCEPTED} file, smaller than {evidence_checks.MAX_DOCUMENT_BYTES // evidence_checks.MEGABYTE} MB. "
        "Macros and files packed inside other files are not accepted.",
        required=False,
        error_messages={
            "empty": evidence_checks.EMPTY,
            "invalid": "The selected file could not be read. Choose it again",
        },
    )
    document_marking = forms.ChoiceField(
        label="Who may see this document?",
        choices=[
            (DOCUMENT_INTERNAL, "Internal: national staff only"),
            (DOCUMENT_PUBLISHABLE, "Can be published"),
        ],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Say whether the document is internal or can be published"},
    )

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents_removed"].choices = [(row.pk, f"Remove {row.name}") for row in documents]
        self.documents_helper = FormHelper()
        self.documents_helper.form_tag = False
        self.documents_helper.layout = Layout(
            *([Field.checkboxes("documents_removed", legend_size=Size.SMALL, small=True)] if documents else []),
            Field("document"),
            Field.radios("document_marking", legend_size=Size.SMALL, small=True),
            Button.secondary("attach", "Add document"),
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            ConditionalRadios(
                "status",
                *[
                    ConditionalQuestion(label, Field.textarea("not_applicable_reason"))
                    if value == Status.NOT_APPLICABLE
                    else label
                    for value, label in Status.choices
                ],
            ),
            Field.textarea("narrative", label_size=Size.MEDIUM, max_characters=NARRATIVE_MAX_LENGTH),
            Field.textarea("evidence"),
            "version",
        )
        self.buttons_helper = FormHelper()
        self.buttons_helper.form_tag = False
        self.buttons_helper.layout = Layout(
            Button("continue", "Continue"),
            Button.secondary("save_draft", "Save as draft"),
        )

    def clean_narrative(self) -> str:
        return clean_text(self.cleaned_data["narrative"]).strip()

    def clean_not_applicable_reason(self) -> str:
        return clean_text(self.cleaned_data["not_applicable_reason"]).strip()

    def clean_evidence(self) -> str:
        return evidence_links(self.cleaned_data["evidence"])

    def clean_document(self) -> evidence_checks.CheckedDocument | None:
        upload = self.cleaned_data["document"]
        if not upload:
            return None
        try:
            return evidence_checks.document_check(upload)
        except evidence_checks.DocumentRefused as refused:
            raise forms.ValidationError(str(refused)) from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("document") and not cleaned.get("document_marking"):
            self.add_error("document_marking", "Say whether the document is internal or can be published")
        if self.data.get("attach") is not None and not cleaned.get("document") and "document" not in self.errors:
            self.add_error("document", "Select a document to add")
        if self.has_error("documents_removed"):
            # Removed in another tab, or by someone else: the list on the page is out of date.
            del self.errors["documents_removed"]
            self.add_error(None, "A document you chose to remove is no longer attached. Reload the page")
        if self.has_error("version"):
            # The hidden version only goes wrong if the page was tampered with or cut short.
            del self.errors["version"]
            self.add_error(None, "This page was incomplete when it was sent. Reload it and enter your answer again.")
        if "status" in cleaned:  # a missing status has its own message already
            problems = rules.answer_problems(
                status=cleaned["status"],
                narrative=cleaned.get("narrative", ""),
                not_applicable_reason=cleaned.get("not_applicable_reason", ""),
            )
            for field, message in problems.items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned


class ReuseForm(forms.Form):
    """A lead answers a recommendation once: the answer to a linked one is copied here as a draft.
    Only the version the lead saw is posted (the page's own form has no fields to type in)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2_147_483_647)


class WithdrawForm(forms.Form):
    """A lead takes back a submitted answer, saying why."""

    reason = forms.CharField(
        label="Why are you withdrawing this answer?",
        help_text='National staff see this. For example: "Submitted in error: the policy is still in draft."',
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": "Say why you are withdrawing this answer",
            "max_length": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("reason"), "version", Button.warning("withdraw", "Withdraw answer"))

    def clean_reason(self) -> str:
        reason = clean_text(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError("Say why you are withdrawing this answer")
        return reason

    def clean(self):
        cleaned = super().clean()
        if self.has_error("version"):
            del self.errors["version"]
            self.add_error(None, "This page was incomplete when it was sent. Reload it and try again.")
        return cleaned


class ReturnUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload your completed return",
        help_text="The spreadsheet you downloaded from this page, filled in, saved as .xlsx.",
        error_messages={"required": "Select the spreadsheet to upload", "empty": "The file you selected is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("file"), Button("upload", "Upload and check"))


class ReturnAnswerForm(forms.Form):
    """Staff return a submitted answer to the force with a note saying what is missing."""

    note = forms.CharField(
        label="What does the force need to add or change?",
        help_text='For example: "Please say whether the SOP is published."',
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={
            "required": "Enter a note for the force",
            "max_length": "The note must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("note"), Button("return", "Return to force"))

    def clean_note(self) -> str:
        return clean_text(self.cleaned_data["note"]).strip()


class RegisterFilterForm(forms.Form):
    """The register's filters and search, read from GET. A filter's value it does not know (an old
    link, a report since renamed) is ignored, as on every page that only reads; only the words can
    be refused, with a message next to them."""

    q = forms.CharField(
        label="Words to find",
        max_length=200,
        required=False,
        help_text="In the reference, title or text of the recommendation.",
        error_messages={"max_length": "Enter 200 characters or fewer to search for"},
    )
    report = forms.ChoiceField(required=False, widget=widgets.Select)
    publisher = forms.ChoiceField(required=False, widget=widgets.Select)
    addressee = forms.ChoiceField(
        required=False, choices=[("", "Anyone"), *Recommendation.Addressee.choices], widget=widgets.Select
    )
    theme = forms.ChoiceField(required=False, widget=widgets.Select)
    status = forms.ChoiceField(
        required=False, label="Latest status", choices=[("", "Any status"), *Status.choices], widget=widgets.Select
    )

    def __init__(self, *args, choices, status_help: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels as people typed them, with any character that would reorder the page shown as a marker.
        self.fields["report"].choices = [
            ("", "Any report"),
            *((slug, visible_controls(title)) for slug, title in choices.reports),
        ]
        self.fields["publisher"].choices = [
            ("", "Any publisher"),
            *((name, visible_controls(name)) for name in choices.publishers),
        ]
        self.fields["theme"].choices = [("", "Any theme"), *((name, visible_controls(name)) for name in choices.themes)]
        self.fields["status"].help_text = status_help
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # a GET form: nothing to protect, and no token in the address
        self.helper.layout = Layout(
            Field.text("q", label_size=Size.SMALL, field_width=30),
            Field.select("report"),
            Field.select("publisher"),
            Field.select("addressee"),
            Field.select("theme"),
            Field.select("status"),
        )

    def clean(self):
        for name in [name for name in self.errors if name != "q"]:
            del self.errors[name]
        return super().clean()

    def filters(self):
        from .selectors.register import RegisterFilters

        data = self.cleaned_data if self.is_valid() else {}
        return RegisterFilters(
            report=data.get("report") or "",
            publisher=data.get("publisher") or "",
            addressee=data.get("addressee") or "",
            theme=data.get("theme") or "",
            status=data.get("status") or "",
            query=clean_text(data.get("q") or "").strip(),
        )


class DayMonthYearField(DateInputField):
    """A date typed as day, month and year (the GOV.UK date input), with messages naming the date:
    "The target date must be a real date". Numbers too large for a date are refused the same way."""

    def __init__(self, *, name: str, **kwargs):
        super().__init__(require_all_fields=False, **kwargs)
        self.name = name
        self.error_messages["required"] = f"Enter the {name}"
        self.error_messages["incomplete"] = f"Enter the {name} as a day, month and year"
        for field, part in zip(self.fields, ("day", "month", "year")):
            field.error_messages["incomplete"] = f"The {name} must include a {part}"
            field.max_length = 4
            field.validators = []

    def clean(self, value):
        if isinstance(value, (list, tuple)):
            value = ["" if part is None else str(part).strip() for part in value]
        return super().clean(value)

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        lowest, highest = rules.MILESTONE_YEARS
        try:
            if not (day.isdigit() and month.isdigit() and year.isdigit()):
                raise ValueError
            if not lowest <= int(year) <= highest:
                raise forms.ValidationError(f"The year of the {self.name} must be between {lowest} and {highest}")
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise forms.ValidationError(f"The {self.name} must be a real date, like 31 3 2025") from None


class MilestoneForm(forms.Form):
    """A milestone in the force's action plan for a recommendation. Changing one (`changing`) also
    asks why, if its target date moves, and carries the revision the person started from."""

    description = forms.CharField(
        label="Milestone",
        help_text="What will be done, for example: “Train every custody sergeant in the new procedure”.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MILESTONE_DESCRIPTION_MAX_LENGTH,
        error_messages={
            "required": rules.MILESTONE_MESSAGES["description"],
            "max_length": f"The milestone must be {MILESTONE_DESCRIPTION_MAX_LENGTH:,} characters or fewer",
        },
    )
    target_on = DayMonthYearField(name="target date", label="Target date", help_text="For example, 31 3 2025")
    done_on = DayMonthYearField(
        name="date done", label="Date done (optional)", required=False, help_text="Leave blank until it is done."
    )
    moved_reason = forms.CharField(
        label="If the target date has moved, why?",
        help_text="National staff see this beside every earlier target date.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX_LENGTH,
        error_messages={"max_length": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer"},
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2_147_483_647, required=False)

    def __init__(self, *args, changing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.changing = changing
        if changing is None:
            del self.fields["moved_reason"], self.fields["revision"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("description", rows=2),
            Field("target_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field("done_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            *([Field.textarea("moved_reason", rows=2), "revision"] if changing else []),
            Button("save_milestone", "Save milestone" if changing else "Add milestone"),
        )

    def clean_description(self) -> str:
        return clean_text(self.cleaned_data["description"]).strip()

    def clean_moved_reason(self) -> str:
        return clean_text(self.cleaned_data["moved_reason"]).strip()

    def clean(self):
        cleaned = super().clean()
        if self.changing is not None and not cleaned.get("revision"):
            self.errors.pop("revision", None)
            self.add_error(None, "This page was incomplete when it was sent. Reload it and try again.")
        problems = rules.milestone_problems(
            description=cleaned.get("description", "x"),
            target_on=cleaned.get("target_on"),
            done_on=cleaned.get("done_on"),
            today=timezone.localdate(),
            previous_target_on=self.changing.target_on if self.changing else None,
            moved_reason=cleaned.get("moved_reason", ""),
        )
        for field, message in problems.items():
            if field not in self.errors and field in self.fields:
                self.add_error(field, message)
        return cleaned


class ExtensionRequestForm(forms.Form):
    """A force's lead asks for more time on a round: the date they ask for, and why."""

    asked_for = DayMonthYearField(
        name="date you are asking for", label="New due date you are asking for", help_text="For example, 30 4 2026"
    )
    reason = forms.CharField(
        label="Why does your force need more time?",
        help_text="National staff read this when they decide.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": rules.EXTENSION_MESSAGES["reason"],
            "max_length": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asked_for"].error_messages["required"] = rules.EXTENSION_MESSAGES["asked_for"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("asked_for", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.textarea("reason", rows=4, max_characters=REASON_MAX_LENGTH),
            Button("ask", "Ask for more time"),
        )

    def clean_reason(self) -> str:
        return clean_text(self.cleaned_data["reason"]).strip()
