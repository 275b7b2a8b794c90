"""Site-wide pages: the home page that sends each role where it works, and two-factor sign-in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from recommendations.access import is_portfolio_staff, led_force, office_body

from . import two_factor
from .forms import TwoFactorCodeForm


@login_required
def home(request):
    """Send a force lead to their force's page, portfolio staff and admins to the dashboard, a
    commissioner's office to its office's page.

    An account with neither role gets a page that says so, rather than an empty one.
    """
    force = led_force(request.user)
    if force is not None:
        return redirect(force.get_absolute_url())
    if is_portfolio_staff(request.user):
        return redirect("recommendations:dashboard")
    body = office_body(request.user)
    if body is not None:
        return redirect(reverse("recommendations:office", args=[body.slug]))
    return render(request, "no_role.html", status=403)


@login_required
def two_factor_verify(request):
    """The second step of signing in: the code from the person's authenticator app."""
    if two_factor.pending(request) != two_factor.VERIFY:
        return redirect(two_factor.safe_next(request))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refusal = two_factor.verify(request, form.cleaned_data["code"])
        if refusal is None:
            return redirect(two_factor.safe_next(request))
        form.add_error("code", refusal)
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": two_factor.safe_next(request)},
        status=400 if form.errors else 200,
    )


@login_required
def two_factor_set_up(request):
    """Set up (or replace) the authenticator app: scan the QR code, then enter a code to confirm."""
    if two_factor.pending(request) == two_factor.VERIFY:
        return redirect("two_factor_verify")
    device = two_factor.new_device(request.user)
    form = TwoFactorCodeForm(request.POST or None, button="Turn on two-factor sign-in")
    if request.method == "POST" and form.is_valid():
        refusal = two_factor.confirm(request, form.cleaned_data["code"])
        if refusal is None:
            messages.success(
                request, "Two-factor sign-in is on. You will enter a code from your app each time you sign in."
            )
            return redirect(two_factor.safe_next(request, "two_factor_settings"))
        form.add_error("code", refusal)
    return render(
        request,
        "registration/two_factor_set_up.html",
        {
            "form": form,
            "qr_code": mark_safe(two_factor.qr_code_svg(device)),  # drawn here from our own data
            "secret": two_factor.secret_for_typing(device),
            "required": two_factor.required_for(request.user),
            "replacing": two_factor.confirmed_device(request.user) is not None,
            "next": request.GET.get("next", ""),
        },
        status=400 if form.errors else 200,
    )


@login_required
def two_factor_settings(request):
    """Whether two-factor sign-in is on for this account, and how to change that."""
    return render(
        request,
        "registration/two_factor_settings.html",
        {"device": two_factor.confirmed_device(request.user), "required": two_factor.required_for(request.user)},
    )


@login_required
@require_POST
def two_factor_turn_off(request):
    if two_factor.required_for(request.user):
        raise PermissionDenied("Two-factor sign-in is required for your account.")
    two_factor.turn_off(request)
    messages.success(request, "Two-factor sign-in is off. You will sign in with your password only.")
    return redirect("two_factor_settings")
