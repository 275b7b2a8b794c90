from django.urls import reverse

from recommendations.access import is_portfolio_staff, led_force, office_body

from . import two_factor


def navigation(request):
    """The service navigation for the signed-in person's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
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
    if user.is_staff:
        links.append({"label": "Administration", "url": reverse("admin:index")})
    path = request.path
    for link in links:
        link["active"] = path.startswith(link["url"])
    return {"navigation": links}
