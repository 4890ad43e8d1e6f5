"""Reads of periodic reports, scoped to the user (docs/reports.md).

The register (sổ theo dõi) follows DHIS2's reporting-rate view: for a receiving unit and a
period, every unit that owes it the report, with *reported* (sent at least once), *on time*
(first sent by the due date) and *missing*; completeness = reported / expected, timeliness =
on time / expected, both in per cent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from cchc.core.actors import Actor
from cchc.core.collation import vi
from cchc.core.errors import PermissionDenied
from cchc.orgs.access import Access
from cchc.orgs.models import Unit

from . import windows
from .calendar import reporters_for, rule_for
from .models import Report
from .permissions import WRITER_ROLES, can_see_register, require_reader

ON_TIME, LATE, MISSING, NOT_DUE = "on_time", "late", "missing", "not_due"
STATUS_LABELS = {ON_TIME: "Đúng hạn", LATE: "Trễ hạn", MISSING: "Chưa gửi", NOT_DUE: "Chưa đến hạn"}


def writable_units(user: Actor) -> list[Unit]:
    """The units the user writes reports for (roles held at the unit itself)."""
    access = Access.for_user(user)
    if access.is_superuser:
        return list(Unit.objects.filter(depth=0, valid_to__isnull=True).order_by(vi("name")))
    ids = {g.unit_id for g in access.grants if g.role in WRITER_ROLES}
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


# What a list of reports shows holds none of a report's JSON (its sections, annex and facts: tens
# of kilobytes each); reading them for 130 reports made the review queue the dearest page.
HEAVY = ("sections", "annex", "facts")


def my_reports(*, user: Actor) -> QuerySet[Report]:
    units = writable_units(user)
    return (
        Report.objects.filter(unit__in=units)
        .defer(*HEAVY)
        .select_related("unit", "receiver")
        .order_by("-period_end", "unit__path")
    )


def review_queue(*, user: Actor) -> QuerySet[Report]:
    """Reports sent to units the user manages, waiting for a decision first."""
    access = Access.for_user(user)
    managed = access.units_q(("admin", "coordinator"), prefix="receiver__")
    return (
        Report.objects.filter(managed, receiver__isnull=False)
        .exclude(state=Report.State.DRAFT)
        .defer(*HEAVY)
        .select_related("unit", "receiver")
        .order_by("state", "-period_end", "unit__path")
    )


def report_get(*, user: Actor, pk: int) -> Report:
    report = Report.objects.select_related("unit", "receiver", "created_by").get(pk=pk)
    require_reader(user, report)
    return report


@dataclass
class RegisterRow:
    unit: Unit
    report: Report | None
    status: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Register:
    receiver: Unit
    kind: str
    year: int
    number: int
    due_on: dt.date
    rows: list[RegisterRow] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def reported(self) -> int:
        return self.count(ON_TIME) + self.count(LATE)

    def _rate(self, n: int) -> Decimal | None:
        if not self.expected:
            return None
        return (Decimal(100) * n / self.expected).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def completeness(self) -> Decimal | None:
        return self._rate(self.reported)

    @property
    def timeliness(self) -> Decimal | None:
        return self._rate(self.count(ON_TIME))

    @property
    def period_label(self) -> str:
        return windows.period_label(self.kind, self.year, self.number)


def register(
    *, user: Actor, receiver: Unit, kind: str, year: int, number: int, today: dt.date | None = None
) -> Register:
    """Who reported to ``receiver`` for the period (two queries whatever the number of units)."""
    if not can_see_register(user, receiver):
        raise PermissionDenied("Bạn không có quyền xem tình hình nộp báo cáo của đơn vị này.")
    today = today or timezone.localdate()
    rule = rule_for(receiver.province() or receiver, kind, year)
    due = windows.due_date(windows.window(kind, year, number).end, rule.due_after_days)
    # Only the columns the register shows: a report row also holds its sections, annex and
    # facts (JSON of tens of kilobytes each), which 130 reports made the page's dearest part.
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(receiver=receiver, kind=kind, year=year, number=number).only(
            "id", "unit_id", "state", "first_submitted_at", "due_on"
        )
    }
    out = Register(receiver, kind, year, number, due)
    for unit in reporters_for(receiver, kind, year):
        report = reports.get(unit.pk)
        if report is not None and report.first_submitted_at is not None:
            status = ON_TIME if timezone.localdate(report.first_submitted_at) <= report.due_on else LATE
        else:
            status = NOT_DUE if today <= due else MISSING
        out.rows.append(RegisterRow(unit, report, status))
    return out


def register_receivers(user: Actor) -> list[Unit]:
    """Units whose register the user may read and that others report to."""
    access = Access.for_user(user)
    units = Unit.objects.filter(access.units_q(("admin", "coordinator", "leader")), valid_to__isnull=True)
    return list(units.filter(Q(children__isnull=False)).distinct().order_by("depth", vi("name"))[:50])
