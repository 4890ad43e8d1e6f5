"""Reading dossiers.csv for the import: checked rows in file order, or the reason a row is bad.

The rules are the exchange reader's (`cchc.exchange.dossiers.RowChecker`, the same messages as
`iter_dossiers` and the file mode), read from any iterable of lines — an open file or the
generator's text (`cchc dossiers generate --database`) — and followed by what only the database
knows: the procedure must be in the catalogue, the code must fit the column.
"""

from __future__ import annotations

import csv
from collections.abc import Container, Iterable, Iterator

from cchc.exchange.dossiers import BadRow, RowChecker, check_header, checked_records
from cchc.exchange.errors import ExchangeError

from ..models import Dossier

CODE_MAX = Dossier._meta.get_field("code").max_length
# Each supplement request is two events; a count in the millions (valid in the format) would make
# one dossier of millions of events. No real dossier comes near.
MAX_SUPPLEMENTS = 100


def checked_rows(
    lines: Iterable[str],
    units: Container[str],
    procedures: Container[str],
    *,
    name: str = "",
    cutoff: int | None = None,
) -> Iterator[tuple[int, tuple] | BadRow]:
    """(line, values) per valid row — values as `RowChecker.check` gives them — or a `BadRow`.
    With ``cutoff`` (local µs), rows as they stood then (`as_of_values`); rows received later
    are skipped before the database's checks, as if not yet in the file.

    Raises `ExchangeError` for a file that cannot be read at all (no header, missing columns).
    The codes seen are kept to report a repeated code with the line of its first occurrence."""
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ExchangeError(0, "tệp rỗng (thiếu dòng tiêu đề)", path=name) from None
    except csv.Error as exc:
        raise ExchangeError(1, f"lỗi cú pháp CSV ở dòng tiêu đề: {exc}", path=name) from None
    for item in checked_records(reader, RowChecker(check_header(header, name), units)):
        if isinstance(item, BadRow):
            yield item
            continue
        start, values = item
        code = values[0]
        if cutoff is not None:
            values = as_of_values(values, cutoff)
            if values is None:
                continue
        if len(code) > CODE_MAX:
            yield BadRow(start, f"ma_ho_so: mã hồ sơ dài quá {CODE_MAX} ký tự", "ma_ho_so", code)
        elif values[1] not in procedures:
            yield BadRow(start, f"mã thủ tục {values[1]} không có trong danh mục", "ma_tthc", code)
        elif values[10] > MAX_SUPPLEMENTS:
            reason = (
                f"so_lan_bo_sung: {values[10]} lần — quá {MAX_SUPPLEMENTS} lần yêu cầu bổ sung, không nhập"
            )
            yield BadRow(start, reason, "so_lan_bo_sung", code)
        else:
            yield start, values


def as_of_values(v: tuple, now_us: int) -> tuple | None:
    """`events.as_of` on a checked record (local µs): None if received after ``now_us``."""
    if v[4] > now_us:
        return None
    if v[7] is not None and v[7] > now_us:  # not ended yet: no end, result, return, file, rating
        return (*v[:7], None, None, None, *v[10:14], False, *v[15:18], None)
    if v[8] is not None and v[8] > now_us:  # not handed back yet: no return, no rating
        return (*v[:8], None, *v[9:18], None)
    return v
