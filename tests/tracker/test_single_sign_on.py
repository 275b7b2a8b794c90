"""Single sign-on with OpenID Connect, against a real OpenID provider (oidc-provider-mock) started by
the test on 127.0.0.1: the browser's steps are followed by hand, the token exchange is the client's own."""

from urllib.parse import urlparse

import pytest
import requests
from oidc_provider_mock import run_server_in_thread

from recommendations.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def provider():
    with run_server_in_thread(port=0) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def single_sign_on(provider, settings):
    settings.OIDC_RP_CLIENT_ID = "tracker"
    settings.OIDC_RP_CLIENT_SECRET = "tracker-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/oauth2/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/oauth2/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/jwks"
    settings.OIDC_PROVIDER_NAME = "Test Police account"
    # The test provider has one signing key and names it with no key id ("kid"); real providers do.
    settings.OIDC_VERIFY_KID = False
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "tracker.oidc.InvitedUserBackend"]
    return provider


def provider_user(provider: str, sub: str, **claims) -> None:
    requests.put(f"{provider}/users/{sub}", json=claims, timeout=5).raise_for_status()


def sign_in_at_provider(client, provider: str, sub: str, next_page: str = ""):
    """The browser's part: start here, sign in at the provider as `sub`, come back with the code."""
    start = client.get("/oidc/authenticate/" + (f"?next={next_page}" if next_page else ""))
    assert start.status_code == 302 and start["Location"].startswith(f"{provider}/oauth2/authorize")
    chosen = requests.post(start["Location"], data={"sub": sub}, allow_redirects=False, timeout=5)
    assert chosen.status_code == 302, chosen.text[:500]
    back = urlparse(chosen.headers["Location"])
    assert back.path == "/oidc/callback/"
    return client.get(f"/oidc/callback/?{back.query}")


def signed_in_user(client):
    return client.get("/").wsgi_request.user


def test_a_lead_signs_in_with_their_organisations_account_matched_by_verified_email(client, single_sign_on, lead_a):
    provider_user(single_sign_on, "entra-123", email=lead_a.email.upper(), email_verified=True)
    assert b"Sign in with Test Police account" in client.get("/accounts/login/").content

    response = sign_in_at_provider(client, single_sign_on, "entra-123")
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user(client) == lead_a
    assert client.get("/")["Location"] == "/forces/west-midlands/"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGNED_IN, actor=lead_a).exists()


def test_the_person_returns_to_the_page_they_asked_for(client, single_sign_on, lead_a):
    provider_user(single_sign_on, "entra-next", email=lead_a.email, email_verified=True)
    response = sign_in_at_provider(client, single_sign_on, "entra-next", next_page="/accounts/two-factor/")
    assert response["Location"] == "/accounts/two-factor/"


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "nobody-here@example.invalid", "email_verified": True},  # no account: none is made
        {"email": "lead-west-midlands@example.invalid", "email_verified": False},  # not verified
        {"email": "lead-west-midlands@example.invalid"},  # verification not stated
    ],
)
def test_no_account_is_made_or_matched_without_a_verified_address_of_an_existing_user(
    client, single_sign_on, lead_a, claims, django_user_model
):
    provider_user(single_sign_on, "entra-456", **claims)
    users = django_user_model.objects.count()
    response = sign_in_at_provider(client, single_sign_on, "entra-456")
    assert response["Location"] == "/accounts/login/?single-sign-on=failed"
    assert not signed_in_user(client).is_authenticated
    assert django_user_model.objects.count() == users
    page = client.get(response["Location"]).content.decode()
    assert "You could not be signed in with Test Police account" in page


def test_an_inactive_account_is_not_signed_in(client, single_sign_on, lead_a):
    lead_a.is_active = False
    lead_a.save()
    provider_user(single_sign_on, "entra-789", email=lead_a.email, email_verified=True)
    sign_in_at_provider(client, single_sign_on, "entra-789")
    assert not signed_in_user(client).is_authenticated


def test_password_sign_in_can_be_switched_off_for_staff_only(client, single_sign_on, settings, portfolio, lead_a):
    settings.PASSWORD_SIGN_IN_FOR_STAFF = False
    refused = client.post("/accounts/login/", {"username": "portfolio", "password": PASSWORD})
    assert refused.status_code == 200
    assert b"Portfolio staff and administrators sign in with Test Police account" in refused.content
    assert client.post("/accounts/login/", {"username": lead_a.username, "password": PASSWORD}).status_code == 302

    client.logout()
    provider_user(single_sign_on, "entra-staff", email=portfolio.email, email_verified=True)
    sign_in_at_provider(client, single_sign_on, "entra-staff")
    assert signed_in_user(client) == portfolio


def test_single_sign_on_is_off_unless_configured(client, db):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert b"Sign in with" not in client.get("/accounts/login/").content


def test_two_accounts_with_one_address_match_neither(client, single_sign_on, lead_a):
    UserFactory(username="duplicate", email=lead_a.email)
    provider_user(single_sign_on, "entra-dup", email=lead_a.email, email_verified=True)
    sign_in_at_provider(client, single_sign_on, "entra-dup")
    assert not signed_in_user(client).is_authenticated
