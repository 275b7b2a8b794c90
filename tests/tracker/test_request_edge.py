"""Bad values from a request never reach a view or the database; pages answer only their methods;
no response from the app may be kept by a cache.

The URLs come from the URL-by-role table (test_url_permissions.RULES), which fails when a URL is
added to the URLconf without a rule, so every test here covers every URL.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations.models import Round, StatusUpdate
from tests.tracker.test_url_permissions import ROLES, RULES, url_values

pytestmark = pytest.mark.django_db

# Pages with a form: they answer GET and POST. Pages whose GET answer is 405 answer only POST.
FORM_PAGES = {
    "login",
    "two_factor_verify",
    "two_factor_set_up",
    "recommendations:check_answers",
    "recommendations:return_upload",
    "recommendations:answer",
    "recommendations:answer_withdraw",
    "recommendations:milestone_add",
    "recommendations:milestone_change",
    "recommendations:extension_ask",
    "recommendations:extension_decide",
    "recommendations:staff_answer",
    "recommendations:snapshot_edit",
    "recommendations:snapshot_section_edit",
    "recommendations:snapshot_publish",
    "recommendations:round_remind",
    "recommendations:links",
    "recommendations:response_edit",
    "recommendations:response_publish",
    "password_reset",
    "password_reset_confirm",
    "password_change",
    "invitation_new",
    "invitation_upload",
    "invitation_accept",
}
POST_ONLY = {name for name, (_, expected) in RULES.items() if expected[1] == 405}
GET_ONLY = set(RULES) - FORM_PAGES - POST_ONLY
# Who may read each page: the role whose requests are tried.
READER = {name: ("lead-west-midlands" if expected[1] == 200 else "portfolio") for name, (_, expected) in RULES.items()}


@pytest.fixture
def paths(demo):
    values = url_values()
    return {name: template.format(**values) for name, (template, _) in RULES.items()}


@pytest.fixture
def users(demo):
    return {user.username: user for user in get_user_model().objects.filter(username__in=ROLES)}


def _as(client, users, role):
    client.logout()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def test_the_method_tables_cover_every_url():
    assert FORM_PAGES <= set(RULES)
    assert GET_ONLY and not (GET_ONLY & POST_ONLY)


# --- NUL and other control characters -------------------------------------------------------------


def _with_nul_in_each_segment(address: str):
    """The address with %00 after each segment of its path in turn (its query string kept as it is:
    a control character there is refused with 400, below)."""
    path, _, query = address.partition("?")
    segments = path.strip("/").split("/")
    for index in range(len(segments)):
        changed = list(segments)
        changed[index] = changed[index] + "%00"
        yield "/" + "/".join(changed) + ("/" if path.endswith("/") else "") + (f"?{query}" if query else "")


def test_a_nul_anywhere_in_the_address_is_not_found(client, users, paths):
    wrong = []
    for name, path in paths.items():
        for role in ("anonymous", READER[name]):
            _as(client, users, role)
            for bad in _with_nul_in_each_segment(path):
                for character in ("%00", "%01", "%7F"):
                    response = client.get(bad.replace("%00", character))
                    if response.status_code != 404:
                        wrong.append(f"{bad} as {role}: {response.status_code}")
    assert wrong == []


def test_the_not_found_page_for_a_bad_address_says_why(client, lead_a):
    client.force_login(lead_a)
    response = client.get("/forces/west-midlands/rounds/x/answers/tvip-super-complaint/1%00/")
    assert response.status_code == 404
    assert "control character" in response.content.decode()


BAD_QUERIES = ["q=%00", "round=%00", "page=1%00", "from=%00&to=1", "next=/%00", "%00=1", "q=a%0Db"]


def test_a_control_character_in_the_query_string_is_refused_on_every_page(client, users, paths):
    wrong = []
    for name, path in paths.items():
        _as(client, users, READER[name])
        for query in BAD_QUERIES:
            response = client.get(f"{path}?{query}")
            if response.status_code != 400 or "control character" not in response.content.decode():
                wrong.append(f"{path}?{query}: {response.status_code}")
    assert wrong == []


def test_the_search_box_with_a_nul_is_refused_with_a_message(client, portfolio, demo):
    client.force_login(portfolio)
    past = Round.objects.get(slug="progress-update-march-2024")
    response = client.get(f"/dashboard/rounds/{past.slug}/recommendations/tvip-super-complaint/1/", {"q": "policy\x00"})
    assert response.status_code == 400
    assert "Sorry, there is a problem with that request" in response.content.decode()


@pytest.mark.parametrize(
    "header",
    [
        {"HTTP_USER_AGENT": "Mozilla\x00"},
        {"HTTP_X_FORWARDED_FOR": "127.0.0.1\x00"},
        {"HTTP_REFERER": "http://testserver/\x00"},
        {"HTTP_COOKIE": "sessionid=abc\x00def"},
        {"HTTP_ACCEPT_LANGUAGE": "en\x01"},
    ],
)
def test_a_control_character_in_a_header_or_cookie_is_refused(client, lead_a, header):
    # The sign-in form writes the user agent and the address to the failed-sign-in log.
    response = client.post("/accounts/login/", {"username": "lead-west-midlands", "password": "wrong"}, **header)
    assert response.status_code == 400
    assert "header or cookie" in response.content.decode()


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_nul_in_the_sign_in_form_is_refused_before_anything_is_logged(client, lead_a, field):
    from axes.models import AccessAttempt

    values = {"username": "lead-west-midlands", "password": "wrong", field: "lead\x00"}
    response = client.post("/accounts/login/", values)
    assert response.status_code == 400
    assert "null character" in response.content.decode()
    assert AccessAttempt.objects.count() == 0


def test_a_nul_in_any_field_of_every_form_is_refused_and_nothing_is_saved(client, users, paths):
    before = StatusUpdate.objects.count()
    wrong = []
    for name in sorted(FORM_PAGES | POST_ONLY):
        _as(client, users, READER[name])
        for data in (
            {"narrative": "a\x00b", "status": "in_progress", "version": "0"},
            {"x\x00": "1"},
            {"note": "\x00"},
        ):
            response = client.post(paths[name], data)
            if response.status_code != 400:
                wrong.append(f"POST {name} {data!r}: {response.status_code}")
    assert wrong == []
    assert StatusUpdate.objects.count() == before


def test_a_nul_in_an_uploaded_file_name_never_reaches_the_page(client, lead_a, open_round, monkeypatch):
    import recommendations.views.lead as lead_views

    names = []
    real = lead_views.ReturnUploadForm.__init__

    def spy(self, *args, **kwargs):
        real(self, *args, **kwargs)
        names.extend(upload.name for upload in self.files.values())

    monkeypatch.setattr(lead_views.ReturnUploadForm, "__init__", spy)
    client.force_login(lead_a)
    upload = SimpleUploadedFile("return\x00\x01.xlsx", b"PK\x03\x04", content_type="application/octet-stream")
    response = client.post(f"/forces/west-midlands/rounds/{open_round.slug}/upload/", {"file": upload})
    assert response.status_code == 400
    assert names == ["return.xlsx"]


def test_other_control_characters_typed_in_a_form_are_removed_not_refused(client, lead_a, open_round):
    client.force_login(lead_a)
    response = client.post(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/",
        {"status": "in_progress", "narrative": "Policy\x0b published.\r\nNext.", "version": "0", "save_draft": ""},
    )
    assert response.status_code == 302
    assert StatusUpdate.objects.get().narrative == "Policy published.\nNext."


# --- Text that is not UTF-8 ----------------------------------------------------------------------


@pytest.mark.parametrize("body", [b"narrative=caf%E9&status=in_progress&version=0", b"narrative=caf\xe9&version=0"])
def test_a_form_body_that_is_not_utf8_is_refused_not_altered(client, lead_a, open_round, body):
    client.force_login(lead_a)
    response = client.generic(
        "POST",
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/",
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "not encoded as UTF-8" in response.content.decode()
    assert StatusUpdate.objects.count() == 0


def test_a_multipart_field_that_is_not_utf8_is_refused(client, lead_a, open_round):
    client.force_login(lead_a)
    boundary = "BoUnDaRy"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="upload"\r\n\r\n'.encode()
        + b"caf\xe9\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    response = client.generic(
        "POST",
        f"/forces/west-midlands/rounds/{open_round.slug}/upload/",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert "not encoded as UTF-8" in response.content.decode()


def test_a_query_string_that_is_not_utf8_is_refused(client, portfolio, demo):
    client.force_login(portfolio)
    response = client.get("/dashboard/", QUERY_STRING="round=caf%E9")
    assert response.status_code == 400
    assert "not encoded as UTF-8" in response.content.decode()


def test_text_in_other_scripts_and_bidirectional_marks_pass_the_edge(client, lead_a, open_round):
    client.force_login(lead_a)
    narrative = "مرحبا \u202eevil\u202c 🚓 café"
    response = client.post(
        f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/",
        {"status": "in_progress", "narrative": narrative, "version": "0", "save_draft": ""},
    )
    assert response.status_code == 302
    assert StatusUpdate.objects.get().narrative == narrative


# --- Methods -------------------------------------------------------------------------------------


def _admin_paths():
    paths = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        paths.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    return paths


def test_methods_no_page_handles_are_refused_on_every_url(client, users, paths):
    wrong = []
    for role in ROLES:
        _as(client, users, role)
        for path in [*paths.values(), *_admin_paths()]:
            for method in ("PUT", "PATCH", "DELETE", "TRACE"):
                response = client.generic(method, path, b"username=admin&password=tracker-demo")
                if response.status_code != 405 or "GET" not in response.get("Allow", ""):
                    wrong.append(f"{method} {path} as {role}: {response.status_code}")
    assert wrong == []


def test_a_put_to_the_sign_in_page_does_not_sign_in(client, lead_a):
    response = client.generic(
        "PUT",
        "/accounts/login/",
        b"username=lead-west-midlands&password=correct+horse+battery+staple",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 405
    assert "This page cannot do that" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_post_to_a_page_that_only_shows_something_is_refused(client, users, paths):
    wrong = []
    for name in sorted(GET_ONLY):
        for role in ("anonymous", READER[name]):
            _as(client, users, role)
            response = client.post(paths[name], {})
            if response.status_code != 405 or response["Allow"] != "GET, HEAD":
                wrong.append(f"POST {name} as {role}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)


def test_the_405_page_is_the_services_own(client, portfolio):
    client.force_login(portfolio)
    response = client.post("/dashboard/")
    assert response.status_code == 405
    body = response.content.decode()
    assert "This page cannot do that" in body and "govuk-template" in body


# --- Caching ------------------------------------------------------------------------------------


def test_every_page_and_download_for_every_role_is_not_stored(client, users, paths):
    wrong = []
    for name, path in paths.items():
        for role in ROLES:
            _as(client, users, role)
            response = client.get(path)
            directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
            if "no-store" not in directives:
                wrong.append(f"{name} as {role}: {response.get('Cache-Control')!r}")
    for path in _admin_paths():
        _as(client, users, "admin")
        if "no-store" not in client.get(path).get("Cache-Control", ""):
            wrong.append(f"{path} as admin")
    assert wrong == []


def test_error_pages_are_not_stored_either(client, lead_a):
    client.force_login(lead_a)
    for path in ("/no-such-page/", "/dashboard/", "/forces/x%00/"):
        assert "no-store" in client.get(path)["Cache-Control"]


def test_static_files_keep_their_long_cache(client, settings):
    from django.test import Client

    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_MAX_AGE = 31536000
    response = Client().get("/static/govuk/tracker.css")
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" not in cache_control
    assert re.search(r"max-age=31536000", cache_control)
