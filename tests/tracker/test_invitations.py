"""Invitations: administrators (and portfolio staff, for force leads) invite; the person accepts once."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forces.models import ForceMembership
from recommendations.access import is_portfolio_staff
from recommendations.models import AuditEvent
from tracker.models import Invitation

# Real commits: the invitation email goes once the invitation is stored (transaction.on_commit).
pytestmark = pytest.mark.django_db(transaction=True)

NEW = "/accounts/invitations/new/"
UPLOAD = "/accounts/invitations/upload/"
PASSWORD = "a long enough passphrase"


def link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/invitation/[^/\s]+/)", message.body).group(1)


def invite(client, **fields):
    data = {"name": "Sam Lead", "email": "sam.lead@example.invalid", "role": "force_lead", **fields}
    return client.post(NEW, data)


def accept(client, link, password=PASSWORD):
    return client.post(link, {"new_password1": password, "new_password2": password})


def test_an_administrator_invites_a_lead_who_accepts_once_and_lands_on_their_force(client, admin_user, force_a):
    client.force_login(admin_user)
    response = invite(client, force=force_a.pk)
    assert response["Location"] == "/accounts/invitations/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sam.lead@example.invalid"]
    link = link_in(mail.outbox[0])
    assert "West Midlands" in mail.outbox[0].body

    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and b"Create your account" in page.content
    response = accept(client, link)
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == "/forces/west-midlands/"

    user = get_user_model().objects.get(username="sam.lead@example.invalid")
    assert user.check_password(PASSWORD)
    assert (user.first_name, user.last_name) == ("Sam", "Lead")
    assert ForceMembership.objects.get(user=user).force == force_a
    invitation = Invitation.objects.get()
    assert invitation.user == user and invitation.status == Invitation.Status.ACCEPTED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditEvent.Action.INVITATION_SENT, AuditEvent.Action.INVITATION_ACCEPTED} <= actions

    client.logout()
    again = client.get(link)
    assert again.status_code == 410 and b"This invitation has already been used" in again.content
    assert accept(client, link).status_code == 410
    assert get_user_model().objects.filter(email="sam.lead@example.invalid").count() == 1


def test_an_expired_link_says_so_and_makes_no_account(client, admin_user, force_a):
    client.force_login(admin_user)
    invite(client, force=force_a.pk)
    link = link_in(mail.outbox[0])
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.logout()
    page = client.get(link)
    assert page.status_code == 410 and b"This invitation has expired" in page.content
    assert accept(client, link).status_code == 410
    assert not get_user_model().objects.filter(email="sam.lead@example.invalid").exists()


def test_a_new_link_replaces_the_old_and_revoking_stops_it(client, admin_user, force_a):
    client.force_login(admin_user)
    invite(client, force=force_a.pk)
    invitation = Invitation.objects.get()
    old_link = link_in(mail.outbox[0])
    client.post(f"/accounts/invitations/{invitation.pk}/resend/")
    new_link = link_in(mail.outbox[1])
    assert new_link != old_link
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200

    client.post(f"/accounts/invitations/{invitation.pk}/revoke/")
    page = client.get(new_link)
    assert page.status_code == 410 and b"withdrawn" in page.content
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == ["invitation_sent", "invitation_resent", "invitation_revoked"]


def test_portfolio_staff_invite_force_leads_only(client, portfolio, force_a):
    client.force_login(portfolio)
    response = invite(client, role="administrator")
    assert response.status_code == 400
    response = invite(client, role="portfolio_staff", email="other@example.invalid")
    assert response.status_code == 400
    assert Invitation.objects.count() == 0
    assert invite(client, force=force_a.pk).status_code == 302


def test_staff_cannot_see_an_administrators_invitation(client, admin_user, portfolio):
    client.force_login(admin_user)
    invite(client, role="administrator", email="boss@example.invalid")
    invitation = Invitation.objects.get()
    client.force_login(portfolio)
    assert client.get(f"/accounts/invitations/{invitation.pk}/").status_code == 404
    assert client.post(f"/accounts/invitations/{invitation.pk}/revoke/").status_code == 404
    assert b"boss@example.invalid" not in client.get("/accounts/invitations/").content


def test_a_lead_cannot_invite(client, lead_a, force_a):
    client.force_login(lead_a)
    assert invite(client, force=force_a.pk).status_code == 403
    assert Invitation.objects.count() == 0


def test_a_lead_needs_a_force_and_an_address_with_an_account_is_refused(client, admin_user, lead_a, force_a):
    client.force_login(admin_user)
    response = invite(client)
    assert b"Choose the force this person leads for" in response.content
    response = invite(client, email=lead_a.email, force=force_a.pk)
    assert b"This address already has an account" in response.content
    invite(client, force=force_a.pk)
    response = invite(client, email="SAM.LEAD@example.invalid", force=force_a.pk)
    assert b"already has an invitation waiting" in response.content
    assert Invitation.objects.count() == 1


def test_invited_staff_join_the_portfolio_group_and_administrators_must_set_up_two_factor(client, admin_user, settings):
    client.force_login(admin_user)
    invite(client, role="portfolio_staff", email="analyst@example.invalid")
    invite(client, role="administrator", email="second.admin@example.invalid")
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True
    staff_link, admin_link = (link_in(message) for message in mail.outbox)

    client.logout()
    accept(client, staff_link)
    staff = get_user_model().objects.get(username="analyst@example.invalid")
    assert is_portfolio_staff(staff) and not staff.is_staff
    assert client.get("/")["Location"].startswith("/accounts/two-factor/set-up/")

    client.logout()
    accept(client, admin_link)
    admin = get_user_model().objects.get(username="second.admin@example.invalid")
    assert admin.is_superuser and admin.is_staff
    assert client.get("/dashboard/")["Location"].startswith("/accounts/two-factor/set-up/")


def test_a_weak_password_is_refused_and_the_invitation_stays_open(client, admin_user, force_a):
    client.force_login(admin_user)
    invite(client, force=force_a.pk)
    client.logout()
    response = accept(client, link_in(mail.outbox[0]), password="sam.lead")
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content
    assert Invitation.objects.get().status == Invitation.Status.WAITING


def upload(client, text: str):
    return client.post(UPLOAD, {"file": SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")})


def test_a_csv_of_people_is_invited_all_at_once(client, admin_user, force_a, force_b):
    client.force_login(admin_user)
    response = upload(
        client,
        "email,name,role,force\n"
        "a@example.invalid,Ann A,force lead,West Midlands\n"
        "b@example.invalid,Bob B,Force lead,kent\n"
        "c@example.invalid,Cat C,portfolio staff,\n",
    )
    assert response["Location"] == "/accounts/invitations/"
    assert Invitation.objects.count() == 3
    assert len(mail.outbox) == 3
    assert Invitation.objects.get(email="b@example.invalid").force == force_b
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITATION_SENT).count() == 3


def test_a_csv_with_any_problem_invites_nobody_and_lists_every_problem(client, portfolio, lead_a, force_a):
    client.force_login(portfolio)
    response = upload(
        client,
        "Email,Name,Role,Force\n"
        "good@example.invalid,Good Person,force lead,West Midlands\n"
        "not-an-address,No Address,force lead,West Midlands\n"
        f"{lead_a.email},Has Account,force lead,West Midlands\n"
        "good@example.invalid,Twice,force lead,West Midlands\n"
        "d@example.invalid,,administrator,\n"
        "e@example.invalid,Wrong Force,force lead,Wst Midlands\n"
        "f@example.invalid,No Role,chief,\n",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "nobody was invited" in page
    for expected in [
        "Row 3, column email: “not-an-address” is not an email address",
        "Row 4, column email: This address already has an account",
        "Row 5, column email: good@example.invalid is also on row 2",
        "Row 6, column name: enter the person&#x27;s name",
        "Row 6, column role: you cannot invite people as administrator",
        "Row 7, column force: no force is called “Wst Midlands”",
        "Row 8, column role: “chief” is not a role",
    ]:
        assert expected in page, expected
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file you selected is empty"),
        (b"email,name\nx@example.invalid,X\n", "missing: role, force"),
        (b"email,name,role,force\n", "nobody to invite"),
        ("email,name,role,force\nx@example.invalid,Zoë,lead,Kent\n".encode("utf-16"), "saved as UTF-8"),
    ],
)
def test_a_csv_that_is_not_right_as_a_whole_says_why(client, admin_user, force_b, content, message):
    client.force_login(admin_user)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("people.csv", content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Invitation.objects.count() == 0
