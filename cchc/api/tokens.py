"""API tokens: 256 random bits, shown once; only their SHA-256 is stored and looked up."""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "cchc_"


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def shown_prefix(token: str) -> str:
    """What the administrator's list shows of a token, to tell them apart (not enough to use one)."""
    return token[: len(PREFIX) + 6]
