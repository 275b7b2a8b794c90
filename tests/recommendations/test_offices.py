"""Commissioners' offices: their page, the recommendation to commissioners answered through the
force leads' answer machinery, and the statutory response (seed 000) drafted, edited, published,
corrected and downloaded; what another office, a lead and staff may see of it."""

import datetime
import io
import re

import docx
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from forces.models import BodyMembership, Force, PolicingBody
from recommendations import rules, selectors
from recommendations.models import AuditEvent, Recommendation, Round, StatusUpdate, StatutoryResponse
from recommendations.responses import response_correct, response_draft, response_publish
from recommendations.services import status_update_save

pytestmark = pytest.mark.django_db
User = get_user_model()


def signed_in(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def wm_response():
    return StatutoryResponse.objects.get(body__slug="west-midlands", state="published")


def open_round():
    return Round.objects.get(closed=False)


def text_of(html: str) -> str:
    """A page's words: inline markup dropped in place, block tags as spaces."""
    html = re.sub(r"</?(em|strong|a)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'").replace("&quot;", '"')


# What pcc-west-midlands sees


def test_the_west_midlands_office_lands_on_its_page_with_the_report_due_date_answers_and_response(client, demo):
    signed_in(client, "pcc-west-midlands")
    landing = client.get("/", follow=True)
    assert landing.redirect_chain[-1][0] == "/offices/west-midlands/"
    page = landing.content.decode()
    assert "Office of the West Midlands Police and Crime Commissioner" in page
    # The TVIP report with its due date (56 days after 1 December 2022) and how late that is now.
    assert "How the police respond to victims of sexual abuse" in page
    assert 'id="due-tvip-super-complaint">26 January 2023<' in page
    # The force's submitted answers, quoting the published response, from the March 2024 round.
    assert "West Midlands's submitted answers" in page or "West Midlands&#x27;s submitted answers" in page
    assert "Progress update, March 2024" in page
    assert "separate policy on honour-based abuse" in page
    # The recommendation to commissioners, to answer in the open round.
    answer_url = f"/forces/west-midlands/rounds/{open_round().slug}/answers/tvip-super-complaint/4/"
    assert answer_url in page
    # The published response, late.
    assert "Published late" in page
    assert f"/offices/west-midlands/responses/{wm_response().pk}/" in page


def test_the_kent_office_page_shows_its_response_due_and_not_written(client, demo):
    page = signed_in(client, "pcc-kent").get("/offices/kent/").content.decode()
    assert "Not yet published" in page
    assert "days overdue" in page
    assert "Draft the response from the force" in page


def test_the_published_west_midlands_response_follows_seed_000(demo):
    response = wm_response()
    assert response.title == (
        "How the police respond to victims of sexual abuse when the victim is from an ethnic minority background "
        "and may be at risk of honour-based abuse: report on Tees Valley Inclusion Project's super-complaint: "
        "Response from Simon Foster, West Midlands Police and Crime Commissioner"
    )
    sections = list(selectors.response_sections(response))
    assert [(s.number, s.recommendation.reference, s.heading) for s in sections] == [
        (1, "1", "Risk of Honour Based Abuse"),
        (2, "2", "Cultural Awareness"),
        (3, "3", "Poor Quality Police Data on Ethnicity"),
        (4, "4", "PCC Commissioned Services for Victims"),
    ]
    text = " ".join(section.text for section in sections)
    for point in [
        "separate policy on honour-based abuse",
        "Police Community Support Officers",
        "'Our Communities' strand",
        "Operation Soteria",
        "only around a third of crime reports record the victims' ethnicity",
        "Victims Commission",
    ]:
        assert point in text
    assert "Quoted from the published response" in text
    assert response.quotes_published_text
    assert response.closing == "Yours faithfully," and response.signature_name == "Simon Foster"


def test_the_response_docx_opens_and_holds_the_same_text_as_its_page(client, demo):
    response = wm_response()
    signed_in(client, "pcc-west-midlands")
    page = text_of(client.get(f"/offices/west-midlands/responses/{response.pk}/page/").content.decode())
    download = client.get(f"/offices/west-midlands/responses/{response.pk}/response.docx")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(download.content))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0] == response.title
    assert "4) PCC Commissioned Services for Victims" in paragraphs
    assert paragraphs[-2:] == ["Simon Foster", "West Midlands Police and Crime Commissioner"]
    # Every paragraph of the document is on the page, word for word.
    for paragraph in paragraphs:
        assert re.sub(r"\s+", " ", paragraph).strip() in page, paragraph


