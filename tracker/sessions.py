"""Sessions in the database, as Django keeps them, with two differences.

A page that only reads writes nothing. Django keeps the idle timeout by saving the session on every
request (SESSION_SAVE_EVERY_REQUEST), a write for each read. Here a session is saved with a new
expiry only when its last one was set more than REFRESH_SECONDS ago: the hour idle still ends it
(give or take that minute, never later), and at most one request a minute writes. Signing out and
the sign-out of every other session when a password changes work as in Django (the row is deleted;
the password's hash in the session no longer matches).

Django turns any database error while saving a session into "the session was deleted before the
request completed", a 400 that tells the person their request was wrong. When the database cannot
be reached (the load-and-fault run stops PostgreSQL), that is a fault of the service: the error is
let through, and the person gets the service's 500 page, which says what to check and to try again.
A session really deleted by another request (signed out in another tab) is still a 400.
"""

import datetime

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import OperationalError
from django.utils import timezone

# How stale a session's expiry may be before a request refreshes it.
REFRESH_SECONDS = 60


class SessionStore(DatabaseSessionStore):
    def load(self):
        stored = self._get_session_from_db()
        if stored is None:
            return {}
        data = self.decode(stored.session_data)
        age = data.get("_session_expiry")  # set_expiry(seconds), else the setting
        age = age if isinstance(age, int) and age > 0 else self.get_session_cookie_age()
        refreshed_at = stored.expire_date - datetime.timedelta(seconds=age)
        if timezone.now() - refreshed_at >= datetime.timedelta(seconds=REFRESH_SECONDS):
            # The session middleware saves a modified session, with a new expiry, after the view.
            self.modified = True
        return data

    def save(self, must_create=False):
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            # Django raises UpdateError inside its `except DatabaseError`, so the database's own
            # error is its context (tests/tracker/test_security.py pins both cases).
            if isinstance(error.__context__, OperationalError):
                raise error.__context__ from None
            raise
