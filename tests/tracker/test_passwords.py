"""Password reset by email and the password change page: Django's views, the service's pages."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from recommendations.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a quite different passphrase"
RESET = "/accounts/password_reset/"


def reset_link(message) -> str:
    return re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)


def test_an_existing_and_a_missing_address_get_the_same_page_and_only_one_email(client, lead_a):
    existing = client.post(RESET, {"email": lead_a.email})
    missing = client.post(RESET, {"email": "nobody@example.invalid"})

    assert existing.status_code == missing.status_code == 302
    assert existing["Location"] == missing["Location"] == "/accounts/password_reset/done/"
    assert client.get(existing["Location"]).content == client.get(missing["Location"]).content
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [lead_a.email]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_RESET_SENT, actor=lead_a).count() == 1


def test_the_address_is_matched_whatever_its_case(client, lead_a):
    client.post(RESET, {"email": lead_a.email.upper()})
    assert len(mail.outbox) == 1


def test_a_reset_link_sets_a_new_password_once(client, lead_a):
    client.post(RESET, {"email": lead_a.email})
    link = reset_link(mail.outbox[0])

    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/reset/done/"
    lead_a.refresh_from_db()
    assert lead_a.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_RESET, actor=lead_a).exists()

    client.logout()
    again = client.get(link, follow=True)
    assert b"This link does not work" in again.content


def test_a_short_new_password_is_refused_with_the_reason(client, lead_a):
    client.post(RESET, {"email": lead_a.email})
    form_page = client.get(reset_link(mail.outbox[0]), follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"at least 12 characters" in response.content
    lead_a.refresh_from_db()
    assert lead_a.check_password(PASSWORD)


def test_one_address_gets_at_most_three_emails_an_hour_and_the_page_never_changes(client, lead_a):
    pages = [client.post(RESET, {"email": lead_a.email}) for _ in range(5)]
    assert {page["Location"] for page in pages} == {"/accounts/password_reset/done/"}
    assert len(mail.outbox) == 3


def test_many_requests_from_one_address_are_told_to_wait(client, lead_a):
    for number in range(10):
        assert client.post(RESET, {"email": f"someone{number}@example.invalid"}).status_code == 302
    response = client.post(RESET, {"email": lead_a.email})
    assert response.status_code == 429
    assert b"Too many password reset requests" in response.content
    assert mail.outbox == []


def test_an_invalid_address_is_refused_with_the_error_summary(client):
    response = client.post(RESET, {"email": "not an address"})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Enter an email address in the correct format" in response.content


def test_the_sign_in_page_links_to_the_reset_page(client):
    assert b'href="/accounts/password_reset/"' in client.get("/accounts/login/").content


def test_a_lead_changes_their_password_from_the_footer_and_other_sessions_end(client, lead_a):
    other = type(client)()
    other.force_login(lead_a)
    client.force_login(lead_a)
    page = client.get("/forces/west-midlands/")
    assert b'href="/accounts/password_change/"' in page.content

    wrong = client.post(
        "/accounts/password_change/",
        {"old_password": "not it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert b"Your current password is wrong" in wrong.content

    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/accounts/password_change/done/"
    assert get_user_model().objects.get(pk=lead_a.pk).check_password(NEW_PASSWORD)
    assert client.get("/forces/west-midlands/").status_code == 200
    assert other.get("/forces/west-midlands/").status_code == 302  # signed out elsewhere
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_CHANGED, actor=lead_a).exists()


def test_an_inactive_account_gets_no_email(client):
    user = UserFactory(username="gone", is_active=False)
    client.post(RESET, {"email": user.email})
    assert mail.outbox == []