# What pcc-kent may not see: West Midlands' pages, downloads and drafts


def west_midlands_pages(response_id, round_slug):
    return [
        "/offices/west-midlands/",
        f"/offices/west-midlands/responses/{response_id}/",
        f"/offices/west-midlands/responses/{response_id}/page/",
        f"/offices/west-midlands/responses/{response_id}/response.docx",
        f"/offices/west-midlands/responses/{response_id}/edit/",
        f"/offices/west-midlands/responses/{response_id}/publish/",
        "/forces/west-midlands/",
        f"/forces/west-midlands/rounds/{round_slug}/",
        f"/forces/west-midlands/rounds/{round_slug}/check/",
        f"/forces/west-midlands/rounds/{round_slug}/submitted/",
        f"/forces/west-midlands/rounds/{round_slug}/return.xlsx",
        f"/forces/west-midlands/rounds/{round_slug}/answers/tvip-super-complaint/1/",
        f"/forces/west-midlands/rounds/{round_slug}/answers/tvip-super-complaint/4/",
        "/forces/west-midlands/rounds/progress-update-march-2024/answers/tvip-super-complaint/1/history/",
    ]


def test_the_kent_office_gets_not_found_on_every_west_midlands_page_and_download(client, demo):
    signed_in(client, "pcc-kent")
    for url in west_midlands_pages(wm_response().pk, open_round().slug):
        assert client.get(url).status_code == 404, url


def test_the_kent_office_cannot_post_to_west_midlands_pages(client, demo):
    signed_in(client, "pcc-kent")
    response = wm_response()
    slug = open_round().slug
    for url in [
        "/offices/west-midlands/reports/tvip-super-complaint/response/new/",
        f"/offices/west-midlands/responses/{response.pk}/correct/",
        f"/offices/west-midlands/responses/{response.pk}/publish/",
        f"/forces/west-midlands/rounds/{slug}/answers/tvip-super-complaint/4/",
        f"/forces/west-midlands/rounds/{slug}/check/",
    ]:
        assert client.post(url, {"status": "complete", "narrative": "x", "version": 0}).status_code == 404, url
    assert StatutoryResponse.objects.filter(body__slug="west-midlands").count() == 1


def test_no_office_sees_the_west_midlands_force_drafts(client, demo):
    lead = User.objects.get(username="lead-west-midlands")
    round = open_round()
    status_update_save(
        round=round,
        force=Force.objects.get(slug="west-midlands"),
        recommendation=Recommendation.objects.get(report__slug="tvip-super-complaint", reference="1"),
        user=lead,
        expected_version=0,
        status="in_progress",
        narrative="A DRAFT THE FORCE HAS NOT SUBMITTED",
    )
    for username, own in (("pcc-kent", False), ("pcc-west-midlands", True)):
        signed_in(client, username)
        # The force's pages that show drafts: another force's are not found, its own office's refused.
        for url in ["/forces/west-midlands/", f"/forces/west-midlands/rounds/{round.slug}/"]:
            assert client.get(url).status_code == (403 if own else 404)
        history = f"/forces/west-midlands/rounds/{round.slug}/answers/tvip-super-complaint/1/history/"
        assert client.get(history).status_code == (403 if own else 404)
        for page in ["/offices/kent/", "/offices/west-midlands/"]:
            body = client.get(page)
            assert b"A DRAFT THE FORCE HAS NOT SUBMITTED" not in body.content
    assert selectors.office_force_answers(Force.objects.get(slug="west-midlands")).filter(state="draft").count() == 0


