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
