"""The request of a page behind the sign-in: `request.user` is a signed-in `User`.

`cchc.core.middleware.LoginRequiredMiddleware` sends everyone else to the sign-in page, so the
views of the apps type their request as `AuthedRequest`; the public pages (dossier lookup,
feedback, the simulated gateway) use `cchc.core.http.HtmxRequest`.
"""

from __future__ import annotations

from cchc.core.http import HtmxRequest

from .models import User


class AuthedRequest(HtmxRequest):
    user: User
