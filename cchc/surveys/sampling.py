"""The sampling frame of a campaign: from the dossiers a unit's subtree finished in the campaign's
window, a random sample of the unit's target size, stratified by procedure (each procedure gets
its share of the sample in proportion to its dossiers, largest remainders first), drawn with the
campaign's seed — the same seed and the same finished dossiers give the same sample, so a draw can
be repeated and audited.

Pure functions over (dossier id, procedure id) pairs; the service reads and writes."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping


def allocate(sizes: Mapping[int, int], total: int) -> dict[int, int]:
    """Split ``total`` over strata in proportion to their sizes (Hamilton's largest remainders,
    ties by stratum id), never more than a stratum holds."""
    population = sum(sizes.values())
    total = min(total, population)
    if not total:
        return {k: 0 for k in sizes}
    quotas = {k: total * n / population for k, n in sizes.items()}
    shares = {k: int(q) for k, q in quotas.items()}
    left = total - sum(shares.values())
    for k in sorted(sizes, key=lambda k: (-(quotas[k] - shares[k]), k))[:left]:
        shares[k] += 1
    return shares


def draw(
    frame: Iterable[tuple[int, int]], size: int, *, seed: int, stratum_key: str
) -> list[tuple[int, int]]:
    """``size`` (dossier id, procedure id) pairs from ``frame``, stratified by procedure; the
    result is in (procedure, dossier) order. Deterministic in (seed, stratum_key, frame)."""
    by_procedure: dict[int, list[int]] = {}
    for dossier_id, procedure_id in frame:
        by_procedure.setdefault(procedure_id, []).append(dossier_id)
    shares = allocate({p: len(ids) for p, ids in by_procedure.items()}, size)
    chosen: list[tuple[int, int]] = []
    for procedure_id in sorted(by_procedure):
        k = shares[procedure_id]
        if not k:
            continue
        ids = sorted(by_procedure[procedure_id])  # the order the database gave must not matter
        rng = random.Random(f"{seed}:{stratum_key}:{procedure_id}")
        chosen.extend((d, procedure_id) for d in sorted(rng.sample(ids, k)))
    return chosen
