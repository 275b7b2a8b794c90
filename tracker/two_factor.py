"""Two-factor sign-in with an authenticator app (TOTP, django-otp): the one place its rules live.

Anyone can turn it on for their account. With TWO_FACTOR_REQUIRED_FOR_STAFF set, portfolio staff
and administrators must: they cannot reach any page but the set-up page until they have.

When a person signs in with their password, the sign-in is marked unfinished in their session if
they have an authenticator app (they must enter a code) or must set one up. The middleware keeps
an unfinished sign-in on those pages; it reads only the session, so pages cost no extra query.
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from recommendations.access import is_portfolio_staff
from recommendations.audit import audit_record
from recommendations.models import AuditEvent

PENDING = "two_factor_pending"
VERIFY = "verify"
SET_UP = "set_up"
DEVICE_NAME = "Authenticator app"


def required_for(user) -> bool:
    """Must this person use two-factor sign-in? Staff and administrators, when the setting says so."""
    return settings.TWO_FACTOR_REQUIRED_FOR_STAFF and (user.is_staff or user.is_superuser or is_portfolio_staff(user))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def pending(request) -> str | None:
    """VERIFY or SET_UP while this session's sign-in is unfinished, else None."""
    return request.session.get(PENDING)


@receiver(user_logged_in)
def _sign_in_started(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if confirmed_device(user) is not None:
        request.session[PENDING] = VERIFY
    elif required_for(user):
        request.session[PENDING] = SET_UP


WRONG_CODE = "That code is wrong or has expired. Enter the code your app shows now"


def _refusal(device: TOTPDevice | None, token: str) -> str | None:
    """Check a code against a locked device: None if it is right, else what to tell the person.

    Each wrong code makes django-otp wait twice as long before it checks another (1, 2, 4 ... seconds).
    """
    if device is None:
        return WRONG_CODE
    allowed, data = device.verify_is_allowed()
    if not allowed and data and "locked_until" in data:
        wait = max(1, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
        return (
            f"You entered a wrong code too many times. Wait {wait} second{'s' if wait != 1 else ''}, "
            "then enter the code your app shows."
        )
    return None if device.verify_token(token) else WRONG_CODE


def verify(request, token: str) -> str | None:
    """Finish the sign-in with a code from the person's app: None if it was right, else why not.

    The device row is locked, so one code cannot be used twice by racing requests.
    """
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user=request.user, confirmed=True).order_by("-pk").first()
        )
        refusal = _refusal(device, token)
    if refusal:
        _audit(
            request, AuditEvent.Action.TWO_FACTOR_FAILED, f"Two-factor code refused for {request.user.get_username()}"
        )
        return refusal
    _finish(request, device)
    _audit(request, AuditEvent.Action.TWO_FACTOR_VERIFIED, f"{request.user.get_username()} entered a two-factor code")
    return None


def new_device(user) -> TOTPDevice:
    """The unconfirmed device being set up (the same one on every visit, so the QR code holds still)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm(request, token: str) -> str | None:
    """Confirm the app being set up with a code from it (None, or why not); it replaces any earlier app."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user=request.user, confirmed=False).order_by("-pk").first()
        )
        refusal = _refusal(device, token)
        if refusal:
            return refusal
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    _finish(request, device)
    _audit(request, AuditEvent.Action.TWO_FACTOR_SET_UP, f"{request.user.get_username()} set up two-factor sign-in")
    return None


def turn_off(request) -> None:
    TOTPDevice.objects.filter(user=request.user).delete()
    _audit(
        request, AuditEvent.Action.TWO_FACTOR_TURNED_OFF, f"{request.user.get_username()} turned off two-factor sign-in"
    )


def _audit(request, action: str, summary: str) -> None:
    audit_record(action=action, summary=summary, actor=request.user, request=request)


def _finish(request, device: TOTPDevice) -> None:
    otp_login(request, device)
    request.session.pop(PENDING, None)
    request.session.cycle_key()


def secret_for_typing(device: TOTPDevice) -> str:
    """The key as people type it into an app: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The app's set-up link as an SVG QR code, drawn here (no image from outside the app)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def safe_next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


class TwoFactorMiddleware:
    """Keeps a person whose sign-in is unfinished on the page that finishes it (or signing out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = pending(request) if hasattr(request, "session") else None
        if state is not None:
            page = reverse("two_factor_verify" if state == VERIFY else "two_factor_set_up")
            if request.path_info not in (page, reverse("logout")) and not request.path_info.startswith(
                settings.STATIC_URL
            ):
                return redirect(
                    f"{page}?{urlencode({'next': request.get_full_path()})}" if request.method == "GET" else page
                )
        return self.get_response(request)
