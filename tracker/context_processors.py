from django.conf import settings
from django.urls import reverse

from recommendations.access import is_portfolio_staff, led_force, office_body

from . import invitations, oidc, two_factor


def navigation(request):
    """The service navigation for the signed-in person's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "single_sign_on": settings.OIDC_PROVIDER_NAME if oidc.enabled() else None}
    if two_factor.pending(request):
        return {"navigation": [], "sign_in_unfinished": True}
    links = []
    force = led_force(user)
    if force is not None:
        links.append({"label": f"{force.name}", "url": force.get_absolute_url()})
    if is_portfolio_staff(user):
        links.append({"label": "Dashboard", "url": reverse("recommendations:dashboard")})
        links.append({"label": "Local policing bodies", "url": reverse("recommendations:bodies")})
    elif force is None and (body := office_body(user)) is not None:
        links.append({"label": body.holder_title, "url": reverse("recommendations:office", args=[body.slug])})
    if links:  # a lead, an office or staff: each reads the register (access.register_reader)
        links.append({"label": "Register", "url": reverse("recommendations:register")})
    if invitations.may_invite(user):
        links.append({"label": "Invitations", "url": reverse("invitation_list")})
    if user.is_staff:
        links.append({"label": "Administration", "url": reverse("admin:index")})
    path = request.path
    for link in links:
        link["active"] = path.startswith(link["url"])
    return {"navigation": links, "session_warning": _session_warning()}


def _session_warning() -> dict:
    """When the page warns that the session is about to end (a quarter of the session at most)."""
    seconds = settings.SESSION_COOKIE_AGE
    return {"seconds": seconds, "warn": min(settings.SESSION_TIMEOUT_WARNING_SECONDS, max(1, seconds // 4 * 3))}
