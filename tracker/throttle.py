"""A count of attempts per key in the shared cache, for pages that send email or could be guessed at.

The cache is the store (Redis when CACHE_URL says so, so every app server counts together). If the
cache cannot be reached the attempt is allowed and the failure logged: a throttle that is down must
not stop people resetting their password.
"""

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def _key(scope: str, value: str) -> str:
    # Hashed: an email address or IP address is not kept in the cache as it was typed.
    return f"throttle:{scope}:{hashlib.sha256(value.strip().lower().encode()).hexdigest()}"


def allow(scope: str, value: str, *, limit: int, seconds: int) -> bool:
    """Count one attempt for `value` in `scope`; False once more than `limit` were made in the window."""
    key = _key(scope, value)
    try:
        if cache.add(key, 1, timeout=seconds):
            return True
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this attempt starts a new window
        cache.add(key, 1, timeout=seconds)
        return True
    except Exception:
        logger.warning("Throttle %s not checked: the cache could not be reached", scope, exc_info=True)
        return True
    if count is None:  # a cache that ignores its own errors (django-redis) answers None
        logger.warning("Throttle %s not checked: the cache could not be reached", scope)
        return True
    return count <= limit
