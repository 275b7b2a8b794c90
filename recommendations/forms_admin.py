"""Forms of the admin's own pages (beyond the model admins' forms): importing a report."""

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.contrib.admin.widgets import AdminDateWidget

from .models import Report
from .workbooks import MAX_UPLOAD_BYTES


class ReportImportForm(forms.ModelForm):
    """A new report's details, validated by the model, and the file of its recommendations."""

    file = forms.FileField(
        label="Recommendations (XLSX or CSV)",
        help_text=f"The template filled in: one row per recommendation. Up to {MAX_UPLOAD_BYTES // 1024:,} KB.",
        error_messages={
            "required": "Select the file of the report's recommendations",
            "empty": "The file you selected is empty",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    # https is assumed for a link typed without its scheme (Django 6's default, and what publishers use).
    url = forms.URLField(
        label="Link",
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "vURLField"}),
    )

    class Meta:
        model = Report
        fields = ["title", "short_title", "slug", "publishers", "published_on", "url", "bodies_must_comment"]
        widgets = {
            "published_on": AdminDateWidget,
            "title": forms.TextInput(attrs={"class": "vTextField"}),
            "short_title": forms.TextInput(attrs={"class": "vTextField"}),
            "slug": forms.TextInput(attrs={"class": "vTextField"}),
            "publishers": forms.TextInput(attrs={"class": "vTextField"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the error summary is rendered through crispy-forms-gds; the fields are the admin's.
        self.helper = FormHelper()
        self.helper.form_tag = False
