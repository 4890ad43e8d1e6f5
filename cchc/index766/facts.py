"""The facts of the 766 index for every unit of a subtree and one period, from the database with a
fixed number of grouped queries whatever the number of dossiers:

1. dossiers handled in the period (received or finished in it), grouped by (handling unit,
   procedure), with one conditional count per fact;
2. online payments made in the period, as distinct (handling unit, procedure) pairs;
3. feedback received in the period, grouped by unit;
4. the procedure catalogue of the subtree (and, for communes, the commune-level procedures
   their province records for every commune);
5. the communes' electronic certified copies.

Then everything is added up the tree in Python along `Unit.path`: a unit's figure is computed
over its whole subtree, never as an average of its children. The per-procedure facts
(publication deadlines, paper result, parts public) are decided once per procedure in
`catalogue.py`; the queries are in `queries.py`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from cchc.core.periods import CalendarPeriod
from cchc.orgs.models import Unit, UnitKind
from cchc.procedures.models import Level

from .catalogue import ProcedureFacts, add_catalogue, in_catalogue, procedures_of
from .models import CertifiedCopyOffer
from .queries import bounds, dossier_rows, feedback_rows, online_payment_pairs
from .results import UnitFacts

# --- adding up the tree ------------------------------------------------------------------------------


@dataclass
class Gathered:
    units: dict[int, Unit]
    facts: dict[int, UnitFacts]
    durations: dict[int, dict[int, list]] = field(default_factory=dict)  # unit → procedure → [n, µs, h]
    procedures: dict[int, ProcedureFacts] = field(default_factory=dict)


def _ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def gather(root: Unit | None, period: CalendarPeriod, cfg: dict) -> Gathered:
    """The rolled-up `UnitFacts` of every unit of ``root``'s subtree (all units when None) that
    exists during the period."""
    a, b = bounds(period)
    a_day, b_day = period.a.date(), period.b.date()
    unit_qs = Unit.objects.all() if root is None else Unit.objects.filter(path__startswith=root.path)
    units = {
        u.pk: u
        for u in unit_qs.only("id", "code", "name", "kind", "path", "parent_id", "valid_from", "valid_to")
    }
    present = {
        pk
        for pk, u in units.items()
        if (u.valid_from is None or u.valid_from < b_day) and (u.valid_to is None or u.valid_to >= a_day)
    }
    facts = {pk: UnitFacts(is_commune=units[pk].kind == UnitKind.COMMUNE) for pk in present}
    chains: dict[int, list[int]] = {}

    def chain(unit_id: int) -> list[int]:
        """The unit and its ancestors that are computed here."""
        found = chains.get(unit_id)
        if found is None:
            u = units.get(unit_id)
            found = chains[unit_id] = [i for i in _ids(u.path) if i in facts] if u else []
        return found

    def add(unit_id: int, name: str, amount: int) -> None:
        if amount:
            for i in chain(unit_id):
                setattr(facts[i], name, getattr(facts[i], name) + amount)

    # catalogue
    procedures = procedures_of(root, a_day, b_day, cfg)
    province_of = _provinces(units, facts)
    commune_level: dict[int, list[ProcedureFacts]] = defaultdict(list)  # province id → procedures
    publish: dict[int, dict[str, bool]] = defaultdict(dict)
    public: dict[int, dict[str, bool]] = defaultdict(dict)
    for p in procedures.values():
        if p.level == Level.COMMUNE:
            commune_level[p.agency_id].append(p)  # read by the communes of that province
        for i in _ids(p.agency_path):
            if i in facts:
                add_catalogue(facts[i], p, publish[i], public[i])
    for pk, f in facts.items():
        if f.is_commune and province_of.get(pk) is not None:
            for p in commune_level.get(province_of[pk], ()):
                add_catalogue(f, p, publish[pk], public[pk])
    for pk, f in facts.items():
        f.publish_due, f.publish_on_time = len(publish[pk]), sum(publish[pk].values())
        f.public_due, f.public_on_time = len(public[pk]), sum(public[pk].values())

    # dossiers: counts, and the procedures each unit's subtree had dossiers of
    with_dossiers: dict[int, set[int]] = defaultdict(set)
    with_vneid: dict[int, set[int]] = defaultdict(set)
    paid: dict[int, set[int]] = defaultdict(set)
    durations: dict[int, dict[int, list]] = defaultdict(dict)
    for row in dossier_rows(root, a, b, cfg):
        uid, pid = row["handling_unit_id"], row["procedure_id"]
        p = procedures.get(pid)
        paper = p.paper_result if p is not None else False
        for name in ("R", "S", "S_on_time", "S_complaint_or_unsatisfied", "R_synced_realtime", "R_digitised",
                     "R_reused", "R_data_store", "R_vneid", "R_fee", "R_fee_paid_online"):  # fmt: skip
            add(uid, name, row[name])
        add(uid, "R_online_counted", row["R_online_electronic"] if paper else row["R_online"])
        if paper:
            add(uid, "F_paper_granted", row["F_granted"])
            add(uid, "F_paper_granted_electronic", row["F_granted_electronic"])
        elapsed = row["F_elapsed"]
        for i in chain(uid):
            with_dossiers[i].add(pid)
            if row["R_fee_paid_online"]:
                paid[i].add(pid)
            if row["R_vneid"]:
                with_vneid[i].add(pid)
            if row["F"]:
                slot = durations[i].setdefault(pid, [0, 0, 0])
                slot[0] += row["F"]
                slot[1] += _microseconds(elapsed)
                slot[2] += row["F_paused"] or 0

    # online payments: dossiers received in the period and paid online (the flag the payment
    # events set, also on imported dossiers), and payment records paid online in the period
    for uid, pid in online_payment_pairs(root, a, b):
        for i in chain(uid):
            paid[i].add(pid)
    for pk, f in facts.items():
        mine = in_catalogue(units[pk], province_of.get(pk))
        for pid in with_dossiers.get(pk, ()):
            p = procedures.get(pid)
            if p is not None and p.in_force and p.fee and mine(p):
                f.fee_procedures_with_dossiers += 1
        for pid in paid.get(pk, ()):
            p = procedures.get(pid)
            if p is not None and p.in_force and p.fee and mine(p):
                f.fee_procedures_paid_online += 1
        for pid in with_vneid.get(pk, ()):
            p = procedures.get(pid)
            if p is not None and p.in_force and p.citizen and mine(p):
                f.citizen_procedures_connected += 1

    for row in feedback_rows(root, a, b):
        add(row["unit_id"], "feedback", row["feedback"])
        add(row["unit_id"], "feedback_on_time", row["feedback"] - row["late"])
        add(row["unit_id"], "feedback_bad", row["feedback_bad"])

    offering = _offering_communes(b_day)
    for pk in facts:
        if units[pk].kind == UnitKind.COMMUNE:
            add(pk, "communes", 1)
            add(pk, "communes_offering", int(pk in offering))
    return Gathered(units, facts, dict(durations), procedures)


def _provinces(units: dict[int, Unit], facts: dict) -> dict[int, int]:
    """commune id → the id of its province (the nearest ancestor of kind province; it may lie
    above the computed subtree, then it is looked up)."""
    out: dict[int, int] = {}
    missing: dict[int, list[int]] = {}
    for pk in facts:
        u = units[pk]
        if u.kind != UnitKind.COMMUNE:
            continue
        ancestors = _ids(u.path)[:-1]
        known = [i for i in reversed(ancestors) if i in units and units[i].kind == UnitKind.PROVINCE]
        if known:
            out[pk] = known[0]
        else:
            missing[pk] = ancestors
    if missing:
        wanted = {i for ids in missing.values() for i in ids}
        provinces = set(
            Unit.objects.filter(pk__in=wanted, kind=UnitKind.PROVINCE).values_list("pk", flat=True)
        )
        for pk, ancestors in missing.items():
            found = [i for i in reversed(ancestors) if i in provinces]
            if found:
                out[pk] = found[0]
    return out


def _offering_communes(b_day: dt.date) -> set[int]:
    return set(
        CertifiedCopyOffer.objects.filter(offered=True)
        .filter(Q(since__isnull=True) | Q(since__lt=b_day))
        .values_list("unit_id", flat=True)
    )


def _microseconds(value) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.timedelta):
        return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    return int(value)
