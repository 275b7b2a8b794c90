"""Every URL, for every role, has an expected answer. A URL added without a rule here fails.

Roles: anonymous, the lead of force A (West Midlands, whose objects the URLs name), the lead of
force B (Kent), portfolio staff, an administrator, and the commissioners' offices of A and B.
"login" means a redirect to sign in.
"""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from forces.models import Force
from recommendations import evidence
from recommendations.models import (
    Document,
    EvidenceDocument,
    Extension,
    Milestone,
    NotablePractice,
    Recommendation,
    RecommendationLink,
    Round,
    Snapshot,
    StatusUpdate,
    StatutoryResponse,
)
from tracker.models import Invitation

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "lead-west-midlands", "lead-kent", "portfolio", "admin", "pcc-west-midlands", "pcc-kent"]
L = "login"

# name: (path template, expected GET answers in the order of ROLES)
# A commissioner's office gets 403 on its own force's lead pages (the wrong role: it reads the
# force's submitted answers on its own page), and 404 on anything of another force or body.
RULES = {
    "home": ("/", [L, 302, 302, 302, 302, 302, 302]),
    "login": ("/accounts/login/", [200, 302, 302, 302, 302, 302, 302]),
    "logout": ("/accounts/logout/", [405, 405, 405, 405, 405, 405, 405]),
    "password_reset": ("/accounts/password_reset/", [200, 200, 200, 200, 200, 200, 200]),
    "password_reset_done": ("/accounts/password_reset/done/", [200, 200, 200, 200, 200, 200, 200]),
    # A made-up link: the page that says the link does not work.
    "password_reset_confirm": ("/accounts/reset/MQ/not-a-token/", [200, 200, 200, 200, 200, 200, 200]),
    "password_reset_complete": ("/accounts/reset/done/", [200, 200, 200, 200, 200, 200, 200]),
    "password_change": ("/accounts/password_change/", [L, 200, 200, 200, 200, 200, 200]),
    "password_change_done": ("/accounts/password_change/done/", [L, 200, 200, 200, 200, 200, 200]),
    "session_keep_alive": ("/accounts/session/keep-alive/", [L, 405, 405, 405, 405, 405, 405]),
    "two_factor_settings": ("/accounts/two-factor/", [L, 200, 200, 200, 200, 200, 200]),
    # Single sign-on is off unless configured (tests/tracker/test_single_sign_on.py turns it on).
    "oidc_start": ("/oidc/authenticate/", [404, 404, 404, 404, 404, 404, 404]),
    "oidc_callback": ("/oidc/callback/", [404, 404, 404, 404, 404, 404, 404]),
    "invitation_list": ("/accounts/invitations/", [L, 403, 403, 200, 200, 403, 403]),
    "invitation_new": ("/accounts/invitations/new/", [L, 403, 403, 200, 200, 403, 403]),
    "invitation_upload": ("/accounts/invitations/upload/", [L, 403, 403, 200, 200, 403, 403]),
    # An invitation to a force lead: staff and administrators may see it.
    "invitation": ("/accounts/invitations/{invitation}/", [L, 403, 403, 200, 200, 403, 403]),
    "invitation_resend": ("/accounts/invitations/{invitation}/resend/", [L, 405, 405, 405, 405, 405, 405]),
    "invitation_revoke": ("/accounts/invitations/{invitation}/revoke/", [L, 405, 405, 405, 405, 405, 405]),
    # A link that never existed.
    "invitation_accept": ("/accounts/invitation/not-a-token/", [404, 404, 404, 404, 404, 404, 404]),
    # Only while a sign-in waits for its code; otherwise it sends the person on.
    "two_factor_verify": ("/accounts/two-factor/code/", [L, 302, 302, 302, 302, 302, 302]),
    "two_factor_set_up": ("/accounts/two-factor/set-up/", [L, 200, 200, 200, 200, 200, 200]),
    "two_factor_turn_off": ("/accounts/two-factor/turn-off/", [L, 405, 405, 405, 405, 405, 405]),
    "recommendations:force": ("/forces/west-midlands/", [L, 200, 404, 200, 200, 403, 404]),
    "recommendations:round_answers": ("/forces/west-midlands/rounds/{open}/", [L, 200, 404, 200, 200, 403, 404]),
    # The office checks and submits its own answers (to the recommendation to commissioners) here.
    "recommendations:check_answers": (
        "/forces/west-midlands/rounds/{open}/check/",
        [L, 200, 404, 403, 403, 200, 404],
    ),
    "recommendations:submitted": (
        "/forces/west-midlands/rounds/{open}/submitted/",
        [L, 200, 404, 403, 403, 200, 404],
    ),
    "recommendations:return_download": (
        "/forces/west-midlands/rounds/{open}/return.xlsx",
        [L, 200, 404, 403, 403, 403, 404],
    ),
    "recommendations:return_upload": (
        "/forces/west-midlands/rounds/{open}/upload/",
        [L, 200, 404, 403, 403, 403, 404],
    ),
    # Recommendation 1 is the force's to answer; 4 (to commissioners) is the office's.
    "recommendations:answer": (
        "/forces/west-midlands/rounds/{open}/answers/tvip-super-complaint/1/",
        [L, 200, 404, 403, 403, 403, 404],
    ),
    "recommendations:answer_history": (
        "/forces/west-midlands/rounds/{past}/answers/tvip-super-complaint/1/history/",
        [L, 200, 404, 200, 200, 403, 404],
    ),
    # A document attached to West Midlands' submitted answer: read as the answer's history is read.
    "recommendations:answer_document": (
        "/forces/west-midlands/rounds/{past}/answers/tvip-super-complaint/1/documents/{document}/",
        [L, 200, 404, 200, 200, 403, 404],
    ),
    "recommendations:answer_review": (
        "/forces/west-midlands/rounds/{past}/answers/tvip-super-complaint/1/review/",
        [L, 405, 405, 405, 405, 405, 405],
    ),
    "recommendations:answer_withdraw": (
        "/forces/west-midlands/rounds/{open}/answers/tvip-super-complaint/1/withdraw/",
        [L, 200, 404, 403, 403, 403, 404],
    ),
    # The force's action plan for the recommendation: its lead adds and changes milestones.
    "recommendations:milestone_add": (
        "/forces/west-midlands/rounds/{open}/answers/tvip-super-complaint/1/milestones/add/",
        [L, 200, 404, 403, 403, 403, 404],
    ),
    "recommendations:milestone_change": (
        "/forces/west-midlands/rounds/{open}/answers/tvip-super-complaint/1/milestones/{milestone}/",
        [L, 200, 404, 403, 403, 403, 404],
    ),
    # More time on a round: only the force's own lead asks (staff decide; the office is not the lead).
    "recommendations:extension_ask": (
        "/forces/west-midlands/rounds/{open}/more-time/",
        [L, 200, 404, 403, 403, 403, 404],
    ),
    # Answer once: copying the answer to a linked recommendation is a POST only.
    "recommendations:answer_reuse": (
        "/forces/west-midlands/rounds/{open}/answers/illustrative-follow-up/1/reuse/",
        [L, 405, 405, 405, 405, 405, 405],
    ),
    "recommendations:office": ("/offices/west-midlands/", [L, 403, 403, 200, 200, 200, 404]),
    "recommendations:response_create": (
        "/offices/west-midlands/reports/tvip-super-complaint/response/new/",
        [L, 405, 405, 405, 405, 405, 405],
    ),
    "recommendations:response": ("/offices/west-midlands/responses/{response}/", [L, 403, 403, 200, 200, 200, 404]),
    # West Midlands' response is published: frozen, so nobody may edit or publish it again.
    "recommendations:response_edit": (
        "/offices/west-midlands/responses/{response}/edit/",
        [L, 403, 403, 403, 403, 403, 404],
    ),
    "recommendations:response_publish": (
        "/offices/west-midlands/responses/{response}/publish/",
        [L, 403, 403, 403, 403, 403, 404],
    ),
    "recommendations:response_correct": (
        "/offices/west-midlands/responses/{response}/correct/",
        [L, 405, 405, 405, 405, 405, 405],
    ),
    "recommendations:response_public": (
        "/offices/west-midlands/responses/{response}/page/",
        [L, 403, 403, 200, 200, 200, 404],
    ),
    "recommendations:response_docx": (
        "/offices/west-midlands/responses/{response}/response.docx",
        [L, 403, 403, 200, 200, 200, 404],
    ),
    # The register: staff read every force; a lead, or its office, the rounds that asked its force
    # (the demo's asked all 43), with only that force's answers (test_register.py: what each sees).
    "recommendations:register": ("/register/", [L, 200, 200, 200, 200, 200, 200]),
    "recommendations:register_recommendation": (
        "/register/tvip-super-complaint/1/",
        [L, 200, 200, 200, 200, 200, 200],
    ),
    "recommendations:dashboard": ("/dashboard/", [L, 403, 403, 200, 200, 403, 403]),
    "recommendations:bodies": ("/dashboard/bodies/", [L, 403, 403, 200, 200, 403, 403]),
    "recommendations:staff_recommendation": (
        "/dashboard/rounds/{past}/recommendations/tvip-super-complaint/1/",
        [L, 403, 403, 200, 200, 403, 403],
    ),
    "recommendations:staff_answer": (
        "/dashboard/rounds/{past}/recommendations/tvip-super-complaint/1/forces/west-midlands/",
        [L, 403, 403, 200, 200, 403, 403],
    ),
    "recommendations:practice_delete": ("/dashboard/practice/{practice}/delete/", [L, 405, 405, 405, 405, 405, 405]),
    "recommendations:answers_accept": (
        "/dashboard/rounds/{past}/recommendations/tvip-super-complaint/1/accept/",
        [L, 405, 405, 405, 405, 405, 405],
    ),
    "recommendations:search": ("/dashboard/search/?q=honour", [L, 403, 403, 200, 200, 403, 403]),
    "recommendations:round_follow": ("/dashboard/rounds/{past}/follow/", [L, 405, 405, 405, 405, 405, 405]),
    "recommendations:links": ("/dashboard/links/", [L, 403, 403, 200, 200, 403, 403]),
    "recommendations:link_remove": ("/dashboard/links/{link}/remove/", [L, 405, 405, 405, 405, 405, 405]),
    # Requests for more time: every member of staff reads them; deciding needs decide_extensions.
    "recommendations:extensions": ("/dashboard/more-time/", [L, 403, 403, 200, 200, 403, 403]),
    "recommendations:extension_decide": ("/dashboard/more-time/{extension}/", [L, 403, 403, 200, 200, 403, 403]),
    # Reminders go only while a round is open: the past round's page is refused.
    "recommendations:round_remind": ("/dashboard/rounds/{open}/remind/", [L, 403, 403, 200, 200, 403, 403]),
    # One round at a time: the past round's answers (the newest round's, with no ?round=).
    "recommendations:staff_force": ("/dashboard/forces/west-midlands/?round={past}", [L, 403, 403, 200, 200, 403, 403]),
    "recommendations:round_answers_csv": ("/dashboard/rounds/{past}/answers.csv", [L, 403, 403, 200, 200, 403, 403]),
    "recommendations:snapshot_create": ("/dashboard/rounds/{past}/snapshots/new/", [L, 405, 405, 405, 405, 405, 405]),
    "recommendations:snapshot": ("/dashboard/snapshots/{snapshot}/", [L, 403, 403, 200, 200, 403, 403]),
    "recommendations:snapshot_edit": ("/dashboard/snapshots/{snapshot}/edit/", [L, 403, 403, 403, 403, 403, 403]),
    "recommendations:snapshot_section_edit": (
        "/dashboard/snapshots/{snapshot}/recommendations/tvip-super-complaint/1/edit/",
        [L, 403, 403, 403, 403, 403, 403],
    ),
    # The demo snapshot is already published: publishing it again is refused.
    "recommendations:snapshot_publish": ("/dashboard/snapshots/{snapshot}/publish/", [L, 403, 403, 403, 403, 403, 403]),
    "recommendations:snapshot_correct": ("/dashboard/snapshots/{snapshot}/correct/", [L, 405, 405, 405, 405, 405, 405]),
    "recommendations:snapshot_docx": (
        "/dashboard/snapshots/{snapshot}/snapshot.docx",
        [L, 403, 403, 200, 200, 403, 403],
    ),
    "recommendations:snapshot_ods": ("/dashboard/snapshots/{snapshot}/snapshot.ods", [L, 403, 403, 200, 200, 403, 403]),
    "recommendations:snapshot_csv": ("/dashboard/snapshots/{snapshot}/figures.csv", [L, 403, 403, 200, 200, 403, 403]),
    "recommendations:snapshot_pack": (
        "/dashboard/snapshots/{snapshot}/govuk-pack.zip",
        [L, 403, 403, 200, 200, 403, 403],
    ),
}


