"""Live mode of the dossier indicators: the figures of docs/specs/dossier-exchange.md over the dossiers
in the database, for every unit up the tree and every live period (`live_periods`).

How they stay fresh: a dossier counts only in the periods that contain its receipt or its end, so
when an event changes a dossier, `dossier_changed` subtracts what the dossier contributed before and
adds what it contributes now — a handful of `MeasureTotal` upserts in the event's own transaction.
The figure is current the moment the event commits; nothing runs later, nothing can lag.
`dossiers_added` does the same for an import batch, `rebuild` (in `rebuild.py`) recomputes
everything from the dossiers. Reading sums the rows of a unit's subtree (`Unit.path` prefix) and
derives the indicators exactly as the file mode does (`definitions.indicator_value`).

A period still running is judged at its cut min(end, now) (docs/specs/dossier-exchange.md): the
stored totals hold everything except whether the dossiers *still open* are on time — that depends
on the moment — and reading adds those, judged now, from the open dossiers (`open_judged`, one
query by a partial index). So an open dossier becomes late at its due time with no event at all.

The contribution of one dossier to one period is `definitions.measures_for` — the reference
reading of the spec that the file mode is tested against — so live and file mode agree by
construction; tests/test_indicators_live.py checks it end to end.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone

from cchc.core.collation import vi
from cchc.dossiers.exchange import on_time_q
from cchc.dossiers.models import Dossier
from cchc.exchange.formats import TZ_LOCAL, datetime_to_local_us
from cchc.orgs.models import Unit

from .definitions import (
    INDICATORS,
    MEASURE_BY_CODE,
    MEASURE_CODES,
    IndicatorValue,
    indicator_value,
    measures_for,
)
from .live_periods import keys_containing, live_period
from .models import FIELD_OF, FIELDS, NS_PER_US, MeasureTotal
from .rebuild import compute_batch, compute_ids

TABLE = MeasureTotal._meta.db_table

# --- a dossier's contribution -------------------------------------------------------------------


def facts_of(state, *, unit_id: int, channel: str) -> dict | None:
    """What the measures read of a dossier (a `Dossier` or a `lifecycle.DossierState`): the exchange
    fields of `definitions.dossier_facts`. None while its clock has not started (not a dossier of
    the exchange, so in no figure)."""
    if state is None or state.received_at is None:
        return None
    return {
        "ma_don_vi": unit_id,
        "kenh": channel,
        "ket_qua": state.result or None,
        "so_lan_bo_sung": state.supplement_count,
        "co_nghia_vu_tai_chinh": bool(state.fee_due),
        "thanh_toan_truc_tuyen": bool(state.paid_online),
        "ket_qua_dien_tu": bool(state.electronic_result),
        "so_hoa": bool(state.digitised),
        "tai_su_dung": bool(state.data_reused),
        "xin_loi": bool(state.apologised),
        "danh_gia": state.rating or None,
        "tiep_nhan_luc": datetime_to_local_us(state.received_at),
        "han_tra": datetime_to_local_us(state.due_at),
        "ket_thuc_luc": datetime_to_local_us(state.finished_at) if state.finished_at else None,
        "tam_dung_gio": int(Decimal(state.paused_elapsed_hours) * 10**9),
    }


def _local(us: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=us)


def contributions(facts: Mapping | None, sign: int = 1) -> dict[tuple[int, str], dict[str, int]]:
    """(unit id, period key) → measure amounts of one dossier, times ``sign``."""
    out: dict[tuple[int, str], dict[str, int]] = {}
    if facts is None:
        return out
    keys = set(keys_containing(_local(facts["tiep_nhan_luc"])))
    if facts["ket_thuc_luc"] is not None:
        keys.update(keys_containing(_local(facts["ket_thuc_luc"])))
    for key in keys:
        period = live_period(key)
        found = measures_for(facts, period.a_us, period.b_us, open_judged_later=True)
        if found:
            out[(facts["ma_don_vi"], key)] = {code: sign * amount for code, amount in found.items()}
    return out


def _merge(into: dict, more: dict) -> None:
    for cell, amounts in more.items():
        bucket = into.setdefault(cell, {})
        for code, amount in amounts.items():
            bucket[code] = bucket.get(code, 0) + amount


# --- writing: deltas applied as upserts ------------------------------------------------------------


def _upsert_sql() -> str:
    cols = ", ".join(FIELDS)
    marks = ", ".join(["%s"] * (len(FIELDS) + 2))
    sets = ", ".join(f"{c} = {TABLE}.{c} + excluded.{c}" for c in FIELDS)
    return (
        f"INSERT INTO {TABLE} (unit_id, period, {cols}) VALUES ({marks}) "
        f"ON CONFLICT (unit_id, period) DO UPDATE SET {sets}"
    )


def apply_deltas(deltas: Mapping[tuple[int, str], Mapping[str, int]]) -> int:
    """Add measure amounts to the stored totals (in the caller's transaction); returns rows touched."""
    rows = []
    for (unit_id, key), amounts in deltas.items():
        values = [amounts.get(code, 0) for code in MEASURE_CODES]
        values[-1] //= NS_PER_US  # F_thoi_gian_ns is stored in µs (exact: pauses have ≤ 4 decimals)
        rows.append((unit_id, key, values))
    return add_rows(rows)


def add_rows(rows: Iterable[tuple[int, str, list[int]]]) -> int:
    """Upsert (unit id, period key, stored field values) increments. Rows go in a fixed order so
    that concurrent transactions never deadlock on each other's rows."""
    params = [[uid, key, *values] for uid, key, values in sorted(rows) if any(values)]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(_upsert_sql(), params)
    return len(params)


def dossier_changed(before, after, *, unit_id: int, channel: str) -> int:
    """Move a dossier's contribution from its state ``before`` an event to its state ``after``
    (either may be None). Called by the dossier services inside the event's transaction."""
    old = facts_of(before, unit_id=unit_id, channel=channel)
    new = facts_of(after, unit_id=unit_id, channel=channel)
    if old == new:
        return 0
    deltas = contributions(old, -1)
    _merge(deltas, contributions(new, 1))
    return apply_deltas(deltas)


def dossiers_changed(changes: Iterable) -> int:
    """`dossier_changed` of many dossiers (``(before, after, unit_id, channel)`` each), the
    deltas summed and written in one upsert: a batch of API events moves the totals once."""
    deltas: dict = {}
    for before, after, unit_id, channel in changes:
        old = facts_of(before, unit_id=unit_id, channel=channel)
        new = facts_of(after, unit_id=unit_id, channel=channel)
        if old != new:
            _merge(deltas, contributions(old, -1))
            _merge(deltas, contributions(new, 1))
    return apply_deltas(deltas)


BATCH_IN_SQL = 200  # from this many dossiers on, the batch is counted in DuckDB (rebuild.compute_batch)


def dossiers_added(dossiers: Iterable) -> int:
    """Add new dossiers (e.g. an import batch; saved or not, fields set) to the totals."""
    dossiers = list(dossiers)
    if len(dossiers) >= BATCH_IN_SQL:
        return add_rows(compute_batch(dossiers))
    deltas: dict = {}
    for d in dossiers:
        _merge(deltas, contributions(facts_of(d, unit_id=d.handling_unit_id, channel=d.channel)))
    return apply_deltas(deltas)


def dossiers_stored(ids: list[int]) -> int:
    """Add new dossiers already in the database (an import batch, by id) to the totals, counted
    in SQL from the stored rows (`rebuild.compute_ids`): no Python per dossier."""
    return add_rows(compute_ids(list(ids)))


class LiveTotals:
    """The live totals as an observer of the dossier app (`cchc.dossiers.observers`), registered
    from `IndicatorsConfig.ready()`: every dossier event and import batch moves them in its own
    transaction."""

    def dossier_changed(self, before, after, *, unit_id: int, channel: str) -> None:
        dossier_changed(before, after, unit_id=unit_id, channel=channel)

    def dossiers_added(self, dossiers) -> None:
        dossiers_added(dossiers)

    def dossiers_stored(self, ids) -> None:
        dossiers_stored(ids)

    def dossiers_changed(self, changes) -> None:
        dossiers_changed(changes)


LIVE_TOTALS = LiveTotals()


# --- reading -------------------------------------------------------------------------------------

_SUMS = {name: Sum(name) for name in FIELDS}


def _as_measures(row: Mapping[str, int | None]) -> dict[str, int]:
    out = {code: int(row.get(FIELD_OF[code]) or 0) for code in MEASURE_CODES}
    out["F_thoi_gian_ns"] *= NS_PER_US
    return out


def unit_totals(unit: Unit, period_key: str) -> dict[str, int]:
    """The measures of ``unit``'s whole subtree in a period: the stored totals (one indexed
    query) and the open dossiers judged now (one more)."""
    period = live_period(period_key)
    row = MeasureTotal.objects.filter(period=period_key, unit__path__startswith=unit.path).aggregate(**_SUMS)
    totals = _as_measures(row)
    for amounts in open_judged({period_key: period}, Q(handling_unit__path__startswith=unit.path)).values():
        for code, amount in amounts.items():
            totals[code] += amount
    return totals


# --- open dossiers, judged when read ----------------------------------------------------------------
# A dossier still open is on time or late depending on *when* it is judged: at the cut
# c = min(period end, now) of the spec. The stored totals leave it out of `ON_TIME_MEASURES`
# (`measures_for(open_judged_later=True)`); reading adds it here, so a figure is right the moment
# it is read — a dossier becomes late at its due time, with no event and no job.


def cut(period) -> dt.datetime:
    """The cut c = min(period end, now), aware."""
    return min(_aware(period.b), timezone.now())


def open_judged(
    periods: Mapping[str, Any], where: Q, by: str | None = None
) -> dict[tuple[str | None, str], dict[str, int]]:
    """The on-time measures of the dossiers open now, for each period (key → period) those
    received in [a, c) judged at its cut c: one aggregate query for every period at once (grouped
    by the field ``by`` when given, e.g. the handling unit's path). → {(group, key): measures}."""
    counts: dict[str, Count] = {}
    spans = []
    for key, period in periods.items():
        a, c = _aware(period.a), cut(period)
        if c <= a:
            continue
        i = len(spans)
        spans.append((key, a, c))
        received = Q(received_at__gte=a, received_at__lt=c)
        on = on_time_q(c)
        counts[f"n{i}"] = Count("id", filter=received)
        counts[f"on{i}"] = Count("id", filter=received & on)
        counts[f"ap{i}"] = Count("id", filter=received & Q(apologised=True))
        counts[f"apon{i}"] = Count("id", filter=received & on & Q(apologised=True))
    if not spans:
        return {}
    rows = Dossier.objects.filter(
        where,
        finished_at__isnull=True,
        received_at__gte=min(a for _, a, _ in spans),
        received_at__lt=max(c for _, _, c in spans),
    )
    found = rows.values(by).annotate(**counts).order_by() if by else [rows.aggregate(**counts)]
    out: dict[tuple[str | None, str], dict[str, int]] = {}
    for row in found:
        group = row[by] if by else None
        for i, (key, _, _) in enumerate(spans):
            if row[f"n{i}"]:
                out[(group, key)] = {
                    "S_dung_han": row[f"on{i}"],
                    "S_tre_han": row[f"n{i}"] - row[f"on{i}"],
                    "S_tre_han_xin_loi": row[f"ap{i}"] - row[f"apon{i}"],
                }
    return out


def values_from(
    totals: Mapping[str, int], unit_code: str = "", period_key: str = ""
) -> dict[str, IndicatorValue]:
    return {i.code: indicator_value(i, unit_code, period_key, totals) for i in INDICATORS}


def unit_values(unit: Unit, period_key: str) -> dict[str, IndicatorValue]:
    """Every indicator of ``unit`` (its subtree) in a period, by code."""
    return values_from(unit_totals(unit, period_key), unit.code, period_key)


def subtree_totals(root: Unit, period_keys: Iterable[str]) -> dict[tuple[int, str], dict[str, int]]:
    """Rolled-up measures of every unit of ``root``'s subtree that has dossiers in its subtree, per
    (unit id, period key): one query, summed up the tree in Python along `Unit.path`."""
    keys = list(period_keys)
    for key in keys:
        live_period(key)
    rows = (
        MeasureTotal.objects.filter(period__in=keys, unit__path__startswith=root.path)
        .values("unit__path", "period", *FIELDS)
        .order_by()
    )
    root_depth = root.path.count("/") - 1
    out: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURE_CODES, 0))

    def add(path: str, key: str, measures: Mapping[str, int]) -> None:
        for unit_id in [int(p) for p in path.strip("/").split("/")][root_depth:]:
            bucket = out[(unit_id, key)]
            for code, amount in measures.items():
                bucket[code] += amount

    for row in rows:
        add(row["unit__path"], row["period"], _as_measures(row))
    where = Q(handling_unit__path__startswith=root.path)
    judged = open_judged({key: live_period(key) for key in keys}, where, by="handling_unit__path")
    for (path, key), measures in judged.items():
        add(str(path), key, measures)
    return dict(out)


