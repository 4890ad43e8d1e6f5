"""The campaign's sample drawn inside the database (`sampling` gives the rule): millions of
finished dossiers are counted and ranked in SQL and the drawn ones inserted by the same
statement — no dossier row travels to Python. The same SQL runs on SQLite and PostgreSQL (only
the XOR operator and the subquery fence are spelled per database) and gives the same sample as
`sampling.draw` (tests/test_survey_sampling.py holds both databases to it).

Two reads of the frame:
1. count the finished dossiers per stratum (campaign unit × procedure) → the shares, in Python
   (`sampling.allocate`, a few thousand strata at most);
2. rank each stratum's dossiers by their key and insert the first ``share`` of them. Only the
   dossiers whose key is below a per-stratum bound are ranked — a bound that holds, with
   overwhelming probability, a few standard deviations more than the share — so the sort is of a
   few percent of the frame, not all of it. A stratum whose bound held too few (checked) is drawn
   again without a bound, so the result is exactly the full ranking's."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection

from .sampling import KEYS, MASK, MIX, allocate, seed_key

Stratum = tuple[int, int]  # (campaign unit id, procedure id)


def _xor(a: str, b: str) -> str:
    if connection.vendor == "postgresql":
        return f"(({a}) # ({b}))"
    return f"((({a}) | ({b})) - (({a}) & ({b})))"  # SQLite has no XOR


def _fence() -> str:
    """Keeps a subquery from being merged into the one around it: merged, each use of a column
    would be the whole expression again (the hash rounds would be computed dozens of times)."""
    return "OFFSET 0" if connection.vendor == "postgresql" else "LIMIT -1 OFFSET 0"


def _values(rows: Sequence[tuple[int, ...]]) -> str:
    # integers only (ids and counts from the database), so written in the statement: thousands
    # of rows would exceed a driver's parameter limit
    return ", ".join("(" + ", ".join(str(int(v)) for v in row) + ")" for row in rows)


WINDOW = "d.finished_at >= %s AND d.finished_at < %s"


FRAME = "dossiers_dossier d JOIN m ON m.unit_id = d.handling_unit_id"


def _window(start: dt.datetime, end: dt.datetime) -> list[Any]:
    # as the ORM would write them (SQLite stores datetimes as UTC text)
    return [connection.ops.adapt_datetimefield_value(v) for v in (start, end)]


def _mapped(mapping: Mapping[int, int]) -> str:
    """The CTE ``m``: handling unit → campaign unit (``m.target_id``)."""
    return f"m (unit_id, target_id) AS (VALUES {_values(list(mapping.items()))})"


def count_strata(mapping: Mapping[int, int], start: dt.datetime, end: dt.datetime) -> dict[Stratum, int]:
    """Finished dossiers per (campaign unit, procedure); ``mapping``: handling unit → campaign unit.
    Grouped by the dossier's own columns (no join: a hash join of millions of rows to the map
    costs as much as the scan) and summed up to the campaign units here."""
    if not mapping:
        return {}
    units = ", ".join(str(int(u)) for u in mapping)
    out: dict[Stratum, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.handling_unit_id, d.procedure_id, COUNT(*) FROM dossiers_dossier d"
            f" WHERE d.handling_unit_id IN ({units}) AND {WINDOW}"
            " GROUP BY d.handling_unit_id, d.procedure_id",
            _window(start, end),
        )
        for unit, procedure, n in cursor.fetchall():
            stratum = (mapping[unit], procedure)
            out[stratum] = out.get(stratum, 0) + n
    return out


def shares(counts: Mapping[Stratum, int], sizes: Mapping[int, int]) -> dict[Stratum, int]:
    """Each campaign unit's sample size split over its procedures (`sampling.allocate`)."""
    out: dict[Stratum, int] = {}
    for target, size in sizes.items():
        mine = {p: n for (t, p), n in counts.items() if t == target}
        out.update(((target, p), k) for p, k in allocate(mine, size).items())
    return out


def bound(share: int, population: int, slack: float = 6.0) -> int:
    """A key bound below which a stratum of ``population`` holds at least ``share`` keys but for a
    chance of about 10⁻⁹ (``slack`` standard deviations of the count; 0 for the tests' sake)."""
    if share >= population:
        return KEYS
    expected = share + slack * math.sqrt(share) + (20 if slack else 0)
    return min(KEYS, math.ceil(KEYS * expected / population))