# Views that change something answer only POST: who may POST to them (staff are not tried: it would change data).
POST_RULES = {
    "two_factor_turn_off": [L, 302, 302],
    "invitation_resend": [L, 403, 403],
    "session_keep_alive": [L, 200, 200],
    "invitation_revoke": [L, 403, 403],  # each person's own setting: nothing to turn off is not an error
    "recommendations:answer_review": [L, 403, 403],
    "recommendations:practice_delete": [L, 403, 403],
    "recommendations:answers_accept": [L, 403, 403],
    "recommendations:round_follow": [L, 403, 403],
    "recommendations:round_remind": [L, 403, 403],
    "recommendations:staff_answer": [L, 403, 403],
    "recommendations:snapshot_create": [L, 403, 403],
    "recommendations:snapshot_publish": [L, 403, 403],
    "recommendations:snapshot_correct": [L, 403, 403],
    "recommendations:answer": [L, 200, 404],  # the lead's own form re-shown with errors; another force: not found
    "recommendations:answer_withdraw": [L, 400, 404],  # the lead's own form re-shown with errors
    "recommendations:answer_reuse": [L, 302, 404],  # nothing answered to reuse: back to the answer, with a message
    "recommendations:milestone_add": [L, 200, 404],  # the lead's own form re-shown with errors
    "recommendations:milestone_change": [L, 200, 404],
    "recommendations:extension_ask": [L, 200, 404],  # the lead's own form re-shown with errors
    "recommendations:extension_decide": [L, 403, 403],
    "recommendations:links": [L, 403, 403],
    "recommendations:link_remove": [L, 403, 403],
    "recommendations:check_answers": [L, 302, 404],  # nothing to submit: back to the force page with a message
    "recommendations:response_create": [L, 403, 403],  # a lead is not the office
    "recommendations:response_correct": [L, 403, 403],
}

