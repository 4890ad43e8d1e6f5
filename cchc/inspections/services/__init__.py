"""Writes of inspections: keyword-only, one transaction each, audited (docs/inspections.md)."""

from .conduct import (
    finding_add,
    finding_remove,
    inspection_conclude,
    inspection_start,
    read_deadline,
    result_evidence_add,
    results_save,
)
from .plans import (
    STANDARD_CHECKLIST,
    checklist_copy,
    checklist_item_add,
    checklist_item_remove,
    inspection_add,
    inspection_reschedule,
    plan_create,
    team_set,
)
from .remediation import remediation_accept, remediation_report, remediation_return

__all__ = [
    "STANDARD_CHECKLIST",
    "checklist_copy",
    "checklist_item_add",
    "checklist_item_remove",
    "finding_add",
    "finding_remove",
    "inspection_add",
    "inspection_conclude",
    "inspection_reschedule",
    "inspection_start",
    "plan_create",
    "read_deadline",
    "remediation_accept",
    "remediation_report",
    "remediation_return",
    "result_evidence_add",
    "results_save",
    "team_set",
]
