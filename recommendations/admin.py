from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import rules
from .models import (
    AuditEvent,
    EvidenceDocument,
    Notification,
    Recommendation,
    Report,
    Round,
    Snapshot,
    SnapshotSection,
    StatusUpdate,
    Theme,
    ThemeCoding,
)


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
        return _name_the_report(field) if db_field.name == "parent" else field

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
        ("Publication", {"fields": ["publishers", "published_on", "url", "summary"]}),
    ]
    inlines = [RecommendationInline]


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


@admin.register(EvidenceDocument)
class EvidenceDocumentAdmin(ReadOnlyAdmin):
    """Which version of which answer lists which document. The files themselves are downloaded from
    the answer's pages, where access.py decides who may."""

    list_display = ["name", "publishable", "version", "attached_by", "attached_at"]
    list_filter = ["publishable", "version__round"]
    search_fields = ["name", "document__sha256", "version__force__name"]
    list_select_related = ["version__force", "version__recommendation", "version__round", "attached_by"]
    readonly_fields = ["version", "document", "name", "publishable", "attached_by", "attached_at"]


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
