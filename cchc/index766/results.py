"""What the 766 formulas read (`UnitFacts`: the counts of one unit's subtree in one period) and
what they return (`Result`: numerator, denominator and points, or why it is not computable)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal


@dataclass
class UnitFacts:
    """What the formulas read for one unit (its subtree) and one period. Counts of procedures
    are over the unit's catalogue (`facts.catalogue_of`); counts of dossiers over the dossiers
    its subtree handles; R = received in the period, F = finished in it, S = R ∪ F."""

    is_commune: bool = False
    # catalogue: publication (distinct procedure codes)
    publish_due: int = 0  # codes whose publishing decision fell due in the period
    publish_on_time: int = 0
    publish_unknown: int = 0  # procedures without the legal basis' effective date
    public_due: int = 0  # codes whose making public fell due in the period
    public_on_time: int = 0
    made_public: int = 0  # procedures public in the national database by the end of the period
    public_complete: int = 0
    procedures: int = 0  # procedures in force in the period
    procedures_online: int = 0
    citizen_procedures: int = 0
    citizen_procedures_connected: int = 0
    applicant_unknown: int = 0
    fee_procedures: int = 0
    fee_procedures_paid_online: int = 0
    fee_procedures_with_dossiers: int = 0
    communes: int = 0
    communes_offering: int = 0
    # dossiers
    R: int = 0
    S: int = 0
    S_on_time: int = 0
    S_complaint_or_unsatisfied: int = 0
    R_synced_realtime: int = 0
    R_online_counted: int = 0  # online, with an electronic result where a paper one is required
    F_paper_granted: int = 0
    F_paper_granted_electronic: int = 0
    R_digitised: int = 0
    R_reused: int = 0
    R_data_store: int = 0
    R_vneid: int = 0
    R_fee: int = 0
    R_fee_paid_online: int = 0
    # feedback (PAKN) received in the period
    feedback: int = 0
    feedback_on_time: int = 0
    feedback_bad: int = 0  # overdue, rated unsatisfied, or complained about again


@dataclass
class Result:
    code: str
    numerator: int | None = None
    denominator: int | None = None
    points: Decimal | None = None  # None: not computable
    reason: str = ""  # why it is not computable
    note: str = ""  # the rule or assumption that produced the figure
    parts: dict = field(default_factory=dict)

    @property
    def computable(self) -> bool:
        return self.points is not None

    def as_json(self) -> dict:
        out = asdict(self)
        out["points"] = None if self.points is None else str(self.points)
        return out
