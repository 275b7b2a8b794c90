"""A form posted after the session ended keeps what was typed, until the person has signed in again.

Without this, the sign-in page swallows the POST and the text is gone. Instead:

1. A POST from someone whose session has ended (their browser still holds the ended session's
   cookie, and that session belonged to a signed-in person) is not passed to the view: nothing is
   saved. Its fields (never passwords, never the CSRF token) are kept in the new session, with the
   page's path and the person's id, and they are sent to sign in.
2. After signing in as that same person, the first visit to that page puts the text back into its
   form (static/js/session.js, from a JSON block the base template writes) and says so; nothing is
   saved until they press the button again. Someone else signing in on the same browser gets nothing.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.views import redirect_to_login

KEPT = "kept_form"
KEEP_FOR = 24 * 60 * 60  # kept text older than this is dropped rather than restored
MAX_CHARACTERS = 200_000  # a form bigger than this is not kept (sessions are rows in the database)
# Pages anyone may post to (signing in, resets, accepting an invitation), and pages whose forms hold
# nothing worth keeping (codes, passwords, the timeout warning's "Stay signed in").
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password_reset/",
    "/accounts/reset/",
    "/accounts/password_change/",
    "/accounts/invitation/",
    "/accounts/two-factor/",
    "/accounts/session/",
    "/oidc/",
    "/admin/login/",
)

SIGNED_OUT = (
    "Your session ended, so nothing was saved. Sign in again and what you typed will be put back "
    "for you to check and save."
)
RESTORED = (
    "We have put back what you typed before your session ended. Nothing has been saved yet: "
    "check it and press the button again to save it."
)


def _ended_session_user(request) -> str | None:
    """Whose was the session this browser's cookie names, even though it has ended?"""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    model = getattr(request.session, "model", None)  # database-backed sessions only
    if not key or model is None:
        return None
    data = model.objects.filter(session_key=key).values_list("session_data", flat=True).first()
    if data is None:  # signed out on purpose: the row was deleted
        return None
    return request.session.decode(data).get(SESSION_KEY)


def _fields(post) -> dict[str, list[str]]:
    return {
        name: post.getlist(name)
        for name in post
        if name != "csrfmiddlewaretoken" and "password" not in name.lower() and "token" not in name.lower()
    }


class KeptFormMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Runs after the CSRF check: a forged POST is refused before anything is kept.
        if request.method == "POST" and not request.user.is_authenticated:
            return self._keep(request)
        if request.method == "GET" and request.user.is_authenticated and KEPT in request.session:
            self._restore(request)
        return None

    def _keep(self, request):
        if request.path_info.startswith(PUBLIC_PREFIXES):
            return None
        user_id = _ended_session_user(request)
        if user_id is None:
            return None
        fields = _fields(request.POST)
        if sum(len(value) for values in fields.values() for value in values) > MAX_CHARACTERS:
            return None
        request.session[KEPT] = {"path": request.path, "user": str(user_id), "fields": fields, "at": time.time()}
        messages.info(request, SIGNED_OUT)
        return redirect_to_login(request.get_full_path())

    def _restore(self, request):
        kept = request.session[KEPT]
        if kept.get("path") != request.path:
            return
        del request.session[KEPT]
        if kept.get("user") != str(request.user.pk) or time.time() - kept.get("at", 0) > KEEP_FOR:
            return
        request.kept_form = kept["fields"]
        messages.info(request, RESTORED)