def test_an_office_draft_response_is_its_own_until_published(client, demo):
    kent = PolicingBody.objects.get(slug="kent")
    draft = response_draft(
        body=kent,
        report=wm_response().report,
        user=User.objects.get(username="pcc-kent"),
    )
    url = f"/offices/kent/responses/{draft.pk}/"
    assert signed_in(client, "pcc-kent").get(url).status_code == 200
    assert signed_in(client, "pcc-west-midlands").get(url).status_code == 404
    assert signed_in(client, "portfolio").get(url).status_code == 404
    assert signed_in(client, "lead-kent").get(url).status_code == 403


# The recommendation to commissioners, answered through the same machinery as force leads use


def test_an_office_answers_the_recommendation_to_commissioners_with_the_answer_forms(client, demo):
    round = open_round()
    signed_in(client, "pcc-kent")
    form = {"status": "in_progress", "narrative": "We consult widely.", "evidence": "", "not_applicable_reason": ""}
    saved = client.post(
        f"/forces/kent/rounds/{round.slug}/answers/tvip-super-complaint/4/", {**form, "version": 0, "save_draft": "1"}
    )
    assert saved.status_code == 302 and saved["Location"] == "/offices/kent/#answers"
    check = client.get(f"/forces/kent/rounds/{round.slug}/check/")
    assert b"We consult widely." in check.content
    assert b"The risk of honour-based abuse" not in check.content  # the force's recommendations are not the office's
    submitted = client.post(f"/forces/kent/rounds/{round.slug}/check/")
    assert submitted["Location"] == f"/forces/kent/rounds/{round.slug}/submitted/"
    versions = list(StatusUpdate.objects.filter(round=round, force__slug="kent").order_by("version"))
    assert [(v.recommendation.reference, v.version, v.state) for v in versions] == [
        ("4", 1, "draft"),
        ("4", 2, "submitted"),
    ]
    assert versions[-1].created_by.username == "pcc-kent"
    # The office's answer is not the force's: Kent has still not responded to the round.
    assert Force.objects.get(slug="kent").pk in selectors.round_rollup(round).not_responded_force_ids
    # A recommendation the force answers is refused to the office, and the office's to the lead.
    assert client.get(f"/forces/kent/rounds/{round.slug}/answers/tvip-super-complaint/1/").status_code == 403
    signed_in(client, "lead-kent")
    assert client.get(f"/forces/kent/rounds/{round.slug}/answers/tvip-super-complaint/4/").status_code == 403
    assert b"Commissioned services for victims" not in client.get("/forces/kent/").content


def test_the_service_refuses_an_answer_from_the_wrong_party(demo):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        status_update_save(
            round=open_round(),
            force=Force.objects.get(slug="kent"),
            recommendation=Recommendation.objects.get(reference="4"),
            user=User.objects.get(username="lead-kent"),
            expected_version=0,
            status="planned",
            narrative="Not ours to answer.",
        )


# Drafting, editing, publishing, correcting


def answer_as_office(round, force_slug, username, narrative):
    status_update_save(
        round=round,
        force=Force.objects.get(slug=force_slug),
        recommendation=Recommendation.objects.get(reference="4"),
        user=User.objects.get(username=username),
        expected_version=0,
        status="in_progress",
        narrative=narrative,
        submit=True,
        party=rules.Party.BODY,
    )


