"""Cutting the lines of one table row into cells (see texttable for the whole picture).

Dynamic programming over the lines of each part of a row (parts are separated by page breaks):
every line gets a column, columns in header order, and the cut with the best score wins. The
score adds up line wrapping (a line followed by another of the same cell was full: the next word
would not have fitted the column width), how cells start and end, what they hold (a deadline cell
reads as a deadline phrase, body cells name bodies) and how rarely lead, coordinating or deadline
cells are empty. Column widths are estimated from the table, then measured on a first cut and the
cut is made again.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cchc.plans.deadlines import DeadlineKind, parse_deadline

from .vocab import BODY_WORDS, fold, join_lines, join_pair

_DANGLING = re.compile(r"(\b(va|cac|cua|voi|cho|tai|trong|theo|ve|co|duoc|cap|nhung|thuoc|hoac)|[,(\-])$")
_BULLET = re.compile(r"^[-+•*–]\s")
_NEW_BODY = re.compile(
    r"^(Sở|Phòng|Văn phòng|Thanh tra|Trung tâm|Ban|Các (sở|phòng|cơ quan|đơn vị|ban)|Đơn vị|Bộ phận|"
    r"Công an|Trường|Đài|Bưu điện|Ủy ban|Uỷ ban)\b"
)
_NARROW = ("lead", "coordinating", "deadline", "note")
_MAX_LINES = {"lead": 10, "coordinating": 10, "deadline": 5, "note": 4, "target": 30, "output": 30}
_DEADLINE_START = re.compile(
    r"^(thuong|trong|nam|quy|thang|hang|hang|dinh|truoc|cham|khi|theo|sau|tu|den|ca|lien|dot|ngay|kip|"
    r"tuan|giai|hoan|du|da|\d|muon|sau|nhanh|som|ngay|chua|cac|moi|tiep)"
)
_WIDE = ("content", "target", "output")


@lru_cache(maxsize=4096)
def deadline_kind(text: str) -> DeadlineKind:
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", text)] or [2024]
    try:
        return parse_deadline(text, from_year=min(years), to_year=max(years)).kind
    except Exception:  # pragma: no cover - the parser is total, but a table must not fail on it
        return DeadlineKind.UNKNOWN


class Widths:
    """Column widths in characters, estimated from the lines of the table."""

    def __init__(self, items: list, roles: list[str]):
        lengths = sorted(
            len(t) for it in items if not isinstance(it, list) for seg in it.segments for t, _ in seg
        )
        if not lengths:
            lengths = [60]
        wide = lengths[min(len(lengths) - 1, int(len(lengths) * 0.95))]
        self.w = {r: float(wide) for r in _WIDE}
        # deadline: the last lines of the first part of rows, when they read as a deadline
        dl = []
        for it in items:
            if not isinstance(it, list) and it.segments[0]:
                seg = [t for t, _ in it.segments[0]]
                for k in (1, 2, 3):
                    tail = seg[-k:]
                    if len(seg) > k and deadline_kind(join_lines(tail)) != DeadlineKind.UNKNOWN:
                        if not BODY_WORDS.search(fold(join_lines(tail))):
                            dl.append(max(len(t) for t in tail))
        narrow = [n for n in lengths if n < wide * 0.7]
        mid = narrow[int(len(narrow) * 0.85)] if narrow else wide * 0.4
        self.w.update({r: float(mid) for r in _NARROW})
        if dl:
            dl.sort()
            self.w["deadline"] = float(dl[int(len(dl) * 0.9)])
        self.w["note"] = min(self.w["note"], 12.0)
        if len([r for r in roles if r in _WIDE]) > 1:  # target/output share the width with content
            for r in ("target", "output"):
                self.w[r] = max(self.w["lead"], wide * 0.5)


def _first_word(text: str) -> int:
    return len(text.split(" ", 1)[0])


def _starts_lower(text: str) -> bool:
    return text[:1].isalpha() and text[:1].islower()


class _Cutter:
    def __init__(self, roles: list[str], widths: Widths, blank_style: bool, fit_cache: dict | None = None):
        self.roles = roles
        self.w = widths.w
        self.blank_style = blank_style
        self._fit: dict[tuple[str, str, bool, str], float] = {} if fit_cache is None else fit_cache

    def internal(self, a: str, b: str, gap_b: str, role: str) -> float:
        w = self.w[role]
        score = 0.0
        if _NEW_BODY.match(b) and not re.search(r"[,;]$|\b(và|với|của|cho|tại)$", a):
            score -= 1.2  # "Phòng Tổ chức …" under "Báo cáo kết quả": a new cell
        if not (_BULLET.match(b) or a.endswith(":")):
            fill = len(a) + 1 + _first_word(b)
            short = 0.9 * w - fill
            if short > 0:
                score -= 15.0 * short / w
        if self.blank_style and gap_b == "":
            score -= 0.7
        return score

    def overflow(self, a: str, role: str) -> float:
        over = len(a) - 1.15 * self.w[role] - 2
        return -6.0 * over / self.w[role] if over > 0 else 0.0

    def transition(self, a: str, b: str, gap_b: str, next_role: str) -> float:
        score = 0.0
        if _starts_lower(b) and next_role != "note":
            score -= 2.0
        if self.blank_style and gap_b == "":
            score += 0.7
        if _DANGLING.search(fold(a).rstrip(" ")):
            score -= 1.5
        elif a.rstrip().endswith(";"):
            score -= 0.6
        return score

    def fit(self, text: str, role: str, first: bool, before: str) -> float:
        folded = fold(text) if role in _NARROW else ""
        score = 0.0
        if role in ("lead", "coordinating"):
            bodies = BODY_WORDS.search(folded)
            if bodies:
                score += 0.5
            elif len(text) < 40 and deadline_kind(text) != DeadlineKind.UNKNOWN:
                score -= 3.0
            else:
                score -= 1.0
        elif role == "deadline":
            kind = deadline_kind(text) if len(text) < 90 else DeadlineKind.UNKNOWN
            if kind != DeadlineKind.UNKNOWN:
                score += 1.5
                if BODY_WORDS.search(folded) and kind in (DeadlineKind.FIXED, DeadlineKind.CONTINUOUS):
                    score -= 3.0
            elif BODY_WORDS.search(folded):
                score -= 2.0
            if not _DEADLINE_START.match(folded):
                score -= 1.5
            if len(text) > 80:
                score -= 2.0
        elif role == "note":
            score -= 1.0
        if not first:  # a part after a page break continues what the first part left unfinished
            if not before:
                score -= 1.0
            elif before.endswith((";", ",")) or _DANGLING.search(fold(before[-12:])):
                score += 1.0
            elif role == "deadline" and deadline_kind(before) != DeadlineKind.UNKNOWN:
                score -= 1.0
        return score

    def skip(self, role: str, first: bool) -> float:
        if not first:
            return 0.0
        return {"lead": -4.0, "coordinating": -1.0, "deadline": -2.0, "output": -1.0, "target": -0.5}.get(
            role, 0.0
        )

    def cut(self, seg: list[tuple[str, str]], first: bool, before: dict[str, str]) -> list[str]:
        """Role of each line of one part of a row (dynamic programming over cell boundaries)."""
        texts = [t for t, _ in seg]
        gaps = [g for _, g in seg]
        n, roles = len(texts), self.roles
        nr = len(roles)
        neg = float("-inf")
        # prefix sums of line scores per role: overflow of each line, wrapping between neighbours
        p_over, p_inner = [], []
        for role in roles:
            acc, po = 0.0, [0.0]
            for t in texts:
                acc += self.overflow(t, role)
                po.append(acc)
            acc, pi = 0.0, [0.0]
            for k in range(n - 1):
                acc += self.internal(texts[k], texts[k + 1], gaps[k + 1], role)
                pi.append(acc)
            p_over.append(po)
            p_inner.append(pi)
        skip_prefix = [0.0]
        for role in roles:
            skip_prefix.append(skip_prefix[-1] + self.skip(role, first))
        trans = [[0.0] * nr for _ in range(n)]
        for i in range(1, n):
            for r in range(nr):
                trans[i][r] = self.transition(texts[i - 1], texts[i], gaps[i], roles[r])
        limit = [_MAX_LINES.get(role, n) for role in roles]
        reach = max(limit[1:], default=0)
        joined: dict[tuple[int, int], str] = {}

        before_of = [before.get(role, "") for role in roles]
        fits = self._fit

        def cell(i: int, j: int, r: int) -> float:
            text = joined.get((i, j))
            if text is None:
                text = join_lines(texts[i:j]) if j - i < 2 else join_pair(joined[(i, j - 1)], texts[j - 1])
                joined[(i, j)] = text
            key = (text, roles[r], first, before_of[r])
            fit = fits.get(key)
            if fit is None:
                fit = fits[key] = self.fit(text, roles[r], first, before_of[r])
            return fit + p_over[r][j] - p_over[r][i] + p_inner[r][j - 1] - p_inner[r][i]

        best = [[neg] * nr for _ in range(n + 1)]
        back: dict[tuple[int, int], tuple[int, int]] = {}
        # prefix[i][r] = max over q < r of best[i][q] - skip_prefix[q + 1], with the argmax
        # prefixes[i] is final once best[i] is (every j > i reads it): computed once per i
        prefixes: list[list[tuple[float, int]]] = [[]] * (n + 1)
        for j in range(1, n + 1):
            run, arg = neg, -1
            pref_j = []
            for q in range(nr):
                pref_j.append((run, arg))
                v = best[j - 1][q] - skip_prefix[q + 1] if best[j - 1][q] != neg else neg
                if v > run:
                    run, arg = v, q
            prefixes[j - 1] = pref_j
            # a cell after the first needs a role before it, so the first role only starts at 0:
            # from 1 on, no cell is longer than the longest limit of the other roles
            for i in (0, *range(max(1, j - reach), j)):
                pref = prefixes[i]
                for r in range(nr):
                    if j - i > limit[r]:
                        continue
                    if i == 0:
                        if first and r != 0:
                            continue
                        s = skip_prefix[r] + cell(0, j, r)
                        if s > best[j][r]:
                            best[j][r], back[(j, r)] = s, (0, -1)
                        continue
                    run, arg = pref[r]
                    if arg < 0:
                        continue
                    s = run + skip_prefix[r] + trans[i][r] + cell(i, j, r)
                    if s > best[j][r]:
                        best[j][r], back[(j, r)] = s, (i, arg)
        final = [best[n][r] + skip_prefix[nr] - skip_prefix[r + 1] for r in range(nr)]
        r = max(range(nr), key=lambda k: final[k])
        out = [""] * n
        j = n
        while j > 0:
            i, q = back[(j, r)]
            for k in range(i, j):
                out[k] = roles[r]
            j, r = i, q
        return out

    def fit_cached(self, text: str, role: str, first: bool, before: str) -> float:
        key = (text, role, first, before)
        if key not in self._fit:
            self._fit[key] = self.fit(text, role, first, before)
        return self._fit[key]


def assign_rows(items: list, roles: list[str], widths: Widths, blank_style: bool, fits: dict) -> list:
    """Each group as (roman, title); each row as [(stt, {role: lines})] for it and its sub-rows."""
    cutter = _Cutter(roles, widths, blank_style=blank_style, fit_cache=fits)
    out: list = []
    for it in items:
        if isinstance(it, list):
            out.append((it[1], it[2]))
            continue
        parts: list[tuple[str, dict[str, list[str]]]] = []
        for k, seg in enumerate(it.segments):
            for n, sub in enumerate(_subrows(seg, widths, roles)):
                if not parts or n > 0:
                    parts.append((it.stt if not parts else "", {r: [] for r in roles}))
                    first = True
                else:
                    first = k == 0
                cells = parts[-1][1]
                before = {r: join_lines(v) for r, v in cells.items()}
                assigned = cutter.cut(sub, first=first, before=before)
                for (text, _), role in zip(sub, assigned, strict=True):
                    cells[role].append(text)
        out.append(parts)
    return out


def _subrows(seg: list[tuple[str, str]], widths: Widths, roles: list[str]) -> list[list[tuple[str, str]]]:
    """A row with no STT of its own (a second task under a merged cell) starts where a line as wide
    as only the content column can be comes after narrower lines."""
    others = [widths.w[r] for r in roles if r != "content"]
    if "content" not in roles or not others:
        return [seg]
    wide = 1.15 * max(others) + 2
    if widths.w["content"] < wide * 1.1:
        return [seg]
    content = widths.w["content"]
    parts: list[list[tuple[str, str]]] = [[]]
    narrow_seen = False
    for k, (text, gap) in enumerate(seg):
        if (
            narrow_seen
            and len(text) >= wide
            and text[:1].isupper()
            and len(seg[k - 1][0]) < wide
            and len(seg[k - 1][0]) + 1 + _first_word(text) < 0.8 * content
        ):
            parts.append([])
            narrow_seen = False
        parts[-1].append((text, gap))
        if len(text) < 0.6 * content and parts[-1][0][0] != text:
            narrow_seen = True
    return [p for p in parts if p]
