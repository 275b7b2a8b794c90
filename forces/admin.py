from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BodyMembership, Force, ForceAlias, ForceMembership, PolicingBody


class ForceAliasInline(admin.TabularInline):
    model = ForceAlias
    extra = 1


class ForceMembershipInline(admin.TabularInline):
    model = ForceMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "slug"]
    list_filter = ["country"]
    search_fields = ["name", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ForceAliasInline, ForceMembershipInline]


@admin.register(ForceMembership)
class ForceMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "force", "created_at"]
    list_filter = ["force__country", "force"]
    search_fields = ["user__username", "user__email", "force__name"]
    autocomplete_fields = ["user", "force"]


class BodyMembershipInline(admin.TabularInline):
    model = BodyMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(PolicingBody)
class PolicingBodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "force", "holder_title", "holder_name"]
    list_filter = ["kind", "force__country"]
    search_fields = ["name", "holder_title", "holder_name", "force__name"]
    fieldsets = [
        (None, {"fields": ["force", "kind", "name", "slug"]}),
        ("How a response is signed", {"fields": ["holder_title", "holder_name"]}),
    ]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BodyMembershipInline]


@admin.register(BodyMembership)
class BodyMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "body", "created_at"]
    list_filter = ["body__kind", "body"]
    search_fields = ["user__username", "user__email", "body__name"]
    autocomplete_fields = ["user", "body"]
