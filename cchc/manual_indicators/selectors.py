"""Reads for the manual-indicator pages, already scoped to the user (cchc.orgs.access).

Who sees a definition: everyone whose unit it applies to (an officer of a unit in its scope),
and coordinators, leaders and admins of a subtree that it touches — defined in that subtree, or
defined above it and so applying to it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from cchc.core.actors import Actor
from cchc.core.collation import vi
from cchc.core.periods import ReportingWindow
from cchc.core.text import vi_sort_key
from cchc.orgs.access import SUBTREE_ROLES, Access
from cchc.orgs.models import Role, Unit

from .models import ManualIndicator, ManualReport
from .periods import current_period, open_periods
from .rollup import (
    UNIT_FIELDS,
    Figure,
    ManualValue,
    in_scope,
    manual_value,
    manual_value_by_code,
    rollup_all,
    scope_units,
)

# The roll-up selectors other apps call (plan targets): defined in .rollup, not scoped to a user.
__all__ = ["manual_value", "manual_value_by_code"]

REPORT_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.OFFICER)


def _ancestor_ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def _visibility_q(access: Access) -> Q:
    if access.is_superuser:
        return Q()
    parts = []
    for g in access.grants:
        parts.append(Q(unit_id__in=_ancestor_ids(g.path)))  # defined above (or at) the unit
        if g.role in SUBTREE_ROLES:
            parts.append(Q(unit__path__startswith=g.path))  # defined inside the subtree
    return reduce(or_, parts) if parts else Q(pk__in=[])


def _officer_only_grants(access: Access) -> dict[int, Unit]:
    """Units the user is only an officer of (nothing above them), with their kind."""
    ids = {g.unit_id for g in access.grants if g.role == Role.OFFICER}
    return Unit.objects.in_bulk(ids) if ids else {}


def visible_definitions(*, user: Actor) -> list[ManualIndicator]:
    access = Access.for_user(user)
    definitions = list(
        ManualIndicator.objects.filter(_visibility_q(access))
        .select_related("unit")
        .order_by("-active", vi("name"), "id")
    )
    if access.is_superuser:
        return definitions
    officer_units = _officer_only_grants(access)

    def visible(d: ManualIndicator) -> bool:
        for g in access.grants:
            if g.role in SUBTREE_ROLES and (d.unit.path.startswith(g.path) or g.path.startswith(d.unit.path)):
                return True
            if g.role == Role.OFFICER and g.path.startswith(d.unit.path):
                if d.applies_to_kind(officer_units[g.unit_id].kind):
                    return True
        return False

    return [d for d in definitions if visible(d)]


def definition_get(*, user: Actor, pk: int, manage: bool = False) -> ManualIndicator:
    definition = get_object_or_404(ManualIndicator.objects.select_related("unit"), pk=pk)
    access = Access.for_user(user)
    if manage:
        if not access.can_manage_unit(definition.unit):
            raise PermissionDenied("Chỉ cán bộ điều phối CCHC của đơn vị ban hành được sửa chỉ số này.")
    elif definition.pk not in {d.pk for d in visible_definitions(user=user)}:
        raise PermissionDenied("Bạn không có quyền xem chỉ số này.")
    return definition


def definition_units(*, user: Actor):
    """Units the user may define indicators for: current units they coordinate (provinces,
    communes, agencies, and the units of their own grants)."""
    access = Access.for_user(user)
    grant_ids = [g.unit_id for g in access.grants]
    return (
        access.managed_units()
        .current()
        .filter(Q(kind__in=["province", "commune", "agency"]) | Q(pk__in=grant_ids))
        .order_by("path")
    )


@dataclass
class IndexRow:
    definition: ManualIndicator
    period: ReportingWindow
    expected: int = 0
    reported: int = 0
    can_manage: bool = False
    can_report: bool = False
    mine: list[tuple[Unit, bool]] = field(default_factory=list)  # officer's own units: reported?

    @property
    def due(self) -> dt.date:
        return self.period.due_on


def index_rows(*, user: Actor, today: dt.date) -> list[IndexRow]:
    """Each visible definition with its current period and, over the units of its scope the
    user may read, how many have reported. A fixed number of queries."""
    access = Access.for_user(user)
    definitions = visible_definitions(user=user)
    if not definitions:
        return []
    roots = sorted({d.unit.path for d in definitions})
    roots = [p for i, p in enumerate(roots) if not any(p.startswith(q) for q in roots[:i])]
    units = list(
        Unit.objects.filter(reduce(or_, [Q(path__startswith=p) for p in roots]))
        .filter(access.units_q((*SUBTREE_ROLES, Role.OFFICER)))
        .only(*UNIT_FIELDS)
    )
    rows = [IndexRow(d, current_period(d.periodicity, today)) for d in definitions]
    reported = set(
        ManualReport.objects.filter(
            indicator__in=definitions, period__in={r.period.key for r in rows}
        ).values_list("indicator_id", "period", "unit_id")
    )
    officer_ids = {g.unit_id for g in access.grants if g.role == Role.OFFICER}
    for row in rows:
        d = row.definition
        row.can_manage = access.can_manage_unit(d.unit)
        for u in units:
            if not in_scope(d, u, row.period):
                continue
            done = (d.pk, row.period.key, u.pk) in reported
            row.expected += 1
            row.reported += done
            if u.pk in officer_ids:
                row.mine.append((u, done))
            row.can_report = row.can_report or (d.active and access.covers(u, REPORT_ROLES))
    return rows


# agencies first, then the other bodies, then communes, as provincial reports list them
KIND_ORDER = {"agency": 0, "subunit": 1, "other": 2, "commune": 3, "district": 4, "province": 5}


def _tree_order(units: dict[int, Unit]):
    """Sort key: the tree, with siblings by kind then name (ids in `path` carry no meaning)."""

    def key(unit: Unit):
        chain = [units.get(i) for i in _ancestor_ids(unit.path)]
        return [(KIND_ORDER.get(u.kind, 9), vi_sort_key(u.name)) if u else (-1, ("", "")) for u in chain]

    return key


@dataclass
class OverviewRow:
    unit: Unit
    indent: int
    report: ManualReport | None
    figure: Figure | None  # the unit's subtree figure, when units below it reported too
    expected: bool
    drill: bool  # units below it are in scope: link to their own overview


@dataclass
class Overview:
    value: ManualValue
    rows: list[OverviewRow]
    periods: list[ReportingWindow]
    can_report: bool

    @property
    def has_subtotals(self) -> bool:
        return any(row.figure for row in self.rows)

    @property
    def missing(self) -> list[Unit]:
        return [row.unit for row in self.rows if row.expected and not row.report]

    @property
    def definition(self) -> ManualIndicator:
        return self.value.definition


def overview_root(*, user: Actor, definition: ManualIndicator, unit_id: int | None) -> Unit:
    """The unit whose subtree the overview shows: the one asked for, else the definition's
    unit for those who oversee it, else the user's own highest unit in the definition's scope."""
    access = Access.for_user(user)
    if unit_id:
        unit = get_object_or_404(Unit, pk=unit_id)
        if definition.unit.path.startswith(unit.path):
            unit = definition.unit
        if not unit.path.startswith(definition.unit.path) or not access.can_read_unit(unit):
            raise PermissionDenied("Bạn không có quyền xem số liệu của đơn vị này.")
        return unit
    if access.can_read_unit(definition.unit):
        return definition.unit
    own = (
        Unit.objects.filter(access.units_q((*SUBTREE_ROLES, Role.OFFICER)))
        .filter(path__startswith=definition.unit.path)
        .order_by("depth", "path")
        .first()
    )
    if own is None:
        raise PermissionDenied("Chỉ số này không áp dụng cho đơn vị của bạn.")
    return own


def overview(
    *, user: Actor, definition: ManualIndicator, root: Unit, period_key: str, today: dt.date
) -> Overview:
    """Units of `root`'s subtree with their figures for the period; the root's figure on top.
    An officer sees only their own unit's row."""
    access = Access.for_user(user)
    value = manual_value(definition, root, period_key)
    figures = rollup_all(definition, list(value.reports.values()))
    if access.can_oversee_unit(root):
        units = {u.pk: u for u in value.expected}
        units.update({r.unit_id: r.unit for r in value.reports.values()})  # reported, since out of scope
    else:
        units = {root.pk: root}
    expected_ids = {u.pk for u in value.expected}
    parents_of_expected = {a for u in value.expected for a in _ancestor_ids(u.path)[:-1]}
    order = _tree_order({**units, root.pk: root})
    top = min((u.depth for u in units.values()), default=root.depth)
    rows = []
    for unit in sorted(units.values(), key=order):
        report = value.reports.get(unit.pk)
        fig = figures.get(unit.pk)
        below = fig is not None and fig.reports > (1 if report else 0)
        rows.append(
            OverviewRow(
                unit=unit,
                indent=unit.depth - top,
                report=report,
                figure=fig if below else None,
                expected=unit.pk in expected_ids,
                drill=unit.pk != root.pk and unit.pk in parents_of_expected,
            )
        )
    can_report = definition.active and any(access.covers(u, REPORT_ROLES) for u in value.expected)
    return Overview(value, rows, open_periods(definition.periodicity, today, years=3), can_report)


def report_units(*, user: Actor, definition: ManualIndicator, period: ReportingWindow):
    """Units of the definition's scope the user may report for in the period."""
    access = Access.for_user(user)
    return scope_units(definition, period).filter(access.units_q(REPORT_ROLES)).order_by("path")


def report_history(*, report: ManualReport):
    """The audit rows of one report, newest first (creation and each correction)."""
    from cchc.core.models import AuditEntry

    return AuditEntry.objects.filter(
        object_type=ManualReport._meta.label_lower, object_id=str(report.pk)
    ).select_related("actor")