def children_values(unit: Unit, period_key: str, children: Iterable[Unit] | None = None):
    """[(child, indicators)] for the direct children of ``unit`` — the drill-down table. Children
    without any dossier in their subtree get empty values (not zeros)."""
    kids = (
        list(children)
        if children is not None
        else list(Unit.objects.filter(parent=unit).order_by(vi("name")))
    )
    totals = subtree_totals(unit, [period_key])
    empty = dict.fromkeys(MEASURE_CODES, 0)
    return [(kid, values_from(totals.get((kid.pk, period_key), empty), kid.code, period_key)) for kid in kids]


def series(unit: Unit, code: str, period_keys: list[str]) -> list[tuple[str, IndicatorValue]]:
    """One indicator of ``unit`` over several periods (a trend), in the order given."""
    indicator = next(i for i in INDICATORS if i.code == code)
    totals = subtree_totals(unit, period_keys)
    empty = dict.fromkeys(MEASURE_CODES, 0)
    return [
        (key, indicator_value(indicator, unit.code, key, totals.get((unit.pk, key), empty)))
        for key in period_keys
    ]


# --- the dossiers behind a number ----------------------------------------------------------------


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=TZ_LOCAL)


BASE_Q = {
    "R": lambda a, b: Q(received_at__gte=a, received_at__lt=b),
    "F": lambda a, b: Q(finished_at__gte=a, finished_at__lt=b),
    "S": lambda a, b: Q(received_at__gte=a, received_at__lt=b) | Q(finished_at__gte=a, finished_at__lt=b),
}
FIELD_Q = {
    "kenh": "channel",
    "ket_qua": "result",
    "co_nghia_vu_tai_chinh": "fee_due",
    "thanh_toan_truc_tuyen": "paid_online",
    "ket_qua_dien_tu": "electronic_result",
    "so_hoa": "digitised",
    "tai_su_dung": "data_reused",
    "xin_loi": "apologised",
    "danh_gia": "rating",
}


def measure_q(code: str, period_key: str) -> Q:
    """A Django filter selecting exactly the dossiers counted by measure ``code`` in a period."""
    measure = MEASURE_BY_CODE[code]
    period = live_period(period_key)
    a, b = _aware(period.a), cut(period)
    q = BASE_Q[measure.base](a, b)
    for name, op, value in measure.where:
        if name == "dung_han":
            q &= on_time_q(b) if value else ~on_time_q(b)
        elif op == "eq":
            q &= Q(**{FIELD_Q[name]: value})
        elif op == "in":
            q &= Q(**{f"{FIELD_Q[name]}__in": list(value)})
        elif op == "set":
            q &= ~Q(**{FIELD_Q[name]: ""})
    return q & Q(received_at__isnull=False)


def dossiers_behind(unit: Unit, period_key: str, code: str, part: str = "denominator"):
    """The dossiers behind an indicator's numerator or denominator for ``unit``'s subtree."""
    indicator = next(i for i in INDICATORS if i.code == code)
    measure = (
        indicator.numerator if part == "numerator" or indicator.denominator is None else indicator.denominator
    )
    return Dossier.objects.filter(measure_q(measure, period_key), handling_unit__path__startswith=unit.path)
