"""Who calls: `Authorization: Bearer <token>` → the registered client, if its token is neither
revoked nor expired; then the client's rate limit, counted in the shared cache (every worker of
the server sees the same count, `cchc.core.ratelimit.count`)."""

from __future__ import annotations

import datetime as dt
import time

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from cchc.core.actors import ApiClientActor
from cchc.core.ratelimit import count_value

from .models import ApiClient
from .tokens import token_hash

WINDOW = 60  # seconds: the limit is per client per minute
LAST_USED_EVERY = dt.timedelta(minutes=1)  # the "last used" column is not worth a write per request


class RateLimited(Exception):
    """The client used up its requests of the current minute (answered 429)."""


class WriteScopeRequired(Exception):
    """A read-only client called a write endpoint (answered 403)."""


class ClientAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        client = ApiClient.objects.select_related("unit").filter(token_hash=token_hash(token)).first()
        now = timezone.now()
        if client is None or not client.is_active(now):
            return None  # 401, the same answer for an unknown, a revoked and an expired token
        # a fixed window per minute, named by its number: the database cache's increment resets
        # a key's lifetime, so a counter kept alive by steady traffic would never end its window
        minute = int(time.time() // WINDOW)
        if count_value(f"cchc:api:{client.pk}:{minute}", WINDOW * 2) > client.rate_per_minute:
            raise RateLimited
        if client.last_used_at is None or now - client.last_used_at > LAST_USED_EVERY:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        request.api_client = client  # type: ignore[attr-defined]
        return client


def client_of(request: HttpRequest) -> ApiClient:
    """The calling client (set by `ClientAuth` on every authenticated request)."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    return client


def actor_of(request: HttpRequest) -> ApiClientActor:
    """The calling client as the actor of services and selectors."""
    return client_of(request).as_actor()


def require_write(request: HttpRequest) -> ApiClientActor:
    actor = actor_of(request)
    if not actor.can_write:
        raise WriteScopeRequired
    return actor
