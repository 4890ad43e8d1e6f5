"""`cchc dossiers generate --database`: synthetic dossiers straight into the database.

The rows are the ones `cchc.exchange.generate` writes to dossiers.csv for the same seed, count,
year and unit tree (`generate_lines` makes the same text), and they go through the same import
as a file — checks, events, batches, live indicators, audit — without a file in between: the
generator runs in the import's reading process, a batch ahead of the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from cchc.core.actors import Actor
from cchc.exchange.generate import generate_lines
from cchc.orgs.models import Unit

from .run import BATCH_SIZE, ImportReport, dossiers_import_lines


def dossiers_generate(
    *,
    actor: Actor,
    count: int,
    seed: int | str,
    units: Sequence[tuple[str, str, str]],
    year: int = 2026,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    as_of_time: dt.datetime | None = None,
) -> ImportReport:
    """Generate ``count`` dossiers for the tree ``units`` ((code, name, parent) rows) and import
    them. Raises ValueError when the database holds none of the units (nothing could be stored)
    or the arguments are bad; rows of a unit or procedure the database lacks are bad rows."""
    codes = [code for code, _, _ in units]
    if not Unit.objects.filter(code__in=codes).exists():
        raise ValueError(
            f"cơ sở dữ liệu chưa có đơn vị nào của cây đơn vị ({', '.join(codes[:3])}, …): "
            "nạp đơn vị và danh mục thủ tục trước (cchc demo cho tỉnh Đồng Nai, hoặc dùng --orgs "
            "với các đơn vị đã có)"
        )
    lines = generate_lines(count=count, seed=seed, units=units, year=year)
    return dossiers_import_lines(
        actor=actor,
        lines=lines,
        source=f"cchc dossiers generate --seed {seed} --count {count} --year {year}",
        batch_size=batch_size,
        progress=progress,
        as_of_time=as_of_time,
    )
