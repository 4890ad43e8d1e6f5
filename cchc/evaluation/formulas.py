"""The arithmetic of the CCHC index, exactly as docs/specs/par-index.md fixes it — pure Python,
no database, so that `cchc par compute` (files) and the results pages (database) run the very
same functions and cannot disagree.

    framework = build_framework(rows)            # rows: (line, {"ma": …, "ten": …, …})
    units = check_scores(framework, rows)        # unit code → UnitScores(group, finals)
    results = compute_results(framework, units)  # [UnitResult], ranked within each group

Both checks collect *every* error with its line (`ParErrors`), so a file is corrected in one go.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

SELF = "tu_cham"
DATA = "du_lieu"
SURVEY = "khao_sat"
BONUS = "diem_thuong"
DEDUCTION = "diem_tru"
METHODS = (SELF, DATA, SURVEY, BONUS, DEDUCTION)
AGENCY = "so"
COMMUNE = "xa"
GROUPS = (AGENCY, COMMUNE)
TOTAL = "TONG"

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
_CODE = re.compile(r"[1-9]\d{0,2}(?:\.[1-9]\d{0,2}){0,2}", re.ASCII)

FRAMEWORK_COLUMNS = ("ma", "ten", "diem_toi_da", "phuong_phap", "ap_dung")
SCORE_COLUMNS = ("ma_don_vi", "nhom", "ma", "tu_cham", "tham_dinh")
RESULT_COLUMNS = ("ma_don_vi", "nhom", "ma", "diem", "diem_toi_da", "ty_le", "xep_hang")

Row = Mapping[str, str]


@dataclass(frozen=True)
class ParError:
    line: int
    reason: str


class ParErrors(ValueError):
    """Every error found in one file, each with its line (1 = the header)."""

    def __init__(self, errors: list[ParError]) -> None:
        super().__init__("; ".join(f"dòng {e.line}: {e.reason}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    max_points: Decimal | None  # given (required on leaves); None on a parent without one
    method: str  # leaves only
    applies_to: str  # leaves only; "" = both groups
    line: int = 0

    @property
    def depth(self) -> int:
        return self.code.count(".") + 1

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None

    @property
    def area_code(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def ordinary(self) -> bool:
        """Counts toward the maximum: neither a bonus nor a deduction."""
        return self.method not in (BONUS, DEDUCTION)

    def applies(self, group: str) -> bool:
        return not self.applies_to or self.applies_to == group


@dataclass(frozen=True)
class Framework:
    """Nodes in code order (1, 1.1, 1.1.1, 1.2, …, 2, …); leaves are the nodes without children."""

    nodes: tuple[Node, ...]
    leaf_codes: frozenset[str]

    @property
    def leaves(self) -> list[Node]:
        return [n for n in self.nodes if n.code in self.leaf_codes]

    @property
    def areas(self) -> list[Node]:
        return [n for n in self.nodes if n.depth == 1]

    def node(self, code: str) -> Node | None:
        return next((n for n in self.nodes if n.code == code), None)

    def maximum(self, group: str | None = None) -> Decimal:
        """The sum of the ordinary leaves' maxima (for one group, or over all leaves)."""
        return sum(
            (n.max_points or ZERO for n in self.leaves if n.ordinary and (group is None or n.applies(group))),
            ZERO,
        )


def code_key(code: str) -> tuple[int, ...]:
    """Numeric code order: 1.2 < 1.10 < 2."""
    return tuple(int(part) for part in code.split("."))


def parse_decimal(text: str | None) -> Decimal | None:
    """A decimal as written in a file: "7", "7.5", "7,5" (a lone comma is a decimal point);
    None for empty; ValueError for anything else."""
    raw = (text or "").strip()
    if not raw:
        return None
    if "," in raw and "." not in raw and raw.count(",") == 1:
        raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite():
        raise ValueError(raw)
    return value


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def format_points(value: Decimal | None) -> str:
    """Up to 2 decimals, no trailing zeros, a dot: 12.5, 100, 0, 7.25 (the files' spelling)."""
    if value is None:
        return ""
    text = f"{round2(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --- the framework ---------------------------------------------------------------------------


