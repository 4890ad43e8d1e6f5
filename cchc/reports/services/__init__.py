"""Writes of periodic reports: keyword-only, one transaction each, audited (docs/reports.md)."""

from .reports import (
    report_accept,
    report_open,
    report_refresh,
    report_return,
    report_save,
    report_submit,
)
from .schedule import schedule_save, schedules_save

__all__ = [
    "report_accept",
    "report_open",
    "report_refresh",
    "report_return",
    "report_save",
    "report_submit",
    "schedule_save",
    "schedules_save",
]
