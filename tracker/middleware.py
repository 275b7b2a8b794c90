"""Checks at the edge of the service, before a request reaches a view, a session or the database.

- A value the database cannot hold, or that no person types, is refused here rather than deep in a
  query: a control character (NUL above all: PostgreSQL refuses it in text and answers with a 500)
  in the address gives the "Page not found" page; in the query string, a header or cookie, a form
  field or an uploaded file's name it gives the "problem with that request" page saying what was
  wrong. A form body or query string that is not valid UTF-8 is refused too, rather than silently
  altered (Django would otherwise replace the broken bytes).
- Methods no page of this service handles (PUT, PATCH, DELETE, TRACE, CONNECT) are answered 405,
  as are methods a view does not list (its `require_http_methods` decorator); the 405 gets the
  service's page.
- Every response the app itself makes carries `Cache-Control: no-store`: signed-in pages and
  downloads hold OFFICIAL text that no shared or back-button cache may keep. Static files are
  served before this (WhiteNoise) and keep their long cache.

It sits after WhiteNoise and before the session middleware, which would otherwise read the session
cookie from the database.
"""

from __future__ import annotations

import re
from functools import wraps
from urllib.parse import unquote_to_bytes

from django.http import HttpResponseNotAllowed
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.utils.cache import patch_cache_control

UNHANDLED_METHODS = frozenset({"PUT", "PATCH", "DELETE", "TRACE", "CONNECT"})
SERVED_METHODS = ["GET", "HEAD", "POST", "OPTIONS"]

# C0 controls and DEL. A form field keeps tab and new lines (a narrative has paragraphs).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NUL = "\x00"
_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"

ADDRESS_REFUSED = (
    "The web address contains a character that cannot be used in an address (a control character "
    "such as a null). Check the address, or go back and follow the link again."
)
HEADER_REFUSED = (
    "Your browser sent a header or cookie with a control character in it, which this service does not accept. "
    "Clear this site's cookies and try again."
)
FORM_NUL_REFUSED = (
    "What you sent contains a null character, which cannot be stored. It usually comes from text pasted "
    "from another program. Nothing was saved: go back, retype the text or paste it as plain text, and send it again."
)
FORM_CONTROL_REFUSED = (
    "A field name in what you sent contains a control character. Nothing was saved: go back and try again."
)
NOT_UTF8_REFUSED = (
    "What you sent is not valid text (it is not encoded as UTF-8), so it was refused rather than changed. "
    "Nothing was saved: go back and send it again from this service's own page."
)


def bad_request(request, reason: str):
    """The service's own "problem with that request" page, saying what was wrong (here, and in a
    view that gets a value no form of the service sends)."""
    return render(request, "400.html", {"reason": reason}, status=400)


def _decoded_pairs(raw: bytes):
    """Each (name, value) of a URL-encoded string, decoded; None for a part that is not UTF-8."""
    for part in raw.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        yield tuple(_utf8(unquote_to_bytes(piece.replace(b"+", b" "))) for piece in (name, value))


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def query_refusal(query_string: str) -> str | None:
    # WSGI hands the query string over as Latin-1; its bytes are what the browser sent.
    for name, value in _decoded_pairs(query_string.encode("latin-1", "replace")):
        if name is None or value is None:
            return NOT_UTF8_REFUSED
        if _CONTROL.search(name) or _CONTROL.search(value):
            return ADDRESS_REFUSED
    return None


def header_refusal(meta) -> str | None:
    for key, value in meta.items():
        if key.startswith("HTTP_") and isinstance(value, str) and _CONTROL.search(value.replace("\t", " ")):
            return HEADER_REFUSED
    return None


def _field_refusal(name: str | None, value: str | None) -> str | None:
    """A field's name must be plain; its value may hold tabs, new lines and other controls (the forms
    remove those), but never NUL, which the database cannot store."""
    if name is None or value is None:
        return NOT_UTF8_REFUSED
    if _CONTROL.search(name):
        return FORM_CONTROL_REFUSED
    if _NUL in value:
        return FORM_NUL_REFUSED
    return None


def body_refusal(request) -> str | None:
    content_type = request.content_type or ""
    if content_type == _FORM:
        for name, value in _decoded_pairs(request.body):
            if refusal := _field_refusal(name, value):
                return refusal
    elif content_type == _MULTIPART:
        for name, values in request.POST.lists():
            for value in values:
                # The multipart parser has already replaced bytes that are not UTF-8 with U+FFFD (so a
                # typed U+FFFD is refused too here; only the spreadsheet upload sends multipart).
                if refusal := _field_refusal(name, None if "\ufffd" in value else value):
                    return refusal
        # Django's multipart parser already drops unprintable characters from uploaded files' names.
        for name in request.FILES:
            if refusal := _field_refusal(name, ""):
                return refusal
    return None


class RequestEdgeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._refusal(request) or self.get_response(request)
        if response.status_code == 405 and not getattr(response, "streaming", False) and not response.content:
            allow = response.get("Allow", ", ".join(SERVED_METHODS))
            response = render(request, "405.html", status=405)
            response["Allow"] = allow
        # no-store already says everything; Django's admin adds its own (also no-store) header.
        if "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True)
        return response

    def _refusal(self, request):
        if _CONTROL.search(request.path_info) or "\ufffd" in request.path_info:
            return render(request, "404.html", {"reason": ADDRESS_REFUSED}, status=404)
        if request.method in UNHANDLED_METHODS:
            return HttpResponseNotAllowed(SERVED_METHODS)
        refusal = header_refusal(request.META) or query_refusal(request.META.get("QUERY_STRING", ""))
        if refusal is None and request.method == "POST":
            refusal = body_refusal(request)
        return bad_request(request, refusal) if refusal else None


class CompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (pages gzipped when the client asks, with its random padding against
    BREACH), except a response a view marked `uncompressed`: a page that shows a credential beside
    text taken from the address, which compression would let another site guess at (README, "Compression,
    and BREACH")."""

    def process_response(self, request, response):
        if getattr(response, "uncompressed", False):
            return response
        return super().process_response(request, response)


def uncompressed(view):
    """Mark the view's responses to be sent uncompressed (CompressionMiddleware)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.uncompressed = True
        return response

    return wrapped