def build_framework(rows: Iterable[tuple[int, Row]]) -> Framework:
    """Check a framework's rows (line, columns) and build it; raise `ParErrors` with every error."""
    errors: list[ParError] = []
    seen: dict[str, tuple[int, Row]] = {}
    for line, row in rows:
        code = (row.get("ma") or "").strip()
        if not code:
            errors.append(ParError(line, "thiếu mã (cột ma)."))
            continue
        if not _CODE.fullmatch(code):
            errors.append(ParError(line, f"mã “{code}” không đúng dạng 1, 1.2 hoặc 1.2.3."))
            continue
        if code in seen:
            errors.append(ParError(line, f"mã “{code}” trùng với dòng {seen[code][0]}."))
            continue
        seen[code] = (line, row)

    parents = {code.rsplit(".", 1)[0] for code in seen if "." in code}
    nodes: dict[str, Node] = {}
    for code, (line, row) in seen.items():
        parent = code.rsplit(".", 1)[0] if "." in code else None
        if parent is not None and parent not in seen:
            errors.append(ParError(line, f"mã “{code}” thiếu mục cha “{parent}”."))
        is_leaf = code not in parents
        name = " ".join((row.get("ten") or "").split())
        method = (row.get("phuong_phap") or "").strip().lower()
        applies_to = (row.get("ap_dung") or "").strip().lower()
        try:
            max_points = parse_decimal(row.get("diem_toi_da"))
        except ValueError as exc:
            errors.append(ParError(line, f"điểm tối đa “{exc}” không phải là số."))
            max_points = None
            bad_max = True
        else:
            bad_max = False
        if not name:
            errors.append(ParError(line, f"mục “{code}” thiếu tên (cột ten)."))
        if is_leaf:
            if code.count(".") == 0:
                errors.append(ParError(line, f"lĩnh vực “{code}” không có tiêu chí nào."))
            if not bad_max and (max_points is None or max_points <= 0):
                errors.append(
                    ParError(line, f"tiêu chí “{code}” thiếu điểm tối đa hoặc điểm tối đa không lớn hơn 0.")
                )
            if not method:
                errors.append(ParError(line, f"tiêu chí “{code}” thiếu phương pháp chấm (cột phuong_phap)."))
            elif method not in METHODS:
                errors.append(
                    ParError(line, f"phương pháp “{method}” không hợp lệ (dùng: {', '.join(METHODS)}).")
                )
            if applies_to and applies_to not in GROUPS:
                errors.append(
                    ParError(line, f"nhóm áp dụng “{applies_to}” không hợp lệ (so, xa hoặc để trống).")
                )
        else:
            if method:
                errors.append(ParError(line, f"mục “{code}” có tiêu chí con nên không ghi phương pháp chấm."))
            if max_points is not None and max_points < 0:
                errors.append(ParError(line, f"mục “{code}”: điểm tối đa không được âm."))
        nodes[code] = Node(
            code, name, max_points, method if is_leaf else "", applies_to if is_leaf else "", line
        )

    _check_sums(nodes, parents, errors)
    if errors:
        raise ParErrors(sorted(errors, key=lambda e: e.line))
    ordered = tuple(sorted(nodes.values(), key=lambda n: code_key(n.code)))
    return Framework(ordered, frozenset(code for code in nodes if code not in parents))


def _check_sums(nodes: dict[str, Node], parents: set[str], errors: list[ParError]) -> None:
    """A parent's given maximum equals the sum over its ordinary children (children that are
    parents count with their summed maximum). Skipped above a leaf whose maximum is already in
    error, so one mistake is reported once."""
    children: dict[str, list[Node]] = {}
    for node in nodes.values():
        if node.parent_code:
            children.setdefault(node.parent_code, []).append(node)

    def total(node: Node) -> Decimal | None:
        """The node's maximum; None when a leaf below has none (already reported)."""
        if node.code not in parents:
            return node.max_points if node.max_points is not None and node.max_points > 0 else None
        parts = [total(c) for c in children[node.code] if c.ordinary]
        if any(p is None for p in parts):
            return None
        summed = sum((p for p in parts if p is not None), ZERO)
        if node.max_points is not None and node.max_points != summed:
            errors.append(
                ParError(
                    node.line,
                    f"mục “{node.code}”: điểm tối đa {format_points(node.max_points)} khác tổng điểm tối đa "
                    f"các tiêu chí con {format_points(summed)}.",
                )
            )
        return summed

    for node in nodes.values():
        if node.depth == 1:
            total(node)


