"""A request body over the limit is refused before it is read (413), whatever the URL."""

from django.test import RequestFactory

from cchc.core.middleware import RequestBodyLimitMiddleware


def test_oversized_body_is_refused_before_reading(settings):
    settings.CCHC_MAX_REQUEST_BYTES = 1024 * 1024
    reached = []
    middleware = RequestBodyLimitMiddleware(lambda request: reached.append(request) or None)
    request = RequestFactory().post("/gop-y/", data=b"x", content_type="application/octet-stream")
    request.META["CONTENT_LENGTH"] = str(2 * 1024 * 1024)
    response = middleware(request)
    assert response.status_code == 413 and "tối đa 1 MB" in response.content.decode()
    assert not reached
    request.META["CONTENT_LENGTH"] = "1000"
    middleware(request)
    assert reached


def test_the_limit_is_in_the_stack(client, settings):
    assert "cchc.core.middleware.RequestBodyLimitMiddleware" in settings.MIDDLEWARE
    response = client.generic("POST", "/gop-y/", b"", CONTENT_LENGTH=str(settings.CCHC_MAX_REQUEST_BYTES + 1))
    assert response.status_code == 413


def test_a_counter_keeps_its_window_after_increments(db):
    """The database cache's incr rewrites a key with the default 5-minute timeout; a one-hour
    counter must still live until the end of its hour after being counted again."""
    import time

    from django.core.cache import cache
    from django.db import connection

    from cchc.core import ratelimit

    if "DatabaseCache" not in type(cache).__name__:
        return  # Redis keeps a key's lifetime on INCR; nothing to check
    for _ in range(3):
        ratelimit.count("cchc:thu", 3600)
    assert ratelimit.current("cchc:thu", 3600) == 3
    slotted, left = ratelimit._slot("cchc:thu", 3600)
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM cchc_cache WHERE cache_key LIKE %s", [f"%{slotted}"])
        (expires,) = cursor.fetchone()
    lives = expires.timestamp() - time.time()
    assert lives > min(left, 3600) - 5 and (left < 300 or lives > 300), lives
