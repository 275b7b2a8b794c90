"""Site-wide pages: the home page that sends each role where it works."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from recommendations.access import is_portfolio_staff, led_force


@login_required
def home(request):
    """Send a force lead to their force's page, portfolio staff and admins to the dashboard.

    An account with neither role gets a page that says so, rather than an empty one.
    """
    force = led_force(request.user)
    if force is not None:
        return redirect(force.get_absolute_url())
    if is_portfolio_staff(request.user):
        return redirect("recommendations:dashboard")
    return render(request, "no_role.html", status=403)
