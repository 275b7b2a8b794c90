import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from recommendations.access import is_portfolio_staff, led_force, office_body

from . import invitations, oidc, two_factor


def navigation(request):
    """The service navigation for the signed-in person's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "single_sign_on": settings.OIDC_PROVIDER_NAME if oidc.enabled() else None}
    if two_factor.pending(request):
        return {"navigation": [], "sign_in_unfinished": True, "layout_urls": layout_urls()}
    urls = layout_urls()
    links = []
    force = led_force(user)
    if force is not None:
        links.append({"label": f"{force.name}", "url": force.get_absolute_url()})
    if is_portfolio_staff(user):
        links.append({"label": "Dashboard", "url": urls["dashboard"]})
        links.append({"label": "Local policing bodies", "url": urls["bodies"]})
    elif force is None and (body := office_body(user)) is not None:
        links.append({"label": body.holder_title, "url": reverse("recommendations:office", args=[body.slug])})
    if links:  # a lead, an office or staff: each reads the register (access.register_reader)
        links.append({"label": "Register", "url": urls["register"]})
    if invitations.may_invite(user):
        links.append({"label": "Invitations", "url": urls["invitations"]})
    if user.is_staff:
        links.append({"label": "Administration", "url": urls["admin"]})
    path = request.path
    for link in links:
        link["active"] = path.startswith(link["url"])
    return {"navigation": links, "session_warning": _session_warning(), "layout_urls": urls}


# The addresses every signed-in page links to (the navigation, the footer, the sign-out form, the
# session warning's keep-alive), by the name the layout uses.
LAYOUT_URL_NAMES = {
    "dashboard": "recommendations:dashboard",
    "bodies": "recommendations:bodies",
    "register": "recommendations:register",
    "invitations": "invitation_list",
    "admin": "admin:index",
    "sign_out": "logout",
    "two_factor": "two_factor_settings",
    "password_change": "password_change",
    "keep_alive": "session_keep_alive",
}


def layout_urls() -> dict[str, str]:
    """LAYOUT_URL_NAMES reversed. They depend only on the URLconf and the script prefix, so each
    process reverses them once per pair rather than on every page (about ten reverses a page)."""
    return _layout_urls(get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=16)
def _layout_urls(prefix: str, urlconf: str | None) -> dict[str, str]:
    return {key: reverse(name, urlconf=urlconf) for key, name in LAYOUT_URL_NAMES.items()}


def _session_warning() -> dict:
    """When the page warns that the session is about to end (a quarter of the session at most)."""
    seconds = settings.SESSION_COOKIE_AGE
    return {"seconds": seconds, "warn": min(settings.SESSION_TIMEOUT_WARNING_SECONDS, max(1, seconds // 4 * 3))}
