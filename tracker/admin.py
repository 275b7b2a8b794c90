from django.contrib import admin

from recommendations.admin import ReadOnlyAdmin

from .models import Invitation


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Read-only: invitations are sent, resent and revoked from the service's own pages, which audit them."""

    list_display = ["email", "name", "role", "force", "created_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "name"]
    exclude = ["token_digest"]
