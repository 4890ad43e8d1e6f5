"""orgs.csv — the organisation tree of the exchange format (docs/specs/dossier-exchange.md).

    tree = read_orgs("orgs.csv")          # raises ExchangeError(line, reason)
    tree["P75"].parent, tree.children("P75"), tree.subtree("P75"), tree.closure()
    write_orgs("orgs.csv", [("P75", "Tỉnh Đồng Nai", ""), ("P75.STP", "Sở Tư pháp", "P75")])

Rules: UTF-8 (a BOM is accepted), header row, RFC 4180 quoting, free column order, unknown
columns ignored; ``ma_don_vi`` non-empty and unique, ``ma_don_vi_cha`` empty (a root) or the code
of another row (forward references allowed), no cycles. Codes and names are read in Unicode NFC.
Every problem is collected; the error raised is the one on the earliest line and carries them all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from os import PathLike

from .errors import ExchangeError, refuse_other_encodings
from .formats import ORG_COLUMNS, TRIM, nfc


@dataclass(frozen=True, slots=True)
class OrgUnit:
    code: str
    name: str
    parent: str | None
    line: int


class OrgTree:
    """Units in file order with their parents; a forest (several roots are allowed)."""

    def __init__(self, units: Iterable[OrgUnit]):
        self.units: dict[str, OrgUnit] = {}
        self._children: dict[str, list[str]] = {}
        for unit in units:
            self.units[unit.code] = unit
            self._children.setdefault(unit.code, [])
        for unit in self.units.values():
            if unit.parent is not None:
                self._children[unit.parent].append(unit.code)

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self) -> Iterator[OrgUnit]:
        return iter(self.units.values())

    def __contains__(self, code: object) -> bool:
        return code in self.units

    def __getitem__(self, code: str) -> OrgUnit:
        return self.units[code]

    def codes(self) -> list[str]:
        return list(self.units)

    @property
    def roots(self) -> list[str]:
        return [u.code for u in self.units.values() if u.parent is None]

    def children(self, code: str) -> list[str]:
        return list(self._children[code])

    def ancestors(self, code: str, *, include_self: bool = False) -> list[str]:
        """From the unit (when ``include_self``) up to its root."""
        out = [code] if include_self else []
        parent = self.units[code].parent
        while parent is not None:
            out.append(parent)
            parent = self.units[parent].parent
        return out

    def subtree(self, code: str) -> list[str]:
        """The unit and every unit below it (pre-order)."""
        out, stack = [], [code]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(reversed(self._children[current]))
        return out

    def closure(self) -> Iterator[tuple[str, str]]:
        """Every (unit, ancestor-or-self) pair: the table a roll-up joins on."""
        for code in self.units:
            for ancestor in self.ancestors(code, include_self=True):
                yield code, ancestor

    def depth(self, code: str) -> int:
        return len(self.ancestors(code))


def _open_text(path: str | PathLike | io.TextIOBase):
    if isinstance(path, (str, PathLike)):
        refuse_other_encodings(path)
        return open(path, encoding="utf-8-sig", newline="", errors="strict")  # noqa: SIM115
    return path


def read_orgs(path: str | PathLike | io.TextIOBase) -> OrgTree:
    """Read and check orgs.csv; raise `ExchangeError` (earliest line first, all errors attached)."""
    name = str(path) if isinstance(path, (str, PathLike)) else ""
    try:
        fh = _open_text(path)
    except OSError as exc:
        raise ExchangeError(0, f"không mở được tệp: {exc.strerror or exc}", path=name) from None
    errors: list[tuple[int, str]] = []
    rows: list[OrgUnit] = []
    try:
        with fh:
            reader = csv.reader(fh)
            try:
                header = next(reader)
            except StopIteration:
                raise ExchangeError(0, "tệp rỗng (thiếu dòng tiêu đề)", path=name) from None
            header = [h.strip(TRIM).lstrip("\ufeff") for h in header]
            missing = [c for c in ORG_COLUMNS if c not in header]
            if missing:
                raise ExchangeError(1, "thiếu cột " + ", ".join(missing), path=name)
            index = {c: header.index(c) for c in ORG_COLUMNS}
            width = len(header)
            previous = reader.line_num
            for record in reader:
                start, previous = previous + 1, reader.line_num  # first line of this record
                if not record:
                    continue
                if len(record) != width:
                    errors.append((start, "số trường không khớp với dòng tiêu đề"))
                    continue
                code = nfc(record[index["ma_don_vi"]].strip(TRIM))
                parent = nfc(record[index["ma_don_vi_cha"]].strip(TRIM)) or None
                if not code:
                    errors.append((start, "ma_don_vi: thiếu giá trị"))
                    continue
                rows.append(OrgUnit(code, nfc(record[index["ten_don_vi"]].strip(TRIM)), parent, start))
    except UnicodeDecodeError:
        raise ExchangeError(0, "tệp không phải văn bản UTF-8", path=name) from None
    except csv.Error as exc:
        raise ExchangeError(0, f"lỗi cú pháp CSV: {exc}", path=name) from None

    first_line: dict[str, int] = {}
    unique: list[OrgUnit] = []
    for unit in rows:
        if unit.code in first_line:
            errors.append(
                (unit.line, f"ma_don_vi: mã đơn vị «{unit.code}» trùng với dòng {first_line[unit.code]}")
            )
            continue
        first_line[unit.code] = unit.line
        unique.append(unit)
    known = {u.code: u for u in unique}
    for unit in unique:
        if unit.parent is not None and unit.parent not in known:
            errors.append((unit.line, f"ma_don_vi_cha: đơn vị cha «{unit.parent}» không có trong tệp"))
    # cycles: follow parents; a walk that comes back to a unit already on it is a cycle
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = known to reach a root
    for unit in unique:
        walk: list[str] = []
        code: str | None = unit.code
        while code is not None and code in known and state.get(code) is None:
            state[code] = 1
            walk.append(code)
            code = known[code].parent
        if code is not None and state.get(code) == 1:
            cycle = walk[walk.index(code) :]
            first = min(cycle, key=lambda c: known[c].line)
            loop = cycle[cycle.index(first) :] + cycle[: cycle.index(first)]
            errors.append((known[first].line, "vòng lặp trong cây đơn vị: " + " → ".join([*loop, first])))
        for c in walk:
            state[c] = 2
    if errors:
        errors.sort()
        line, reason = errors[0]
        raise ExchangeError(line, reason, path=name, errors=errors)
    return OrgTree(unique)


def write_orgs(
    path: str | PathLike | io.TextIOBase, units: Iterable[tuple[str, str, str | None] | OrgUnit]
) -> int:
    """Write orgs.csv (UTF-8, no BOM, ``\\n`` line ends); returns the number of units."""
    own = isinstance(path, (str, PathLike))
    fh = open(path, "w", encoding="utf-8", newline="") if own else path  # noqa: SIM115
    try:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(ORG_COLUMNS)
        count = 0
        for unit in units:
            if isinstance(unit, OrgUnit):
                code, name, parent = unit.code, unit.name, unit.parent
            else:
                code, name, parent = unit
            writer.writerow((code, name, parent or ""))
            count += 1
        return count
    finally:
        if own:
            fh.close()
