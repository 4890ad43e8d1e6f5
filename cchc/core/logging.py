"""Logging filters.

A refused request (403: someone opened a page of another unit, or a link they lost the right
to) is an everyday event, not a fault: Django logs it with the whole traceback of the
PermissionDenied, which buried real errors under pages of noise. The filter keeps the one-line
warning ("Forbidden (Permission denied): /ho-so/…") and drops the traceback."""

from __future__ import annotations

import logging


class RefusalWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (403, 404) and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
