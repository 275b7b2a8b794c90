"""Site-wide pages: the home page that sends each role where it works, two-factor sign-in, passwords."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from recommendations.access import is_portfolio_staff, led_force, office_body
from recommendations.audit import audit_record
from recommendations.models import AuditEvent

from . import throttle, two_factor
from .forms import ChangePasswordForm, NewPasswordForm, PasswordResetRequestForm, TwoFactorCodeForm
from .middleware import uncompressed


@require_safe
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


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def two_factor_verify(request):
    """The second step of signing in: the code from the person's authenticator app."""
    if two_factor.pending(request) != two_factor.VERIFY:
        return redirect(two_factor.safe_next(request))
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
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


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@uncompressed  # the authenticator key, beside the address's `next`
def two_factor_set_up(request):
    """Set up (or replace) the authenticator app: scan the QR code, then enter a code to confirm."""
    if two_factor.pending(request) == two_factor.VERIFY:
        return redirect("two_factor_verify")
    device = two_factor.new_device(request.user)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None, button="Turn on two-factor sign-in")
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


@require_safe
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


# Passwords: Django's own views, with the service's forms and pages, a throttle and the audit trail.

RESET_PER_ADDRESS = 3  # emails to one address an hour; more requests get the same page and no email
RESET_PER_CLIENT = 10  # requests from one IP address an hour before the page says to wait
RESET_WINDOW = 60 * 60


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an email address and sends a reset link if an active account has it.

    The next page is the same whether or not the address has an account, and whether or not this
    address was throttled, so the page cannot be used to find out who has an account.
    """

    form_class = PasswordResetRequestForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        client = self.request.META.get("REMOTE_ADDR") or "unknown"
        if not throttle.allow("reset-client", client, limit=RESET_PER_CLIENT, seconds=RESET_WINDOW):
            return render(self.request, "registration/password_reset_throttled.html", status=429)
        email = form.cleaned_data["email"]
        if throttle.allow("reset-address", email, limit=RESET_PER_ADDRESS, seconds=RESET_WINDOW):
            for user in form.get_users(email):
                audit_record(
                    action=AuditEvent.Action.PASSWORD_RESET_SENT,
                    summary=f"Password reset link sent to {user.get_username()}",
                    actor=user,
                    request=self.request,
                )
            return super().form_valid(form)
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            action=AuditEvent.Action.PASSWORD_RESET,
            summary=f"{form.user.get_username()} set a new password from a reset link",
            actor=form.user,
            request=self.request,
        )
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password; Django keeps this session signed in and ends every other one."""

    form_class = ChangePasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            action=AuditEvent.Action.PASSWORD_CHANGED,
            summary=f"{self.request.user.get_username()} changed their password",
            actor=self.request.user,
            request=self.request,
        )
        return response


@login_required
@require_POST
def session_keep_alive(request):
    """ "Stay signed in" on the timeout warning: the session starts its time again from now."""
    request.session.modified = True  # saved with a new expiry date, however often sessions are saved
    return JsonResponse({"seconds": request.session.get_expiry_age()})