def test_a_response_is_drafted_from_the_forces_answers_and_the_bodys_own(client, demo):
    body = PolicingBody.objects.get(slug="avon-and-somerset")
    office = User.objects.create_user("pcc-avon", password="x")
    BodyMembership.objects.create(user=office, body=body)
    answer_as_office(open_round(), "avon-and-somerset", "pcc-avon", "Our consultation reaches every community.")
    signed_in(client, "pcc-avon")
    created = client.post("/offices/avon-and-somerset/reports/tvip-super-complaint/response/new/")
    draft = StatutoryResponse.objects.get(body=body)
    assert created["Location"] == f"/offices/avon-and-somerset/responses/{draft.pk}/edit/"
    assert draft.title.endswith(": Response from Avon and Somerset Police and Crime Commissioner")
    sections = list(selectors.response_sections(draft))
    assert [s.recommendation.reference for s in sections] == ["1", "2", "3", "4"]
    assert sections[0].text.startswith("The chief constable's comments (Avon & Somerset's submitted answers):")
    assert "> Illustrative demo text" in sections[0].text
    assert "Recommendation 2a" in sections[1].text and "Recommendation 2d" in sections[1].text
    assert sections[3].text == "Our consultation reaches every community."
    assert AuditEvent.objects.filter(action="response_drafted").exists()

    # Edit: an empty heading is refused beside its field; then saved and previewed.
    form = {
        "title": draft.title,
        "introduction": "Our introduction.",
        "closing": "Yours faithfully,",
        "signature_name": "A Commissioner",
        "signature_title": "Avon and Somerset Police and Crime Commissioner",
    }
    for section in sections:
        form[f"section_{section.pk}_heading"] = section.heading
        form[f"section_{section.pk}_text"] = section.text
    form[f"section_{sections[2].pk}_heading"] = ""
    refused = client.post(f"/offices/avon-and-somerset/responses/{draft.pk}/edit/", form)
    assert refused.status_code == 400
    form[f"section_{sections[2].pk}_heading"] = "Data on ethnicity"
    form[f"section_{sections[2].pk}_text"] = "We *check* the data. <script>alert(1)</script>[x](javascript:alert(1))"
    saved = client.post(f"/offices/avon-and-somerset/responses/{draft.pk}/edit/", form)
    assert saved["Location"] == f"/offices/avon-and-somerset/responses/{draft.pk}/"
    preview = client.get(saved["Location"]).content.decode()
    assert "3) Data on ethnicity" in preview and "<em>check</em>" in preview
    assert "<script>alert" not in preview and "javascript:" not in preview

    # Publish: frozen, dated, on time or late by the 56-day rule.
    published = client.post(f"/offices/avon-and-somerset/responses/{draft.pk}/publish/")
    assert published["Location"] == f"/offices/avon-and-somerset/responses/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.state == "published" and draft.published_on == timezone.localdate()
    assert client.get(f"/offices/avon-and-somerset/responses/{draft.pk}/edit/").status_code == 403

    # Correct: a new version, "Updated <date>", the first kept as it was.
    corrected = client.post(f"/offices/avon-and-somerset/responses/{draft.pk}/correct/")
    update = StatutoryResponse.objects.get(body=body, version=2)
    assert corrected["Location"] == f"/offices/avon-and-somerset/responses/{update.pk}/edit/"
    assert update.updates_response == draft and update.state == "draft"
    client.post(f"/offices/avon-and-somerset/responses/{update.pk}/publish/")
    page = client.get(f"/offices/avon-and-somerset/responses/{update.pk}/").content.decode()
    assert f"Updated {timezone.localdate():%-d %B %Y}" in page
    assert StatutoryResponse.objects.filter(body=body, state="published").count() == 2


def test_publishing_refuses_an_empty_section(demo):
    body = PolicingBody.objects.get(slug="kent")
    draft = response_draft(body=body, report=wm_response().report, user=None)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        response_publish(response=draft, user=None)  # Kent's force and office answered nothing
    with pytest.raises(ValidationError):
        response_correct(response=draft, user=None)  # only a published response is corrected


# National staff


def test_staff_see_west_midlands_published_late_and_kent_not_yet(client, demo):
    page = signed_in(client, "portfolio").get("/dashboard/bodies/").content.decode()
    rows = dict(re.findall(r'<tr class="govuk-table__row" id="body-([a-z-]+)">(.*?)</tr>', page, re.S))
    assert len(rows) == 43
    assert "Published late" in rows["west-midlands"] and "1 August 2023" in rows["west-midlands"]
    assert "Not yet published" in rows["kent"] and "overdue" in rows["kent"]
    assert "Mayor of Greater Manchester" in rows["greater-manchester"]
    assert "Published late: <strong>1</strong>" in text_of(page) or "Published late: 1" in text_of(page)


