"""Every error summary's link lands on its field (for radios and checkboxes, the first of them), for
every form in the service. A form added without a case here fails."""

import inspect
import re
from datetime import timedelta

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import recommendations.forms
import recommendations.forms_admin
import recommendations.forms_office
import recommendations.forms_staff
import tracker.forms
from recommendations.models import Extension, Round, Snapshot, StatutoryResponse
from tracker import invitations
from tracker.models import Invitation

pytestmark = pytest.mark.django_db

# Filters on a page that only reads: a value it does not know is ignored, never an error. The reuse
# form is one button with the version the lead saw: a bad one is a status message on the answer page.
WITHOUT_ERROR_SUMMARY = {"DashboardFilterForm", "AnswerQueueForm", "ReuseForm"}


def _form_classes() -> set[str]:
    found = set()
    modules = (
        recommendations.forms,
        recommendations.forms_staff,
        recommendations.forms_office,
        recommendations.forms_admin,
        tracker.forms,
    )
    for module in modules:
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.add(name)
    return found


def _cases(client, users):
    open_round = Round.objects.get(closed=False).slug
    past = "progress-update-march-2024"
    answer = f"/forces/west-midlands/rounds/{open_round}/answers/tvip-super-complaint/1/"
    # A submitted answer in the open round, to withdraw and to review; a draft snapshot, to edit.
    client.force_login(users["lead-west-midlands"])
    client.post(answer, {"status": "in_progress", "narrative": "Policy drafted.", "version": "0"})
    client.post(f"/forces/west-midlands/rounds/{open_round}/check/")
    client.force_login(users["portfolio"])
    client.post(f"/dashboard/rounds/{past}/snapshots/new/")
    draft = Snapshot.objects.get(state="draft").pk
    staff_answer = f"/dashboard/rounds/{past}/recommendations/tvip-super-complaint/1/forces/west-midlands/"
    to_review = f"/dashboard/rounds/{open_round}/recommendations/tvip-super-complaint/1/forces/west-midlands/"
    # An invitation waiting to be accepted, and a draft correction of West Midlands' response.
    token = "an-invitation-token"
    Invitation.objects.create(
        email="new-lead@example.invalid",
        name="New Lead",
        role=Invitation.Role.FORCE_LEAD,
        force=users["lead-west-midlands"].force_membership.force,
        expires_at=timezone.now() + timedelta(hours=72),
        token_digest=invitations.token_digest(token),
    )
    client.force_login(users["pcc-west-midlands"])
    published = StatutoryResponse.objects.get(body__slug="west-midlands")
    correction = client.post(f"/offices/west-midlands/responses/{published.pk}/correct/")["Location"]
    return [
        ("SignInForm", None, "/accounts/login/", {}),
        ("TwoFactorCodeForm", "lead-west-midlands", "/accounts/two-factor/set-up/", {"code": "12"}),
        ("AnswerForm", "lead-west-midlands", answer, {"version": "1", "narrative": ""}),
        ("AnswerForm", "lead-west-midlands", answer, {"version": "x", "status": "planned", "narrative": "a"}),
        # A program named as a PDF, and no answer to "who may see this document?".
        (
            "AnswerForm",
            "lead-west-midlands",
            answer,
            {"version": "2", "status": "planned", "narrative": "a", "document": SimpleUploadedFile("a.pdf", b"MZ")},
        ),
        # A document to remove that is not attached.
        ("AnswerForm", "lead-west-midlands", answer, {"version": "2", "documents_removed": "999999", "attach": ""}),
        ("WithdrawForm", "lead-west-midlands", f"{answer}withdraw/", {"version": "2"}),
        (
            "MilestoneForm",
            "lead-west-midlands",
            f"{answer}milestones/add/",
            {"description": "", "target_on_0": "31", "target_on_1": "", "target_on_2": "2030", "done_on_2": "x"},
        ),
        ("ReturnUploadForm", "lead-west-midlands", f"/forces/west-midlands/rounds/{open_round}/upload/", {}),
        (
            "ExtensionRequestForm",
            "lead-west-midlands",
            f"/forces/west-midlands/rounds/{open_round}/more-time/",
            {"asked_for_0": "31", "asked_for_1": "13", "asked_for_2": "2030", "reason": ""},
        ),
        (
            "ExtensionDecisionForm",
            "portfolio",
            f"/dashboard/more-time/{Extension.objects.get(force__slug='essex', state='waiting').pk}/",
            {"decision": "refuse", "note": ""},
        ),
        ("ReturnAnswerForm", "portfolio", f"{answer}review/", {"note": ""}),
        ("AnswerCodingForm", "portfolio", staff_answer, {"themes": "999999"}),
        ("NotablePracticeForm", "portfolio", staff_answer, {"quote_practice": "1", "quote": ""}),
        ("SnapshotForm", "portfolio", f"/dashboard/snapshots/{draft}/edit/", {"title": ""}),
        (
            "SnapshotSectionForm",
            "portfolio",
            f"/dashboard/snapshots/{draft}/recommendations/tvip-super-complaint/1/edit/",
            {"summary": ""},
        ),
        ("ReturnNoteForm", "portfolio", to_review, {"action": "return", "note": ""}),
        ("RecommendationLinkForm", "portfolio", "/dashboard/links/", {"kind": "covers"}),
        ("AnswerSearchForm", "portfolio", "/dashboard/search/?q=" + "x" * 201, None),
        ("RegisterFilterForm", "lead-west-midlands", "/register/?status=nonsense&q=" + "x" * 201, None),
        ("ResponseForm", "pcc-west-midlands", correction, {"title": "", "signature_title": ""}),
        ("PasswordResetRequestForm", None, "/accounts/password_reset/", {"email": "not an address"}),
        ("ChangePasswordForm", "lead-west-midlands", "/accounts/password_change/", {"old_password": "wrong"}),
        ("NewPasswordForm", None, f"/accounts/invitation/{token}/", {"new_password1": "a", "new_password2": "b"}),
        ("InvitationForm", "admin", "/accounts/invitations/new/", {"role": "force_lead"}),
        ("InvitationUploadForm", "admin", "/accounts/invitations/upload/", {}),
        ("ReportImportForm", "admin", "/admin/recommendations/report/import/", {"url": "not a link"}),
    ]


