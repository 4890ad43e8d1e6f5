"""Errors that services raise for people to read (Vietnamese, saying what and where).

A `ServiceError` carries two things: the message shown as is on the web page (a text, or a
dict of field → text for a form), and a stable snake_case `code` naming the rule that refused
(`dossier_wrong_state`, `not_in_subtree`, …) for programs and tests. Codes never change with
the wording; docs/errors.md lists every code, what it means and where it is raised (a test
checks that every code used in `cchc/` is listed there).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "ValidationError", "ServiceError"]

# a text, field name → text(s) for a form, or several texts
Message = str | dict[str, Any] | list[Any]


class ServiceError(ValidationError):
    """A business rule refused the operation; the message is shown as is, `code` names the rule."""

    code: str

    def __init__(self, message: Message, *, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(message, code=code, params=params)
        # ValidationError keeps `code` only for a single message; a refusal of a form's fields (a
        # dict) or of several things (a list) is still one refusal with one code.
        self.code = code