def test_the_43_bodies_are_shipped_with_their_kinds(demo):
    kinds = dict(PolicingBody.objects.values_list("force__name", "kind"))
    assert len(kinds) == 43
    assert kinds["Greater Manchester"] == kinds["West Yorkshire"] == kinds["Metropolitan"] == "mayor"
    assert kinds["City of London"] == "police_authority"
    for pfcc in ["Essex", "Staffordshire", "Northamptonshire", "Cumbria"]:
        assert kinds[pfcc] == "pfcc"
    assert PolicingBody.objects.get(force__name="Metropolitan").name.startswith("Mayor's Office for Policing and Crime")
    assert PolicingBody.objects.get(slug="west-midlands").holder_title == "West Midlands Police and Crime Commissioner"


def test_the_due_date_is_56_days_after_the_report(demo):
    report = wm_response().report
    [due] = selectors.reports_for_body(PolicingBody.objects.get(slug="kent"), datetime.date(2023, 1, 12))
    assert due.due_on == datetime.date(2023, 1, 26) == report.published_on + datetime.timedelta(days=56)
    assert due.days_left == 14 and due.days_left_text == "14 days left"


# The 56-day clock's reminders: the same days, record and sending as a round's.


def office_addresses():
    for membership in BodyMembership.objects.select_related("user", "body"):
        membership.user.email = f"{membership.user.username}@example.police.uk"
        membership.user.save()


def test_an_office_that_has_not_published_is_reminded_14_7_and_1_days_before_its_response_is_due(demo, capsys):
    from django.core import mail
    from django.core.management import call_command

    from recommendations.models import ResponseReminder, Round

    office_addresses()
    Round.objects.update(closed=True)  # only the response reminders, not the round's
    report = wm_response().report
    due = rules.response_due_on(report.published_on)
    for days in (20, 14, 14, 13, 7, 1, 0):
        call_command("send_reminders", today=(due - datetime.timedelta(days=days)).isoformat())
    # West Midlands published its response; Kent has not, and is reminded on the three days only, once each.
    assert [(message.to, message.subject.split(" are due in ")[1]) for message in mail.outbox] == [
        (["pcc-kent@example.police.uk"], "14 days"),
        (["pcc-kent@example.police.uk"], "7 days"),
        (["pcc-kent@example.police.uk"], "1 day"),
    ]
    assert f"due on {due:%d %B %Y}" in mail.outbox[0].body and "section 55" in mail.outbox[0].body
    assert sorted(ResponseReminder.objects.values_list("body__slug", "days_before")) == [
        ("kent", 1),
        ("kent", 7),
        ("kent", 14),
    ]
    assert "Reminded Office of the Kent Police and Crime Commissioner (1 day before" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REMINDER_SENT, force="Kent").count() == 3


def test_a_response_reminder_that_could_not_be_sent_is_tried_again(demo, settings):
    from django.core import mail

    from recommendations.models import ResponseReminder
    from recommendations.responses import response_reminders_send

    office_addresses()
    day = rules.response_due_on(wm_response().report.published_on) - datetime.timedelta(days=7)
    settings.EMAIL_BACKEND = "tests.recommendations.test_analysts_desk.FailingBackend"
    assert response_reminders_send(today=day) == []
    assert not ResponseReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert [reminder.body.slug for reminder in response_reminders_send(today=day)] == ["kent"]
    assert len(mail.outbox) == 1


def test_an_administrator_sets_whether_bodies_must_comment_on_the_reports_page(client, demo):
    from recommendations.models import Report

    client.force_login(get_user_model().objects.get(username="admin"))
    report = Report.objects.get(slug="tvip-super-complaint")
    page = client.get(f"/admin/recommendations/report/{report.pk}/change/").content.decode()
    assert re.search(r'<input[^>]*name="bodies_must_comment"[^>]*checked', page)