def test_every_form_has_a_case():
    cases = {
        "SignInForm",
        "TwoFactorCodeForm",
        "AnswerForm",
        "WithdrawForm",
        "MilestoneForm",
        "ExtensionRequestForm",
        "ExtensionDecisionForm",
        "ReturnUploadForm",
        "ReturnAnswerForm",
        "AnswerCodingForm",
        "NotablePracticeForm",
        "SnapshotForm",
        "SnapshotSectionForm",
        "ReturnNoteForm",
        "RecommendationLinkForm",
        "AnswerSearchForm",
        "RegisterFilterForm",
        "ResponseForm",
        "PasswordResetRequestForm",
        "ChangePasswordForm",
        "NewPasswordForm",
        "InvitationForm",
        "InvitationUploadForm",
        "ReportImportForm",
    }
    assert _form_classes() == cases | WITHOUT_ERROR_SUMMARY


def test_every_error_summary_link_lands_on_a_field(client, demo):
    users = {user.username: user for user in get_user_model().objects.all()}
    wrong, seen = [], set()
    for form, role, path, data in _cases(client, users):
        client.logout()
        if role:
            client.force_login(users[role])
        page = (client.get(path) if data is None else client.post(path, data)).content.decode()
        summary = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.DOTALL)
        if summary is None:
            wrong.append(f"{form}: no error summary at {path}")
            continue
        seen.add(form)
        for target in re.findall(r'href="#([^"]+)"', summary.group()):
            control = re.search(rf'<(input|select|textarea)\b[^>]*\bid="{re.escape(target)}"', page)
            if control is None:
                wrong.append(f"{form}: #{target} is not a field on the page")
    assert wrong == []
    assert seen == _form_classes() - WITHOUT_ERROR_SUMMARY


def test_the_status_question_links_to_its_first_radio(client, lead_a, open_round):
    client.force_login(lead_a)
    page = client.post(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/",
        {"version": "0", "narrative": "x"},
    ).content.decode()
    assert '<a href="#id_status_1">Select the status of this recommendation</a>' in page
    assert 'id="id_status_1"' in page


def test_a_refused_document_links_to_the_file_input(client, lead_a, open_round):
    client.force_login(lead_a)
    page = client.post(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/",
        {"version": "0", "status": "planned", "narrative": "x", "document": SimpleUploadedFile("a.pdf", b"MZ")},
    ).content.decode()
    assert '<a href="#id_document">The selected file must be a PDF' in page
    assert 'id="id_document"' in page and 'id="id_document_marking_1"' in page
