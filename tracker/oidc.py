"""Optional single sign-on with OpenID Connect (mozilla-django-oidc), off unless OIDC_RP_CLIENT_ID is set.

It only signs in people who already have an account here (invited, or added by an administrator):
the provider must say the email address is verified, and exactly one active account must have that
address. It never creates an account. With PASSWORD_SIGN_IN_FOR_STAFF=0, portfolio staff and
administrators can then sign in only this way.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404
from django.views.decorators.http import require_safe
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from recommendations.access import is_portfolio_staff


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def password_refused_for(user) -> bool:
    """Must this person use single sign-on rather than their password?"""
    return (
        enabled()
        and not settings.PASSWORD_SIGN_IN_FOR_STAFF
        and (user.is_staff or user.is_superuser or is_portfolio_staff(user))
    )


class InvitedUserBackend(OIDCAuthenticationBackend):
    """Matches the provider's verified email address to one existing, active account."""

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified") is True

    def filter_users_by_claims(self, claims):
        if not self.verify_claims(claims):
            return get_user_model().objects.none()
        return get_user_model().objects.filter(email__iexact=claims["email"], is_active=True)

    def create_user(self, claims):
        return None  # never: people join by invitation

    def update_user(self, user, claims):
        return user  # the account here is the record; the provider's name is not copied over


@require_safe
def sign_in_start(request):
    """Sends the person to their organisation's sign-in page."""
    if not enabled():
        raise Http404("Single sign-on is not set up.")
    return OIDCAuthenticationRequestView.as_view()(request)


@require_safe
def sign_in_callback(request):
    """Where the provider sends the person back; signs in the matching account, or back to sign in."""
    if not enabled():
        raise Http404("Single sign-on is not set up.")
    return OIDCAuthenticationCallbackView.as_view()(request)
