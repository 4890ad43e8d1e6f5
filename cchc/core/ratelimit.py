"""Rate limits for public pages (no account), counted in the shared cache (settings.CACHES: the
database cache in the embedded mode, Redis when CACHE_URL says so), so that every worker process
of the server sees the same counts.

    if over_limit(request, "gop-y", per_window=5, window=3600):
        … answer 429 …
    hit(request, "gop-y", window=3600)

The address is the client's (or, behind trusted reverse proxies, the one the nearest proxy saw)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The citizen's address. Behind reverse proxies (settings.CCHC_TRUSTED_PROXIES = how many),
    the address the nearest trusted proxy saw, from X-Forwarded-For; the rest of that header is
    written by the client and cannot be trusted."""
    proxies = getattr(settings, "CCHC_TRUSTED_PROXIES", 0)
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return str(hops[-proxies])
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _key(request: HttpRequest, bucket: str) -> str:
    return f"cchc:{bucket}:{client_ip(request)}"


def _slot(key: str, window: int) -> tuple[str, int]:
    """The counter of the current fixed window (windows aligned on multiples of ``window``
    seconds) and the seconds it has left."""
    now = time.time()
    slot = int(now // window)
    return f"{key}:{slot}", max(1, int((slot + 1) * window - now))


def count(key: str, window: int) -> None:
    """Add one to the counter of ``key`` for the current window of ``window`` seconds.

    Each window has its own key, and its lifetime is set again after every increment: Django's
    database cache implements `incr` as a get and a set with the *default* timeout (5 minutes),
    so a one-hour counter used to vanish after five quiet minutes (and one kept busy never
    expired)."""
    slotted, left = _slot(key, window)
    if cache.add(slotted, 1, left):
        return
    try:
        cache.incr(slotted)
    except ValueError:  # expired in between
        cache.add(slotted, 1, left)
        return
    cache.touch(slotted, left)


def current(key: str, window: int) -> int:
    """How many times ``key`` was counted in the current window."""
    return int(cache.get(_slot(key, window)[0]) or 0)


def over_limit(request: HttpRequest, bucket: str, *, per_window: int, window: int) -> bool:
    """Whether this address has used up ``bucket`` (counted by `hit`) in the current window."""
    return current(_key(request, bucket), window) >= per_window


def hit(request: HttpRequest, bucket: str, *, window: int) -> None:
    """Count one use of ``bucket`` by this address; the count lives ``window`` seconds."""
    count(_key(request, bucket), window)


def count_value(key: str, window: int) -> int:
    """`count`, returning the count after this use (an API client's limit compares it): one
    increment when the counter exists, which is every call of a window but its first."""
    try:
        value = int(cache.incr(key))
    except ValueError:  # no counter yet (or it expired): start one
        if cache.add(key, 1, window):
            return 1
        value = int(cache.incr(key))
    cache.touch(key, window)  # the database cache's incr rewrote it with the default timeout
    return value
