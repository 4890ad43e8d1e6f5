"""Request types for views: what the middleware adds to Django's `HttpRequest`.

`HtmxRequest` is any request (django-htmx's middleware adds `request.htmx`): type the public
views with it. The pages behind the sign-in use `cchc.orgs.http.AuthedRequest`, whose `user` is
a signed-in user (`cchc.core.middleware.LoginRequiredMiddleware` lets no one else through).
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails
