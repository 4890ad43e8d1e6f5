"""Rate limits for public pages (no account), counted in the shared cache (settings.CACHES: the
database cache in the embedded mode, Redis when CACHE_URL says so), so that every worker process
of the server sees the same counts.

    if over_limit(request, "gop-y", per_window=5):
        … answer 429 …
    hit(request, "gop-y", window=3600)

The address is the client's (or, behind trusted reverse proxies, the one the nearest proxy saw)."""

from __future__ import annotations

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


def count(key: str, window: int) -> None:
    """Add one to a counter of the shared cache that lives ``window`` seconds."""
    if not cache.add(key, 1, window):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, window)


def over_limit(request: HttpRequest, bucket: str, *, per_window: int) -> bool:
    """Whether this address has used up ``bucket`` (counted by `hit`) in the current window."""
    return (cache.get(_key(request, bucket)) or 0) >= per_window


def hit(request: HttpRequest, bucket: str, *, window: int) -> None:
    """Count one use of ``bucket`` by this address; the count lives ``window`` seconds."""
    count(_key(request, bucket), window)


def count_value(key: str, window: int) -> int:
    """`count`, returning the count after this use (an API client's limit compares it): one
    increment when the counter exists, which is every call of a window but its first."""
    try:
        return int(cache.incr(key))
    except ValueError:  # no counter yet (or it expired): start one
        if cache.add(key, 1, window):
            return 1
        return int(cache.incr(key))
