"""Errors that services raise for people to read (Vietnamese, saying what and where)."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "ValidationError", "ServiceError"]


class ServiceError(ValidationError):
    """A business rule refused the operation; the message is shown as is."""
