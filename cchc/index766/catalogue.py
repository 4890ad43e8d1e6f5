"""The procedure catalogue's side of the 766 index: what each procedure counts for in a period
(publication deadlines in working days, in force, offered online, paper result, parts public)
and which procedures a unit carries out. Decided once per procedure; `facts.gather` adds them
up the tree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from cchc.core.text import fold
from cchc.core.working_calendar import current_calendar
from cchc.core.workingtime import WorkingCalendar, WorkingTimeError
from cchc.orgs.models import Unit, UnitKind
from cchc.procedures.models import ApplicantType, Component, Level, OnlineMode, Procedure, Step

from .results import UnitFacts

# --- working days --------------------------------------------------------------------------------


class WorkingDays:
    """Counting working days on the calendar in force (read once per computation: the
    administrator's calendar table is a query), remembering the days already looked up."""

    def __init__(self, calendar: WorkingCalendar | None = None) -> None:
        self.calendar = calendar or current_calendar()
        self._known: dict[dt.date, bool] = {}

    def is_working(self, day: dt.date) -> bool:
        found = self._known.get(day)
        if found is None:
            try:
                found = self.calendar.is_working_day(day)
            except WorkingTimeError:  # outside the calendar's years: weekdays only
                found = day.weekday() < 5
            self._known[day] = found
        return found

    def shift(self, day: dt.date, n: int) -> dt.date:
        """The date n working days after ``day`` (before it when n < 0), not counting ``day``."""
        step = 1 if n >= 0 else -1
        left = abs(n)
        while left:
            day += dt.timedelta(days=step)
            if self.is_working(day):
                left -= 1
        return day


# --- per procedure ---------------------------------------------------------------------------------


@dataclass
class ProcedureFacts:
    id: int
    code: str
    name: str
    agency_id: int
    agency_path: str
    level: str
    in_force: bool
    online: bool
    citizen: bool | None  # None: applicant not recorded
    fee: bool
    paper_result: bool
    made_public: bool
    complete: bool
    publish_on_time: bool | None  # None: not due in the period
    basis_date_known: bool
    public_on_time: bool | None


def paper_result(result_type: str, words: list[str]) -> bool:
    """Whether the procedure's result is a paper document: a recorded result that is not one of
    the database-only results (`non_document_result_words`). An unrecorded result is not
    assumed to be paper."""
    text = fold(result_type or "")
    return bool(text) and not any(w in text for w in words)


def procedure_facts(row: dict, a: dt.date, b: dt.date, cfg: dict, days: WorkingDays) -> ProcedureFacts:
    """One procedure's facts for the period [a, b) (local dates)."""
    lead = cfg["publish_lead_working_days"][cfg["authority"]]
    public_days = cfg["make_public_working_days"][cfg["authority"]]
    publish_on_time = public_on_time = None
    effective = row["legal_basis_effective_on"]
    if effective is not None:
        due = days.shift(effective, -lead)
        if a <= due < b:
            published = row["published_on"]
            publish_on_time = published is not None and published <= due
    published = row["published_on"]
    if published is not None:
        due = days.shift(published, public_days)
        if a <= due < b:
            public_on_time = row["made_public_on"] is not None and row["made_public_on"] <= due
    in_force = (row["valid_from"] is None or row["valid_from"] < b) and (
        row["valid_to"] is None or row["valid_to"] >= a
    )
    made_public = in_force and row["made_public_on"] is not None and row["made_public_on"] < b
    applicant = row["applicant_type"]
    # The spec's parts: name, steps, method (the online mode, always recorded), components, time
    # limit, applicant, agency (always recorded).
    complete = bool(
        row["name"].strip()
        and row["has_steps"]
        and row["has_components"]
        and row["processing_time"] is not None
        and applicant
    )
    return ProcedureFacts(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        agency_id=row["agency_id"],
        agency_path=row["agency__path"],
        level=row["level"],
        in_force=in_force,
        online=row["online_mode"] in (OnlineMode.FULL, OnlineMode.PARTIAL),
        citizen=None if not applicant else applicant in (ApplicantType.CITIZEN, ApplicantType.BOTH),
        fee=bool(row["fee_amount"]),
        paper_result=paper_result(row["result_type"], cfg["non_document_result_words"]),
        made_public=made_public,
        complete=made_public and complete,
        publish_on_time=publish_on_time,
        public_on_time=public_on_time,
        basis_date_known=effective is not None,
    )


def procedures_of(root: Unit | None, a: dt.date, b: dt.date, cfg: dict) -> dict[int, ProcedureFacts]:
    """The catalogue under ``root`` (everything when None), plus the commune-level procedures
    recorded at its ancestors (the province, for every commune)."""
    qs = Procedure.objects.all()
    if root is not None:
        qs = qs.filter(
            Q(agency__path__startswith=root.path) | Q(level=Level.COMMUNE, agency_id__in=root.ancestor_ids())
        )
    rows = qs.annotate(
        has_steps=Exists(Step.objects.filter(procedure=OuterRef("pk"))),
        has_components=Exists(Component.objects.filter(procedure=OuterRef("pk"))),
    ).values(
        "id", "code", "name", "agency_id", "agency__path", "level", "online_mode", "fee_amount",
        "result_type", "applicant_type", "published_on", "legal_basis_effective_on", "made_public_on",
        "valid_from", "valid_to", "processing_time", "has_steps", "has_components",
    )  # fmt: skip
    days = WorkingDays()
    return {row["id"]: procedure_facts(row, a, b, cfg, days) for row in rows.order_by()}


def add_catalogue(f: UnitFacts, p: ProcedureFacts, publish: dict, public: dict) -> None:
    # one late publication makes the code late for the period
    if p.publish_on_time is not None:
        publish[p.code] = publish.get(p.code, True) and p.publish_on_time
    if p.public_on_time is not None:
        public[p.code] = public.get(p.code, True) and p.public_on_time
    if p.made_public:
        f.made_public += 1
        f.public_complete += p.complete
    if not p.in_force:
        return
    f.procedures += 1
    f.publish_unknown += not p.basis_date_known
    f.procedures_online += p.online
    f.fee_procedures += p.fee
    if p.citizen is None:
        f.applicant_unknown += 1
    elif p.citizen:
        f.citizen_procedures += 1


def in_catalogue(unit: Unit, province_id: int | None):
    """Whether a procedure is one the unit carries out (see `procedures_of`)."""
    is_commune = unit.kind == UnitKind.COMMUNE

    def test(p: ProcedureFacts) -> bool:
        if p.agency_path.startswith(unit.path):
            return True
        return is_commune and p.level == Level.COMMUNE and p.agency_id == province_id

    return test
