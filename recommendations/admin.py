from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from . import report_import, rules
from .forms_admin import ReportImportForm
from .models import (
    AuditEvent,
    EvidenceDocument,
    Extension,
    Notification,
    Recommendation,
    RecommendationLink,
    Report,
    Round,
    Snapshot,
    SnapshotSection,
    StatusUpdate,
    Theme,
    ThemeCoding,
)
from .workbooks import MAX_UPLOAD_BYTES, XLSX_CONTENT_TYPE, UnreadableFile

# Importing a report creates the report and its recommendations, so it needs both permissions.
IMPORT_PERMISSIONS = ("recommendations.add_report", "recommendations.add_recommendation")


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the admin shows and searches but no one adds, changes or deletes there: what the
    service's own pages write (answers, invitations) or what it keeps as evidence (the audit trail,
    emails)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _NamesTheReport:
    """Recommendations offered in a list (a parent, a round's scope) are named with their report:
    two reports may both have a "1"."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _name_the_report(field) if db_field.name in ("parent", "source", "target") else field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _name_the_report(field) if db_field.name == "recommendations" else field


def _name_the_report(field):
    if field is not None:
        field.queryset = field.queryset.select_related("report")
        field.label_from_instance = rules.recommendation_label
    return field


class RecommendationInline(_NamesTheReport, admin.StackedInline):
    model = Recommendation
    extra = 0
    fields = [("reference", "order", "addressee"), "parent", "title", "sentence", "text"]
    ordering = ["order", "reference"]


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["short_title", "publishers", "published_on"]
    search_fields = ["title", "short_title", "publishers"]
    prepopulated_fields = {"slug": ["short_title"]}
    fieldsets = [
        (None, {"fields": ["title", "short_title", "slug"]}),
        ("Publication", {"fields": ["publishers", "published_on", "url", "summary", "bodies_must_comment"]}),
    ]
    inlines = [RecommendationInline]
    import_fieldsets = [
        (None, {"fields": ["title", "short_title", "slug"]}),
        ("Publication", {"fields": ["publishers", "published_on", "url", "bodies_must_comment"]}),
        ("Recommendations", {"fields": ["file"]}),
    ]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="recommendations_report_import"),
            path(
                "import/template.<str:file_format>",
                view(self.import_template_view),
                name="recommendations_report_import_template",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        """The list, with "Import a report from a spreadsheet" among its tools for those who may."""
        extra_context = {**(extra_context or {}), "may_import": request.user.has_perms(IMPORT_PERMISSIONS)}
        return super().changelist_view(request, extra_context)

    def _refuse_unless_may_import(self, request) -> None:
        if not request.user.has_perms(IMPORT_PERMISSIONS):
            raise PermissionDenied("Importing a report needs permission to add reports and recommendations.")

    def import_view(self, request):
        """Import a report: its details (the model's own validation) and the file of its recommendations,
        checked as a whole (report_import.read_recommendations). Every problem is listed and nothing is
        saved, or the report and its recommendations are created together."""
        self._refuse_unless_may_import(request)
        problems = []
        form = ReportImportForm(request.POST, request.FILES) if request.method == "POST" else ReportImportForm()
        if request.method == "POST":
            details_valid = form.is_valid()
            # The file is checked even when a detail of the report is wrong, so every problem shows at once.
            if upload := form.cleaned_data.get("file"):
                found, problems = self._read_import(form, upload)
                if details_valid and not form.errors:
                    report = report_import.report_import(
                        report=form.save(commit=False), recommendations=found, by=request.user, request=request
                    )
                    count = len(found)
                    messages.success(
                        request,
                        f"The report \u201c{report.short_title}\u201d was created with {count} "
                        f"recommendation{'s' if count != 1 else ''} from {upload.name}.",
                    )
                    return redirect(reverse("admin:recommendations_report_change", args=[report.pk]))
        adminform = helpers.AdminForm(form, self.import_fieldsets, {"slug": ["short_title"]}, model_admin=self)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import a report from a spreadsheet",
            "opts": self.model._meta,
            "form": form,
            "adminform": adminform,
            "inline_admin_formsets": [],
            "media": self.media + adminform.media,
            "problems": problems,
            "columns": report_import.COLUMNS,
            "addressees": report_import.ADDRESSEE_LABELS,
        }
        return TemplateResponse(
            request, "admin/recommendations/report/import.html", context, status=400 if form.errors else 200
        )

    @staticmethod
    def _read_import(form, upload) -> tuple[list, list]:
        """The file's recommendations and problems; a file that cannot be read, or has problems, is an
        error on the form's file field."""
        try:
            # One byte past the limit, so an oversized file is refused without reading it all.
            found, problems = report_import.read_recommendations(upload.read(MAX_UPLOAD_BYTES + 1), upload.name)
        except UnreadableFile as unreadable:
            form.add_error("file", str(unreadable))
            return [], []
        if problems:
            form.add_error(
                "file",
                f"The file has {len(problems)} problem{'s' if len(problems) != 1 else ''}. No report was created: "
                "correct the file and upload it again.",
            )
        return found, problems

    def import_template_view(self, request, file_format):
        """The template to fill in, as XLSX or CSV."""
        self._refuse_unless_may_import(request)
        if file_format == "xlsx":
            response = HttpResponse(report_import.template_workbook(), content_type=XLSX_CONTENT_TYPE)
        elif file_format == "csv":
            response = HttpResponse(report_import.template_csv(), content_type=report_import.CSV_CONTENT_TYPE)
        else:
            raise Http404("The template is offered as XLSX or CSV.")
        response["Content-Disposition"] = f'attachment; filename="report-recommendations-template.{file_format}"'
        return response


class PartInline(_NamesTheReport, admin.StackedInline):
    model = Recommendation
    fk_name = "parent"
    extra = 0
    verbose_name = "part"
    verbose_name_plural = "parts (for example 2a to 2d)"
    fields = [("reference", "order", "addressee"), "report", "title", "sentence", "text"]
    ordering = ["order", "reference"]

    def get_formset(self, request, obj=None, **kwargs):
        """A part is in its parent's report (rules.parent_problem): shown, not chosen."""
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            report = formset.form.base_fields["report"]
            report.initial, report.disabled = obj.report_id, True
            report.help_text = "A part is in the report of the recommendation it is a part of."
        return formset


@admin.register(Recommendation)
class RecommendationAdmin(_NamesTheReport, SimpleHistoryAdmin):
    list_display = ["reference", "title", "report", "parent", "addressee", "order"]
    list_display_links = ["reference", "title"]
    list_editable = ["order"]
    list_filter = ["report", "addressee"]
    search_fields = ["reference", "title", "text"]
    ordering = ["report", "order", "reference"]
    fieldsets = [
        (None, {"fields": ["report", ("reference", "order"), "parent", "addressee"]}),
        ("Wording", {"fields": ["title", "sentence", "text"]}),
    ]
    inlines = [PartInline]

    def get_changelist_form(self, request, **kwargs):
        """The list's editable order boxes, each named for its recommendation (they have no label)."""
        base = super().get_changelist_form(request, **kwargs)

        class LabelledOrderForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["order"].widget.attrs["aria-label"] = f"Order of recommendation {self.instance}"

        return LabelledOrderForm


class RoundForm(forms.ModelForm):
    def clean_recommendations(self):
        chosen = self.cleaned_data["recommendations"]
        if problems := rules.scope_problems(chosen):
            raise forms.ValidationError(problems)
        return chosen


@admin.register(Round)
class RoundAdmin(_NamesTheReport, SimpleHistoryAdmin):
    form = RoundForm
    list_display = ["title", "opens_on", "due_on", "closed"]
    list_filter = ["closed"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["recommendations", "forces_asked"]
    fieldsets = [
        (None, {"fields": ["title", "slug", ("opens_on", "due_on"), "closed"]}),
        ("Scope", {"fields": ["recommendations", "forces_asked"]}),
    ]


@admin.register(RecommendationLink)
class RecommendationLinkAdmin(_NamesTheReport, SimpleHistoryAdmin):
    """Links between recommendations of different reports (staff also make them on their own page)."""

    list_display = ["source", "kind", "target", "created_by", "created_at"]
    list_select_related = ["source__report", "target__report", "created_by"]
    fields = ["source", "kind", "target", "note"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(EvidenceDocument)
class EvidenceDocumentAdmin(ReadOnlyAdmin):
    """Which version of which answer lists which document. The files themselves are downloaded from
    the answer's pages, where access.py decides who may."""

    list_display = ["name", "publishable", "version", "attached_by", "attached_at"]
    list_filter = ["publishable", "version__round"]
    search_fields = ["name", "document__sha256", "version__force__name"]
    list_select_related = ["version__force", "version__recommendation", "version__round", "attached_by"]
    readonly_fields = ["version", "document", "name", "publishable", "attached_by", "attached_at"]


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    """Requests for more time and staff's decisions. Decided on the staff's pages (/dashboard/more-time/),
    where the decision is checked, audited and emailed to the force."""

    list_display = ["force", "round", "asked_for", "state", "due_on", "asked_at", "decided_by", "decided_at"]
    list_filter = ["state", "round"]
    search_fields = ["force__name", "reason", "note"]
    list_select_related = ["force", "round", "decided_by"]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ReadOnlyAdmin):
    """Answers are the forces' own words: administrators may read every version, never rewrite one."""

    list_display = [
        "force",
        "recommendation",
        "round",
        "version",
        "state",
        "status",
        "is_current",
        "created_by",
        "created_at",
    ]
    list_filter = ["round", "state", "status", "is_current", "force__country"]
    search_fields = ["force__name", "recommendation__reference", "narrative"]
    list_select_related = ["force", "recommendation", "round", "created_by"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "recommendation"]
    list_filter = ["recommendation__report", "recommendation"]
    search_fields = ["name", "description"]


@admin.register(ThemeCoding)
class ThemeCodingAdmin(SimpleHistoryAdmin):
    list_display = ["theme", "force", "round", "coded_by", "coded_at"]
    list_filter = ["round", "theme"]
    search_fields = ["force__name", "theme__name"]


class SnapshotSectionInline(admin.StackedInline):
    model = SnapshotSection
    extra = 0


@admin.register(Snapshot)
class SnapshotAdmin(SimpleHistoryAdmin):
    list_display = ["title", "round", "state", "published_on"]
    list_filter = ["state", "round"]
    readonly_fields = ["figures"]
    inlines = [SnapshotSectionInline]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail, searchable; no one may add, change or delete an event."""

    list_display = ["at", "actor_name", "action", "summary", "force", "round", "ip_address"]
    list_filter = ["action", "at"]
    search_fields = ["actor_name", "summary", "force", "round", "ip_address"]
    date_hierarchy = "at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Emails recorded for sending (answers returned, daily digests): read-only; `send_notifications`
    retries the ones not yet sent."""

    list_display = ["created_at", "kind", "subject", "sent_at", "attempts", "last_error"]
    list_filter = ["kind", "created_at"]
    search_fields = ["subject", "recipients"]
