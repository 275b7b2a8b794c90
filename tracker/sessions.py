"""Sessions in the database, as Django keeps them, with one difference in how a failure reads.

Django turns any database error while saving a session into "the session was deleted before the
request completed", a 400 that tells the person their request was wrong. When the database cannot
be reached (the load-and-fault run stops PostgreSQL), that is a fault of the service: the error is
let through, and the person gets the service's 500 page, which says what to check and to try again.
A session really deleted by another request (signed out in another tab) is still a 400.
"""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import OperationalError


class SessionStore(DatabaseSessionStore):
    def save(self, must_create=False):
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            # Django raises UpdateError inside its `except DatabaseError`, so the database's own
            # error is its context (tests/tracker/test_security.py pins both cases).
            if isinstance(error.__context__, OperationalError):
                raise error.__context__ from None
            raise
