"""Helpers for the API tests (no tests here): register clients, call the API with a token."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from cchc.api.services import client_register
from cchc.core.actors import SYSTEM

BASE = "/api/v1"


def register(unit, scope="read", name=None, **kw) -> tuple[Any, str]:
    r = client_register(
        actor=SYSTEM, name=name or f"Ứng dụng {unit.code} {scope}", unit=unit, scope=scope, **kw
    )
    return r.client, r.token


class Api:
    """The Django test client speaking to /api/v1 with one token."""

    def __init__(self, token: str | None):
        self.http = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any):
        return self.http.get(BASE + path, params, headers=self.headers)

    def post(self, path: str, body: Any):
        return self.http.post(
            BASE + path, json.dumps(body), content_type="application/json", headers=self.headers
        )
