from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Force, ForceAlias, ForceMembership


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