# The same POSTs by the commissioners' offices: West Midlands' own (allowed, or refused for what it
# is) and Kent's (not found). Run in test_offices_post_as_expected, after the GETs above.
OFFICE_POST_RULES = {
    "recommendations:answer": [403, 404],  # recommendation 1 is the force's to answer
    "recommendations:answer_withdraw": [403, 404],
    "recommendations:answer_reuse": [403, 404],
    "recommendations:milestone_add": [403, 404],  # recommendation 1 is the force's to plan
    "recommendations:milestone_change": [403, 404],
    "recommendations:extension_ask": [403, 404],  # the office is not the force's lead
    "recommendations:extension_decide": [403, 403],
    "recommendations:check_answers": [302, 404],  # nothing of the office's to submit: back to its page
    "recommendations:return_upload": [403, 404],
    "recommendations:response_create": [302, 404],  # already has a response: back to its page, with a message
    "recommendations:response_publish": [403, 404],  # published already: frozen
    "recommendations:response_edit": [403, 404],
    "recommendations:snapshot_publish": [403, 403],
}


def url_names(resolver=None, namespace=""):
    """Every named URL in the project, Django's admin aside (it checks its own permissions)."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_url_has_a_rule():
    assert url_names() - set(RULES) == set(), "add the new URL's expected answers to RULES"
    assert set(RULES) - url_names() == set(), "remove rules for URLs that no longer exist"


def url_values() -> dict:
    """The objects the URL templates name, made or found in the demo (also used by test_request_edge)."""
    past = Round.objects.get(slug="progress-update-march-2024")
    snapshot = Snapshot.objects.get(round=past, state="published")
    practice = NotablePractice.objects.create(
        round=past,
        force=Force.objects.get(name="West Midlands"),
        recommendation=Recommendation.objects.get(report__slug="tvip-super-complaint", reference="1"),
        quote="A quote.",
    )
    return {
        "open": Round.objects.get(closed=False).slug,
        "past": past.slug,
        "snapshot": snapshot.pk,
        "practice": practice.pk,
        "link": RecommendationLink.objects.first().pk,
        "milestone": Milestone.objects.create(
            force=Force.objects.get(slug="west-midlands"),
            recommendation=Recommendation.objects.get(report__slug="tvip-super-complaint", reference="1"),
            description="Train every custody sergeant",
            target_on=timezone.localdate() + timedelta(days=90),
        ).pk,
        "invitation": Invitation.objects.create(
            email="new-lead@example.invalid",
            name="New Lead",
            role=Invitation.Role.FORCE_LEAD,
            force=Force.objects.get(name="West Midlands"),
            expires_at=timezone.now() + timedelta(hours=72),
            token_digest="0" * 64,
        ).pk,
        "response": StatutoryResponse.objects.get(body__slug="west-midlands").pk,
        "extension": Extension.objects.get(force__slug="essex", state=Extension.State.WAITING).pk,
        "document": document_attached(
            StatusUpdate.objects.submitted().get(
                round=past,
                force__slug="west-midlands",
                recommendation__report__slug="tvip-super-complaint",
                recommendation__reference="1",
            )
        ).pk,
    }


def document_attached(version: StatusUpdate, data: bytes = b"%PDF-1.4\n%%EOF\n") -> EvidenceDocument:
    """A PDF attached to a version as the service attaches one (stored under its digest), for a
    version the service could no longer change (its round closed)."""
    digest = hashlib.sha256(data).hexdigest()
    document, created = Document.objects.get_or_create(
        sha256=digest,
        defaults={"size": len(data), "content_type": "application/pdf", "storage_name": evidence.storage_name(digest)},
    )
    if created:
        default_storage.save(document.storage_name, ContentFile(data))
    return EvidenceDocument.objects.create(version=version, document=document, name="policy.pdf")


def test_every_url_answers_every_role_as_expected(client, demo):
    values = url_values()
    users = {user.username: user for user in get_user_model().objects.filter(username__in=ROLES)}
    mismatches = []
    for name, (template, expected) in RULES.items():
        path = template.format(**values)
        for role, want in zip(ROLES, expected, strict=True):
            client.logout()
            if role != "anonymous":
                client.force_login(users[role])
            response = client.get(path)
            got = response.status_code
            if want == L:
                ok = got == 302 and response["Location"].startswith("/accounts/login/")
            else:
                ok = got == want
            if not ok:
                mismatches.append(f"{name} as {role}: expected {want}, got {got}")
    for name, expected in POST_RULES.items():
        path = RULES[name][0].format(**values)
        for role, want in zip(ROLES[:3], expected, strict=True):
            client.logout()
            if role != "anonymous":
                client.force_login(users[role])
            response = client.post(path, {})
            got = response.status_code
            ok = (got == 302 and response["Location"].startswith("/accounts/login/")) if want == L else got == want
            if not ok:
                mismatches.append(f"POST {name} as {role}: expected {want}, got {got}")
    assert mismatches == [], "\n".join(mismatches)


def test_offices_post_as_expected(client, demo):
    values = {
        "open": Round.objects.get(closed=False).slug,
        "past": "progress-update-march-2024",
        "snapshot": Snapshot.objects.get(state="published").pk,
        "response": StatutoryResponse.objects.get(body__slug="west-midlands").pk,
        "milestone": url_values()["milestone"],
        "extension": Extension.objects.get(force__slug="essex", state=Extension.State.WAITING).pk,
    }
    users = {user.username: user for user in get_user_model().objects.filter(username__in=ROLES[5:])}
    mismatches = []
    for name, expected in OFFICE_POST_RULES.items():
        path = RULES[name][0].format(**values)
        for role, want in zip(ROLES[5:], expected, strict=True):
            client.force_login(users[role])
            got = client.post(path, {}).status_code
            if got != want:
                mismatches.append(f"POST {name} as {role}: expected {want}, got {got}")
    assert mismatches == [], "\n".join(mismatches)


def test_no_object_is_reachable_by_guessing_an_id(client, demo):
    kent = get_user_model().objects.get(username="lead-kent")
    client.force_login(kent)
    for force in Force.objects.exclude(name="Kent"):
        assert client.get(f"/forces/{force.slug}/").status_code == 404
    for snapshot in Snapshot.objects.all():
        assert client.get(f"/dashboard/snapshots/{snapshot.pk}/").status_code == 403