def insert_sample(
    *,
    campaign_id: int,
    seed: int,
    mapping: Mapping[int, int],
    start: dt.datetime,
    end: dt.datetime,
    quotas: Mapping[Stratum, tuple[int, int]],
) -> int:
    """Insert the sample entries of the strata of ``quotas`` ((campaign unit, procedure) →
    (share, key bound)): in each, the ``share`` dossiers of smallest (key, id) among those of key
    below the bound. The number of rows inserted."""
    wanted = [(t, p, k, b) for (t, p), (k, b) in quotas.items() if k > 0]
    if not wanted:
        return 0
    fence = _fence()

    def rounded(y: str) -> str:
        return f"(({_xor(f'{y} >> 16', y)}) * {MIX}) & {MASK}"

    key = seed_key(seed)
    # d.id / 2³² rather than >> 32: a shift by 32 of a 32-bit integer column is undefined
    y0 = f"(({_xor(f'd.id & {MASK}', str(key))}) + (d.id / {KEYS})) & {MASK}"
    sql = (
        f"WITH {_mapped(mapping)}, q (target_id, procedure_id, share, bound) AS (VALUES {_values(wanted)})"
        " INSERT INTO surveys_sampleentry (campaign_id, unit_id, dossier_id, procedure_id)"
        f" SELECT {int(campaign_id)}, target_id, id, procedure_id FROM ("
        "  SELECT id, procedure_id, target_id, share, ROW_NUMBER() OVER ("
        "   PARTITION BY target_id, procedure_id ORDER BY h, id) AS r FROM ("
        f"   SELECT id, procedure_id, target_id, share, bound, {_xor('y >> 16', 'y')} AS h FROM ("
        f"    SELECT id, procedure_id, target_id, share, bound, {rounded('y')} AS y FROM ("
        f"     SELECT id, procedure_id, target_id, share, bound, {rounded('y')} AS y FROM ("
        f"      SELECT d.id, d.procedure_id, m.target_id, q.share, q.bound, {y0} AS y"
        f"      FROM {FRAME} JOIN q"
        "        ON q.target_id = m.target_id AND q.procedure_id = d.procedure_id"
        f"      WHERE {WINDOW} {fence}"
        f"     ) r0 {fence}) r1 {fence}) r2"
        "   ) keyed WHERE h < bound"
        "  ) ranked WHERE r <= share ORDER BY target_id, procedure_id, id"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.get_autocommit():
            # the ranked candidates (a few hundred thousand rows) sorted in memory, not on disk;
            # LOCAL: for this transaction only
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, _window(start, end))
        return cursor.rowcount


def draw_sample(
    *,
    campaign_id: int,
    seed: int,
    mapping: Mapping[int, int],
    sizes: Mapping[int, int],
    start: dt.datetime,
    end: dt.datetime,
    slack: float = 6.0,
) -> int:
    """Draw the campaign's sample into `SampleEntry` (the caller has emptied it): ``mapping``
    handling unit → campaign unit, ``sizes`` campaign unit → sample size, the window [start, end).
    The number of dossiers drawn."""
    counts = count_strata(mapping, start, end)
    split = shares(counts, sizes)
    quotas = {s: (k, bound(k, counts[s], slack)) for s, k in split.items() if k}
    inserted = insert_sample(
        campaign_id=campaign_id, seed=seed, mapping=mapping, start=start, end=end, quotas=quotas
    )
    if inserted == sum(k for k, _ in quotas.values()):
        return inserted
    # a bound held fewer than its share (improbable but possible): those strata drawn again whole
    got = drawn_per_stratum(campaign_id)
    short = [s for s, (k, _) in quotas.items() if got.get(s, 0) < k]
    if short:
        with connection.cursor() as cursor:
            for target, procedure in short:
                cursor.execute(
                    "DELETE FROM surveys_sampleentry WHERE campaign_id = %s AND unit_id = %s"
                    " AND procedure_id = %s",
                    [campaign_id, target, procedure],
                )
        insert_sample(
            campaign_id=campaign_id,
            seed=seed,
            mapping=mapping,
            start=start,
            end=end,
            quotas={s: (quotas[s][0], KEYS) for s in short},
        )
    return sum(k for k, _ in quotas.values())


def drawn_per_stratum(campaign_id: int) -> dict[Stratum, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unit_id, procedure_id, COUNT(*) FROM surveys_sampleentry WHERE campaign_id = %s"
            " AND dossier_id IS NOT NULL GROUP BY unit_id, procedure_id",
            [campaign_id],
        )
        return {(t, p): n for t, p, n in cursor.fetchall()}
