"""The sampling frame of a campaign: from the dossiers a unit's subtree finished in the campaign's
window, a random sample of the unit's target size, stratified by procedure (each procedure gets
its share of the sample in proportion to its dossiers, largest remainders first), drawn with the
campaign's seed — the same seed and the same finished dossiers give the same sample, so a draw can
be repeated and audited.

"Random" is a keyed hash: each dossier gets the number `sample_key(seed_key(seed), dossier id)`
and a stratum takes its share of dossiers with the smallest numbers (ties by id). The hash is
integer arithmetic that SQLite and PostgreSQL compute exactly alike (`drawing.py` ranks the
dossiers in SQL; `draw` here is the same rule in Python, the reference the tests hold SQL to),
so the sample does not depend on the database, on the order rows come in, or on a random-number
library's version. An auditor can recompute any dossier's number with the five lines below."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

MASK = 0xFFFFFFFF  # the hash works on 32-bit words
# Thomas Mueller's 32-bit integer hash constant: below 2³¹, so a 32-bit word times it stays
# within the 63 bits of a signed integer in both databases (no overflow, no float).
MIX = 0x45D9F3B
KEYS = 1 << 32  # sample keys are 0 … 2³² − 1


def mix(x: int) -> int:
    """Mueller's hash of a 32-bit word (a bijection: two rounds of xorshift-multiply)."""
    x = (((x >> 16) ^ x) * MIX) & MASK
    x = (((x >> 16) ^ x) * MIX) & MASK
    return (x >> 16) ^ x


def seed_key(seed: int) -> int:
    """The campaign's 32-bit key from its seed (any integer; both halves of a 64-bit seed count)."""
    s = seed % (1 << 64)
    return mix(mix(s & MASK) ^ (s >> 32))


def sample_key(key: int, dossier_id: int) -> int:
    """The dossier's draw number under the campaign key: smaller is drawn first."""
    return mix((((dossier_id & MASK) ^ key) + (dossier_id >> 32)) & MASK)


def allocate(sizes: Mapping[int, int], total: int) -> dict[int, int]:
    """Split ``total`` over strata in proportion to their sizes (Hamilton's largest remainders,
    ties by stratum id), never more than a stratum holds."""
    population = sum(sizes.values())
    total = min(total, population)
    if not total:
        return {k: 0 for k in sizes}
    # integers only: the remainders are compared exactly (total × n mod population)
    shares = {k: total * n // population for k, n in sizes.items()}
    left = total - sum(shares.values())
    for k in sorted(sizes, key=lambda k: (-(total * sizes[k] % population), k))[:left]:
        shares[k] += 1
    return shares


def draw(frame: Iterable[tuple[int, int]], size: int, *, seed: int) -> list[tuple[int, int]]:
    """``size`` (dossier id, procedure id) pairs from ``frame``, stratified by procedure; the
    result is in (procedure, dossier) order. Deterministic in (seed, frame), whatever its order."""
    by_procedure: dict[int, list[int]] = {}
    for dossier_id, procedure_id in frame:
        by_procedure.setdefault(procedure_id, []).append(dossier_id)
    shares = allocate({p: len(ids) for p, ids in by_procedure.items()}, size)
    key = seed_key(seed)
    chosen: list[tuple[int, int]] = []
    for procedure_id in sorted(by_procedure):
        k = shares[procedure_id]
        if k:
            ids = sorted(by_procedure[procedure_id], key=lambda d: (sample_key(key, d), d))[:k]
            chosen.extend((d, procedure_id) for d in sorted(ids))
    return chosen