# --- scores ----------------------------------------------------------------------------------


@dataclass
class UnitScores:
    unit: str
    group: str
    finals: dict[str, Decimal] = field(default_factory=dict)  # leaf code → final points
    line: int = 0


def final_points(self_points: Decimal | None, appraised: Decimal | None) -> Decimal:
    """Appraised if given, else self-assessed if given, else 0."""
    if appraised is not None:
        return appraised
    return self_points if self_points is not None else ZERO


def check_scores(framework: Framework, rows: Iterable[tuple[int, Row]]) -> dict[str, UnitScores]:
    """Check score rows against the framework; unit code → its final points per leaf (in the
    order units first appear). Raise `ParErrors` with every error."""
    leaves = {n.code: n for n in framework.leaves}
    errors: list[ParError] = []
    units: dict[str, UnitScores] = {}
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        unit = (row.get("ma_don_vi") or "").strip()
        group = (row.get("nhom") or "").strip().lower()
        code = (row.get("ma") or "").strip()
        if not unit:
            errors.append(ParError(line, "thiếu mã đơn vị (cột ma_don_vi)."))
            continue
        if group not in GROUPS:
            errors.append(ParError(line, f"nhóm “{group}” không hợp lệ (so hoặc xa)."))
            continue
        scores = units.get(unit)
        if scores is None:
            scores = units[unit] = UnitScores(unit, group, line=line)
        elif scores.group != group:
            errors.append(
                ParError(
                    line, f"đơn vị “{unit}” ghi nhóm “{group}” nhưng dòng {scores.line} ghi “{scores.group}”."
                )
            )
            continue
        leaf = leaves.get(code)
        if leaf is None:
            what = "là mục có tiêu chí con" if framework.node(code) else "không có trong bộ chỉ số"
            errors.append(ParError(line, f"mã tiêu chí “{code}” {what}."))
            continue
        if not leaf.applies(group):
            errors.append(ParError(line, f"tiêu chí “{code}” không áp dụng cho nhóm “{group}”."))
            continue
        if (unit, code) in seen:
            errors.append(
                ParError(line, f"đơn vị “{unit}”, tiêu chí “{code}” trùng với dòng {seen[unit, code]}.")
            )
            continue
        seen[unit, code] = line
        values: list[Decimal | None] = []
        for column in ("tu_cham", "tham_dinh"):
            try:
                value = parse_decimal(row.get(column))
            except ValueError as exc:
                errors.append(ParError(line, f"{column} “{exc}” không phải là số."))
                value = None
            else:
                assert leaf.max_points is not None
                if value is not None and not ZERO <= value <= leaf.max_points:
                    errors.append(
                        ParError(
                            line,
                            f"{column} {format_points(value)} ngoài khoảng 0–{format_points(leaf.max_points)} "
                            f"của tiêu chí “{code}”.",
                        )
                    )
                    value = None
            values.append(value)
        scores.finals[code] = final_points(values[0], values[1])
    if errors:
        raise ParErrors(sorted(errors, key=lambda e: e.line))
    return units


# --- classification ---------------------------------------------------------------------------

# Xếp loại as provinces commonly band the index (the framework may set its own).
DEFAULT_BANDS = "90: Xuất sắc; 80: Tốt; 70: Khá; 50: Trung bình; 0: Yếu"


def parse_bands(text: str) -> list[tuple[Decimal, str]]:
    """ "90: Xuất sắc; 80: Tốt; …" → [(90, "Xuất sắc"), (80, "Tốt"), …], highest first; ValueError
    when a part is not "threshold: label", a threshold is outside 0–100, or none starts at 0."""
    bands: list[tuple[Decimal, str]] = []
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        threshold, sep, label = part.partition(":")
        value = parse_decimal(threshold) if sep else None
        if value is None or not label.strip() or not ZERO <= value <= HUNDRED:
            raise ValueError(part.strip())
        bands.append((value, " ".join(label.split())))
    bands.sort(key=lambda b: b[0], reverse=True)
    if not bands or bands[-1][0] != ZERO or len({b[0] for b in bands}) != len(bands):
        raise ValueError(text)
    return bands


