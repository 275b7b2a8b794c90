"""Cached values that each process keeps unpickled while the cache still holds them.

A round's figures at portfolio scale (200 recommendations, 43 forces) pickle to about 270 KB and took
9 ms to unpickle on every dashboard request: a third of the page's time. The shared cache stays the
one source of truth: it holds each value beside a token drawn when the value was stored, and a process
reuses the object it unpickled before only while the cache hands back the same token under the same
key. A cleared or evicted cache, or a value stored again by another process, is read afresh; and the
keys the figures use change with every write to what they were counted from (round_figures_key), so
a kept object is never older than the cache's.

Values kept this way are read-only for their callers: frozen dataclasses and named tuples.
"""

from __future__ import annotations

import pickle
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

# How many values a process keeps (the newest used): a few rounds' figures and the rounds' index.
KEPT_VALUES = 8

_kept: OrderedDict[str, tuple[str, object]] = OrderedDict()
_lock = threading.Lock()


def kept_or_computed(key: str, compute: Callable[[], T], timeout: int) -> T:
    """The value stored under `key`, computing and storing it when the cache has none.

    One cache read; the unpickling only when this process has not kept the value stored now.
    """
    stored = cache.get(key)
    if stored is not None:
        token, data = stored
        with _lock:
            kept = _kept.get(key)
            if kept is not None and kept[0] == token:
                _kept.move_to_end(key)
                return kept[1]  # type: ignore[return-value]
        value = pickle.loads(data)
    else:
        value = compute()
        token = secrets.token_hex(8)
        cache.set(key, (token, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)), timeout)
    with _lock:
        _kept[key] = (token, value)
        _kept.move_to_end(key)
        while len(_kept) > KEPT_VALUES:
            _kept.popitem(last=False)
    return value
