"""Two-factor sign-in with an authenticator app: optional for everyone, required for staff and
administrators when TWO_FACTOR_REQUIRED_FOR_STAFF is set. Codes are worked out here as the app would."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from recommendations.models import AuditEvent, StatusUpdate

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SET_UP = "/accounts/two-factor/set-up/"
CODE = "/accounts/two-factor/code/"


def code_for(key: bytes, *, steps_ahead: int = 0) -> str:
    """The code an app holding `key` shows now (or `steps_ahead` 30-second steps from now)."""
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def key_from_page(page: str) -> bytes:
    """The key as the set-up page shows it for typing into an app."""
    typed = re.search(r'<code class="app-secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    return base64.b32decode(typed + "=" * (-len(typed) % 8))


def sign_in(client, username):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def set_up(client):
    """Set up an app from the set-up page as a person would; returns the key the app holds."""
    key = key_from_page(client.get(SET_UP).content.decode())
    response = client.post(SET_UP, {"code": code_for(key)})
    assert response.status_code == 302
    return key


def test_without_an_app_a_password_is_enough(client, lead_a, force_a):
    response = sign_in(client, "lead-west-midlands")
    assert client.get(response["Location"], follow=True).redirect_chain[-1][0] == "/forces/west-midlands/"


def test_a_lead_sets_up_an_app_with_the_qr_code_or_the_key(client, lead_a):
    client.force_login(lead_a)
    page = client.get(SET_UP).content.decode()
    assert "<svg" in page and "Scan this QR code" in page
    key = key_from_page(page)
    # The same key on every visit until it is confirmed, so a reload does not break the app's set-up.
    assert key_from_page(client.get(SET_UP).content.decode()) == key

    wrong = client.post(SET_UP, {"code": "12345"})
    assert wrong.status_code == 400
    assert "Enter the code as 6 digits" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=lead_a, confirmed=True).exists()

    response = client.post(SET_UP, {"code": code_for(key)}, follow=True)
    assert "Two-factor sign-in is on" in response.content.decode()
    assert TOTPDevice.objects.get(user=lead_a).confirmed
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR_SET_UP, actor=lead_a).exists()


def test_with_an_app_every_page_waits_for_the_code(client, lead_a, open_round):
    client.force_login(lead_a)
    key = set_up(client)
    client.post("/accounts/logout/")

    assert sign_in(client, "lead-west-midlands").status_code == 302
    for path in ("/", "/forces/west-midlands/", "/accounts/two-factor/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(CODE), path
    # A form posted before the code is entered saves nothing.
    client.post(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/",
        {"status": "complete", "narrative": "Posted too early.", "version": "0"},
    )
    assert not StatusUpdate.objects.exists()

    page = client.get(f"{CODE}?next=/forces/west-midlands/")
    assert "Enter the code from your authenticator app" in page.content.decode()
    wrong = client.post(
        f"{CODE}?next=/forces/west-midlands/",
        {"code": "000000" if code_for(key, steps_ahead=1) != "000000" else "111111"},
    )
    assert wrong.status_code == 400
    assert "That code is wrong or has expired" in wrong.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR_FAILED).exists()

    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    right = client.post(CODE, {"code": code_for(key, steps_ahead=1), "next": "/forces/west-midlands/"})
    assert right.status_code == 302 and right["Location"] == "/forces/west-midlands/"
    assert client.get("/forces/west-midlands/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR_VERIFIED).exists()


def test_wrong_codes_make_the_next_attempt_wait(client, lead_a, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    client.force_login(lead_a)
    key = set_up(client)
    client.post("/accounts/logout/")
    sign_in(client, "lead-west-midlands")
    right = code_for(key, steps_ahead=1)
    client.post(CODE, {"code": "000000" if right != "000000" else "111111"})
    # Even the right code is not checked until the wait is over.
    waiting = client.post(CODE, {"code": right})
    assert waiting.status_code == 400
    assert re.search(r"Wait \d+ seconds", waiting.content.decode())
    assert client.get("/forces/west-midlands/").status_code == 302


def test_a_code_can_be_used_only_once(client, lead_a):
    client.force_login(lead_a)
    key = set_up(client)
    client.post("/accounts/logout/")
    sign_in(client, "lead-west-midlands")
    # The code that confirmed the app was used at set-up: it cannot sign anyone in again.
    assert client.post(CODE, {"code": code_for(key)}).status_code == 400


def test_next_never_leaves_the_site(client, lead_a):
    client.force_login(lead_a)
    key = set_up(client)
    client.post("/accounts/logout/")
    sign_in(client, "lead-west-midlands")
    response = client.post(CODE, {"code": code_for(key, steps_ahead=1), "next": "https://attacker.example/"})
    assert response["Location"] == "/"


def test_the_setting_makes_staff_and_administrators_set_it_up_and_leaves_leads_free(
    client, settings, portfolio, admin_user, lead_a
):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True
    for user in (portfolio, admin_user):
        client.force_login(user)
        for path in ("/dashboard/", "/admin/", "/accounts/two-factor/"):
            response = client.get(path)
            assert response.status_code == 302 and response["Location"].startswith(SET_UP), (user, path)
        page = client.get(SET_UP).content.decode()
        assert "Your account must use two-factor sign-in" in page
        set_up(client)
        assert client.get("/dashboard/").status_code == 200
        # Required: it cannot be turned off.
        assert client.post("/accounts/two-factor/turn-off/").status_code == 403
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        client.post("/accounts/logout/")

    client.force_login(lead_a)
    assert client.get("/forces/west-midlands/").status_code == 200


def test_a_person_may_turn_it_off_when_it_is_not_required(client, lead_a):
    client.force_login(lead_a)
    set_up(client)
    assert "Turn off two-factor sign-in" in client.get("/accounts/two-factor/").content.decode()
    response = client.post("/accounts/two-factor/turn-off/", follow=True)
    assert "Two-factor sign-in is off" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=lead_a).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR_TURNED_OFF).exists()
    client.post("/accounts/logout/")
    assert client.get(sign_in(client, "lead-west-midlands")["Location"]).status_code == 302
    assert client.get("/forces/west-midlands/").status_code == 200


def test_replacing_the_app_stops_the_old_one(client, lead_a):
    client.force_login(lead_a)
    old = set_up(client)
    page = client.get(SET_UP).content.decode()
    assert "Replace your authenticator app" in page
    new = key_from_page(page)
    assert new != old
    client.post(SET_UP, {"code": code_for(new)})
    assert [device.bin_key for device in TOTPDevice.objects.filter(user=lead_a)] == [new]