def classify(index: Decimal | None, bands: list[tuple[Decimal, str]]) -> str:
    """The band of an index: the first whose threshold it reaches ("" without an index)."""
    if index is None:
        return ""
    return next((label for threshold, label in bands if index >= threshold), "")


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaResult:
    code: str
    name: str
    points: Decimal  # bonus added, deductions subtracted, not floored
    maximum: Decimal
    rate: Decimal | None  # None when the maximum is 0

    @property
    def lost(self) -> Decimal:
        """Points missing from the area's maximum (never negative)."""
        return max(ZERO, self.maximum - self.points)


@dataclass(frozen=True)
class UnitResult:
    unit: str
    group: str
    points: Decimal  # T(u)
    maximum: Decimal  # M(u)
    index: Decimal | None  # None when M(u) is 0
    rank: int | None
    areas: tuple[AreaResult, ...]
    bonus: Decimal = ZERO
    deduction: Decimal = ZERO


def _rate(points: Decimal, maximum: Decimal) -> Decimal | None:
    return round2(HUNDRED * points / maximum) if maximum else None


def unit_result(framework: Framework, unit: str, group: str, finals: Mapping[str, Decimal]) -> UnitResult:
    """T, M, the index and the per-area sums of one unit (unranked)."""
    area_sums: dict[str, list[Decimal]] = {a.code: [ZERO, ZERO] for a in framework.areas}
    bonus = deduction = ZERO
    for leaf in framework.leaves:
        if not leaf.applies(group):
            continue
        got = finals.get(leaf.code, ZERO)
        sums = area_sums[leaf.area_code]
        if leaf.method == BONUS:
            bonus += got
            sums[0] += got
        elif leaf.method == DEDUCTION:
            deduction += got
            sums[0] -= got
        else:
            sums[0] += got
            sums[1] += leaf.max_points or ZERO
    maximum = sum((s[1] for s in area_sums.values()), ZERO)
    points = max(ZERO, sum((s[0] for s in area_sums.values()), ZERO))  # bonus in, deductions out
    areas = tuple(
        AreaResult(a.code, a.name, area_sums[a.code][0], area_sums[a.code][1], _rate(*area_sums[a.code]))
        for a in framework.areas
    )
    return UnitResult(unit, group, points, maximum, _rate(points, maximum), None, areas, bonus, deduction)


def rank(results: Iterable[UnitResult]) -> list[UnitResult]:
    """Rank within each group by index, highest first; equal indexes share a rank and the next
    rank skips (1, 2, 2, 4). A unit without an index (maximum 0) is not ranked. Order kept."""
    results = list(results)
    ranks: dict[int, int] = {}
    for group in GROUPS:
        members = [(i, r) for i, r in enumerate(results) if r.group == group and r.index is not None]
        members.sort(key=lambda pair: pair[1].index or ZERO, reverse=True)
        previous: Decimal | None = None
        current = 0
        for position, (i, r) in enumerate(members, start=1):
            if r.index != previous:
                current, previous = position, r.index
            ranks[i] = current
    return [_with_rank(r, ranks.get(i)) for i, r in enumerate(results)]


def _with_rank(result: UnitResult, rank_: int | None) -> UnitResult:
    return replace(result, rank=rank_)


def compute_results(framework: Framework, units: Mapping[str, UnitScores]) -> list[UnitResult]:
    """Every unit's result, ranked within its group (in the order of ``units``)."""
    return rank(unit_result(framework, s.unit, s.group, s.finals) for s in units.values())


def result_rows(results: Iterable[UnitResult]) -> list[dict[str, str]]:
    """The rows of results.csv: per unit, one row per area then the TONG row."""
    rows: list[dict[str, str]] = []
    for r in results:
        for a in r.areas:
            rows.append(
                {
                    "ma_don_vi": r.unit,
                    "nhom": r.group,
                    "ma": a.code,
                    "diem": format_points(a.points),
                    "diem_toi_da": format_points(a.maximum),
                    "ty_le": format_points(a.rate),
                    "xep_hang": "",
                }
            )
        rows.append(
            {
                "ma_don_vi": r.unit,
                "nhom": r.group,
                "ma": TOTAL,
                "diem": format_points(r.points),
                "diem_toi_da": format_points(r.maximum),
                "ty_le": format_points(r.index),
                "xep_hang": "" if r.rank is None else str(r.rank),
            }
        )
    return rows
