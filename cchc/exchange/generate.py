"""Synthetic dossiers in the exchange format (`cchc dossiers generate`), realistic and reproducible.

    units = province_units("P75")                       # the province, its agencies, its communes
    with open("dossiers.csv", "w", encoding="utf-8", newline="") as out:
        stats = generate(out, count=1_000_000, seed=42, units=units, year=2026)

The same ``seed`` (and count, year and units) gives the same bytes, whatever the number of worker
processes: rows are made in chunks of `CHUNK` rows, each from its own seeded random stream, and
written in order. Every distribution is documented in docs/dossier-generator.md; the numbers live
in `distributions.py`.

Pure Python, no Django: due dates come from `cchc.core.workingtime` (``DuePolicy.bulk_due`` on the
shipped Vietnamese calendar), procedures from `cchc.procedures.data/tthc-clean.csv` classified by
`cchc.procedures.fields`, communes from `vietnam-provinces`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import math
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from cchc.core.workingtime import TZ, DuePolicy, default_calendar
from cchc.orgs.data.agencies import AGENCY_SUBUNITS, PROVINCIAL_AGENCIES
from cchc.procedures import fields as rules
from cchc.procedures.clean_names import read_clean

from .distributions import (
    AFTERNOON_START,
    AGENCY_VOLUME,
    COMMUNE_SHARE,
    COMMUNE_SIZE_SIGMA,
    CUTOFF,
    DEFAULT_DAYS,
    DEFAULT_FEE,
    DIGITISED,
    E_RESULT,
    FEE_EXEMPT,
    FIELD_DAYS,
    FIELD_FEE,
    FIELD_ONLINE,
    LATE_MEAN_DAYS,
    MONTH_WEIGHT,
    MORNING,
    NEW_DUE_DAYS,
    NOT_COLLECTED,
    PAID_ONLINE,
    PAUSE_DAYS_MEAN,
    PINNED,
    RATED,
    RATINGS_LATE,
    RATINGS_ON_TIME,
    RESULT_SHARES,
    REUSED,
    STUCK_SHARE,
    SUPPLEMENTS,
    UNIT_APOLOGY,
    UNIT_DIGITISE,
    UNIT_LATE,
    UNIT_ONLINE,
    UNIT_POST,
    UNIT_REUSE,
    WEEKDAY_WEIGHT,
    WORK_END,
    WORK_START,
    ZIPF_S,
)
from .formats import DOSSIER_COLUMNS

CHUNK = 50_000

# --- units and procedures ------------------------------------------------------------------------


def province_units(province: str = "P75") -> list[tuple[str, str, str]]:
    """(code, name, parent code) for a province, its agencies (`cchc.orgs.data.agencies`, the units
    under them) and its communes (`vietnam-provinces`), parents first."""
    import vietnam_provinces as vp

    code = province.strip().upper()
    if not (code.startswith("P") and code[1:].isdigit()):
        raise ValueError(f"mã tỉnh không hợp lệ: {province!r} (dạng P75)")
    number = int(code[1:])
    found = next((p for p in vp.Province.iter_all() if int(p.code) == number), None)
    if found is None:
        raise ValueError(f"không có tỉnh, thành phố mã {province!r}")
    kind = getattr(found.division_type, "value", str(found.division_type))
    name = (
        found.name
        if found.name.startswith("Thành phố")
        else f"{'Tỉnh' if kind == 'tỉnh' else 'Thành phố'} {found.name}"
    )
    base = f"P{number:02d}"
    units = [(base, name, "")]
    for suffix, agency, *_ in PROVINCIAL_AGENCIES:
        units.append((f"{base}.{suffix}", agency, base))
    for parent, suffix, sub, _ in AGENCY_SUBUNITS:
        units.append((f"{base}.{suffix}", sub, f"{base}.{parent}"))
    for ward in vp.Ward.iter_all():
        if int(ward.province_code) == number:
            units.append((f"W{int(ward.code):05d}", ward.name, base))
    return units


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    field: str
    agency: str
    level: str


def procedure_catalogue() -> list[Procedure]:
    """The cleaned procedure names a province publishes (as `cchc.procedures.demo` selects them)."""
    rows = [r for r in read_clean() if r["ten_tthc"] and not r["canh_bao"]]
    national = {r["ma_tthc"] for r in rows if ".H" not in r["ma_tthc"]}
    out, codes = [], set()
    for r in rows:
        code, name = r["ma_tthc"], r["ten_tthc"]
        if ".H" in code and code.split(".H")[0] in national:
            continue
        if r["co_quan_goc"].startswith("Cục ") or rules.is_central_only(name):
            continue
        found = rules.classify(name, r["linh_vuc_goc"])
        if found is None or code in codes:
            continue
        codes.add(code)
        out.append(Procedure(code, name, found.field, found.agency, found.level))
    return out


def unit_role(code: str, has_children: bool) -> tuple[str, str]:
    """(role, agency suffix): "commune", "agency", "centre", "generic" or "" (handles nothing)."""
    if code.startswith("W") and code[1:].isdigit():
        return "commune", ""
    head, _, rest = code.partition(".")
    if head.startswith("P") and head[1:].isdigit() and rest:
        if rest == "TTPVHCC":
            return "centre", "TTPVHCC"
        if rest in AGENCY_VOLUME:
            return "agency", rest
        return "", ""
    if head.startswith("P") and head[1:].isdigit():
        return "", ""
    return ("generic", "") if not has_children else ("", "")


# --- the generator state (built once, shared by forked workers) --------------------------------------


def _clipped(rng: random.Random, spec: tuple[float, float, float, float]) -> float:
    mean, spread, low, high = spec
    return min(high, max(low, rng.gauss(mean, spread)))


def _pick(rng: random.Random, options: Sequence[tuple[object, float]]):
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _cum(pairs: Sequence[tuple[object, float]]) -> tuple[list, list[float]]:
    values, cum, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        cum.append(total)
    cum = [c / total for c in cum]
    cum[-1] = 1.0  # so that bisect on random() < 1 always lands on an item
    return values, cum


@dataclass
class UnitProfile:
    code: str
    csv_code: str
    prefix: str  # of its dossier codes
    weight: float
    online: float
    post: float
    late: float
    apology: float
    digitise: float
    reuse: float
    procs: list[int] = field(default_factory=list)  # indices into the catalogue
    proc_cum: list[float] = field(default_factory=list)


@dataclass
class ProcProfile:
    code: str
    days: int
    fee: float
    online_factor: float


class _State:
    def __init__(
        self, units: Sequence[tuple[str, str, str]], seed: int | str, year: int, catalogue: list[Procedure]
    ):
        self.seed = seed
        self.year = year
        self.tz = TZ
        rng = random.Random(f"{seed}:setup")
        # procedures
        self.procs: list[ProcProfile] = []
        for p in catalogue:
            days = _pick(rng, FIELD_DAYS.get(p.field, DEFAULT_DAYS))
            share = FIELD_FEE.get(p.field, DEFAULT_FEE)
            fee = (1 - FEE_EXEMPT) if rng.random() < share else 0.0
            self.procs.append(ProcProfile(p.code, days, fee, FIELD_ONLINE.get(p.field, 1.0)))
        pools: dict[tuple[str, str], list[int]] = {}
        for i, p in enumerate(catalogue):
            if p.level == "commune":
                pools.setdefault(("commune", ""), []).append(i)
            elif p.level == "central_local":
                pools.setdefault(("centre", "TTPVHCC"), []).append(i)
            else:
                pools.setdefault(("agency", p.agency), []).append(i)
        pools[("generic", "")] = list(range(len(catalogue)))
        pool_weights: dict[tuple[str, str], tuple[list[int], list[float]]] = {}
        for key, members in pools.items():
            order = members[:]
            rng.shuffle(order)
            base = {m: 1.0 / (rank + 3) ** ZIPF_S for rank, m in enumerate(order)}
            pinned = {m: PINNED[catalogue[m].code] for m in members if catalogue[m].code in PINNED}
            rest = sum(w for m, w in base.items() if m not in pinned)
            share = sum(pinned.values())
            scale = rest / (1 - share) if share < 1 else rest
            if rest == 0:  # a pool of pinned procedures only: their shares are the weights
                scale = 1.0
            weights = [(m, pinned[m] * scale if m in pinned else base[m]) for m in members]
            pool_weights[key] = _cum(weights)  # type: ignore[assignment]
        # units
        children = {c for _, _, c in units if c}
        self.units: list[UnitProfile] = []
        commune_total = other_total = 0.0
        for code, name, _parent in units:
            role, agency = unit_role(code, code in children)
            pool = pool_weights.get((role, agency)) if role else None
            urng = random.Random(f"{seed}:unit:{code}")
            if pool is None or not pool[0]:
                weight = 0.0
            elif role == "commune":
                weight = math.exp(urng.gauss(0, COMMUNE_SIZE_SIGMA)) * (
                    1.5 if name.startswith("Phường") else 1.0
                )
                commune_total += weight
            else:
                weight = float(AGENCY_VOLUME.get(agency, 1.0))
                other_total += weight
            median, sigma, low, high = UNIT_LATE
            profile = UnitProfile(
                code=code,
                csv_code=_csv(code),
                prefix="".join("_" if ch in ',"\r\n' else ch for ch in code),
                weight=weight,
                online=_clipped(urng, UNIT_ONLINE),
                post=_clipped(urng, UNIT_POST),
                late=min(high, max(low, median * math.exp(urng.gauss(0, sigma)))),
                apology=_clipped(urng, UNIT_APOLOGY),
                digitise=_clipped(urng, UNIT_DIGITISE),
                reuse=_clipped(urng, UNIT_REUSE),
            )
            if pool is not None and weight > 0:
                profile.procs, profile.proc_cum = pool
            self.units.append(profile)
        if commune_total and other_total:
            for u in self.units:
                if u.weight:
                    is_commune = unit_role(u.code, u.code in children)[0] == "commune"
                    u.weight *= (
                        (COMMUNE_SHARE / commune_total) if is_commune else ((1 - COMMUNE_SHARE) / other_total)
                    )
        active = [i for i, u in enumerate(self.units) if u.weight > 0]
        if not active:
            raise ValueError("không có đơn vị nào tiếp nhận hồ sơ (cần xã/phường, sở hoặc đơn vị lá)")
        self.active, self.unit_cum = _cum([(i, self.units[i].weight) for i in active])

        # calendar: receipt days, working-day index, strings of days and times
        calendar = default_calendar(years=(year - 1, year + 2))
        self.policy = DuePolicy(calendar)
        first = dt.date(year - 1, 12, 1)
        last = dt.date(year, 12, 31)
        self.snapshot = dt.date(year + 1, 1, 1).toordinal() * 86400
        horizon = last + dt.timedelta(days=400)
        self.base = first.toordinal() - 1
        self.work: list[int] = []
        self.index: dict[int, int] = {}
        day = first - dt.timedelta(days=1)
        while day <= horizon:
            o = day.toordinal()
            self.index[o] = len(self.work)
            if calendar.is_working_day(day):
                self.work.append(o)
            day += dt.timedelta(days=1)
        receipt_days = [
            (o, MONTH_WEIGHT[dt.date.fromordinal(o).month] * WEEKDAY_WEIGHT[dt.date.fromordinal(o).weekday()])
            for o in self.work
            if first.toordinal() <= o <= last.toordinal()
        ]
        self.receipt_days, self.receipt_cum = _cum(receipt_days)
        self.days_str = [
            dt.date.fromordinal(o).isoformat() + " " for o in range(self.base, horizon.toordinal() + 1)
        ]
        self.days_compact = [
            dt.date.fromordinal(o).strftime("%y%m%d") for o in range(self.base, horizon.toordinal() + 1)
        ]
        self.times_str = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]
        self.due_cache: dict[tuple[int, int, bool], int] = {}

    def due(self, o: int, n: int, after_cutoff: bool) -> int:
        """Due moment (local seconds since ordinal 0) of a receipt on working day ``o``: for a
        receipt before the cut-off the day only (its time of day is kept), after it the moment."""
        key = (o, n, after_cutoff)
        found = self.due_cache.get(key)
        if found is None:
            day = dt.date.fromordinal(o)
            probe = dt.datetime.combine(day, dt.time(16 if after_cutoff else 9), self.tz)
            due = self.policy.bulk_due([probe], [n])[0]
            if after_cutoff:
                found = due.toordinal() * 86400 + due.hour * 3600 + due.minute * 60 + due.second
            else:
                assert (due.hour, due.minute, due.second) == (9, 0, 0), due
                found = due.toordinal()
            self.due_cache[key] = found
        return found

    def fmt(self, moment: int) -> str:
        o, s = divmod(moment, 86400)
        return self.days_str[o - self.base] + self.times_str[s]


def _csv(value: str) -> str:
    if any(ch in value for ch in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


# --- rows ------------------------------------------------------------------------------------------


def _chunk(state: _State, number: int, start: int, count: int) -> str:
    """Rows ``start`` … ``start + count - 1`` (global numbers) of chunk ``number``, as CSV text."""
    rng = random.Random(f"{state.seed}:chunk:{number}")
    rand = rng.random
    expo = rng.expovariate
    bis = bisect.bisect_left
    units, active, unit_cum = state.units, state.active, state.unit_cum
    procs = state.procs
    rdays, rcum = state.receipt_days, state.receipt_cum
    work, index = state.work, state.index
    fmt = state.fmt
    due_of = state.due
    days_compact, base = state.days_compact, state.base
    days_str, times_str = state.days_str, state.times_str
    snapshot = state.snapshot
    sup_values, sup_cum = _cum(SUPPLEMENTS)
    res_values, res_cum = _cum(RESULT_SHARES)
    rat_ok_values, rat_ok_cum = _cum(RATINGS_ON_TIME)
    rat_late_values, rat_late_cum = _cum(RATINGS_LATE)
    out: list[str] = []
    append = out.append
    for row in range(start, start + count):
        u = units[active[bis(unit_cum, rand())]]
        pi = u.procs[bis(u.proc_cum, rand())]
        p = procs[pi]
        # channel
        r = rand()
        online_share = u.online * p.online_factor
        if online_share > 0.95:
            online_share = 0.95
        if r < u.post:
            kenh = "buu_chinh"
        elif r < u.post + online_share * (1 - u.post):
            kenh = "truc_tuyen"
        else:
            kenh = "truc_tiep"
        # receipt in working hours of a working day
        o = rdays[bis(rcum, rand())]
        t = 1 + int(rand() * 28799)
        s = WORK_START + t if t < MORNING else AFTERNOON_START - MORNING + t
        recv = o * 86400 + s
        n = p.days
        recv_txt = days_str[o - base] + times_str[s]
        if s < CUTOFF:
            due_day = due_of(o, n, False)
            due = due_day * 86400 + s
            due_txt = days_str[due_day - base] + times_str[s]
        else:
            due = due_of(o, n, True)
            due_txt = fmt(due)
        # supplements and the pause they cause (calendar time, in quarter hours)
        so_lan = sup_values[bis(sup_cum, rand())]
        if so_lan:
            pause_q = min(30, 1 + int(expo(1 / PAUSE_DAYS_MEAN))) * 96 + int(rand() * 32)
            pause_txt = f"{pause_q // 4}" + ("", ".25", ".5", ".75")[pause_q % 4]
        else:
            pause_q = 0
            pause_txt = "0"
        # processing: effective end e (before adding the pause), on time or late
        ri = index[o]
        di = index[due // 86400]
        late_time = rand() < u.late
        if late_time:
            j = min(60, 1 + int(expo(1 / LATE_MEAN_DAYS)))
            e = work[di + j] * 86400 + WORK_START + int(rand() * (WORK_END - WORK_START))
        else:
            k = ri + int((di - ri + 1) * rand() ** 1.3)
            e = work[k] * 86400 + WORK_START + int(rand() * (WORK_END - WORK_START))
            if e < recv + 600:
                e = recv + 600 + int(rand() * 3000)
            if e > due:
                e = due
        end = e + pause_q * 900
        late = late_time or so_lan > 1
        stuck = rand() < STUCK_SHARE
        open_ = stuck or end >= snapshot
        # apology and new date
        if late and rand() < u.apology:
            xin_loi = "1"
            m = NEW_DUE_DAYS[0] + int(rand() * (NEW_DUE_DAYS[1] - NEW_DUE_DAYS[0] + 1))
            han_tra_moi = fmt(work[di + m] * 86400 + due % 86400)
        else:
            xin_loi = "0"
            han_tra_moi = ""
        # fee and online payment
        fee = "1" if rand() < p.fee else "0"
        paid = "1" if fee == "1" and rand() < PAID_ONLINE[kenh] else "0"
        so_hoa = "1" if rand() < u.digitise * DIGITISED[kenh] else "0"
        reuse = "1" if rand() < u.reuse * REUSED[kenh] else "0"
        if open_:
            ket_thuc = tra = ket_qua = danh_gia = ""
            e_result = "0"
        else:
            ket_thuc = fmt(end)
            ket_qua = res_values[bis(res_cum, rand())]
            if ket_qua in ("chap_thuan", "tu_choi"):
                e_result = "1" if rand() < E_RESULT[kenh] else "0"
                if rand() < NOT_COLLECTED:
                    tra = ""
                elif e_result == "1" and kenh == "truc_tuyen":
                    tra = ket_thuc  # the electronic result is the hand-back
                else:
                    # at the desk or by post: 0–3 working days later, in working hours
                    back = work[index[end // 86400] + int(rand() * rand() * 4)] * 86400 + WORK_START
                    back += int(rand() * (WORK_END - WORK_START))
                    if back < end:
                        back = end + int(rand() * 3600)
                    tra = fmt(back) if back < snapshot else ""
            else:
                e_result = "0"
                tra = ""
            if rand() < RATED[kenh]:
                if late:
                    danh_gia = rat_late_values[bis(rat_late_cum, rand())]
                else:
                    danh_gia = rat_ok_values[bis(rat_ok_cum, rand())]
            else:
                danh_gia = ""
        append(
            ",".join(
                (
                    f"{u.prefix}-{days_compact[o - base]}-{row + 1:08d}",
                    p.code,
                    u.csv_code,
                    kenh,
                    recv_txt,
                    due_txt,
                    han_tra_moi,
                    ket_thuc,
                    tra,
                    ket_qua,
                    str(so_lan),
                    pause_txt,
                    fee,
                    paid,
                    e_result,
                    so_hoa,
                    reuse,
                    xin_loi,
                    danh_gia,
                )
            )
        )
    out.append("")
    return "\n".join(out)


_WORKER_STATE: _State | None = None


def _worker(task: tuple[int, int, int]) -> str:
    assert _WORKER_STATE is not None
    return _chunk(_WORKER_STATE, *task)


@dataclass
class GenerateStats:
    rows: int
    units: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _tasks(count: int) -> Iterator[tuple[int, int, int]]:
    for number, start in enumerate(range(0, count, CHUNK)):
        yield number, start, min(CHUNK, count - start)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def generate(
    out,
    *,
    count: int,
    seed: int | str = 0,
    units: Sequence[tuple[str, str, str]] | None = None,
    province: str = "P75",
    year: int = 2026,
    jobs: int | None = None,
    progress: Callable[[int, int, float], None] | None = None,
    catalogue: list[Procedure] | None = None,
) -> GenerateStats:
    """Write ``count`` dossiers (header first) to the text stream ``out``.

    ``units``: (code, name, parent) rows — the whole tree, as in orgs.csv; default the province
    tree of ``province``. ``jobs``: worker processes (default: the CPUs available); the bytes do
    not depend on it. ``progress(done, total, seconds)`` is called after each chunk."""
    global _WORKER_STATE
    started = time.perf_counter()
    state = _start(count, seed, units, province, year, catalogue)
    out.write(",".join(DOSSIER_COLUMNS) + "\n")
    jobs = default_jobs() if jobs is None else max(1, jobs)
    tasks = list(_tasks(count))
    done = 0
    if jobs == 1 or len(tasks) <= 1:
        chunks: Iterable[str] = (_chunk(state, *task) for task in tasks)
        pool = None
    else:
        import multiprocessing

        _WORKER_STATE = state
        pool = multiprocessing.get_context("fork").Pool(min(jobs, len(tasks)))
        chunks = pool.imap(_worker, tasks, chunksize=1)
    try:
        for task, text in zip(tasks, chunks, strict=True):
            out.write(text)
            done += task[2]
            if progress is not None:
                progress(done, count, time.perf_counter() - started)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
            _WORKER_STATE = None
    return GenerateStats(count, sum(1 for u in state.units if u.weight > 0), time.perf_counter() - started)


def _start(count, seed, units, province, year, catalogue) -> _State:
    if count < 0:
        raise ValueError("số hồ sơ phải ≥ 0")
    if not 1977 <= year <= 2098:
        raise ValueError("năm phải trong khoảng 1977–2098")
    units = list(units) if units is not None else province_units(province)
    return _State(units, seed, year, catalogue if catalogue is not None else procedure_catalogue())


def generate_lines(
    *,
    count: int,
    seed: int | str = 0,
    units: Sequence[tuple[str, str, str]] | None = None,
    province: str = "P75",
    year: int = 2026,
    catalogue: list[Procedure] | None = None,
) -> Iterator[str]:
    """The lines `generate` writes for the same arguments (header first), made in this process
    as they are read — for `cchc dossiers generate --database`, which imports them as they come
    instead of writing a file. Bad arguments raise at once, not at the first line."""
    state = _start(count, seed, units, province, year, catalogue)
    return _lines(state, count)


def _lines(state: _State, count: int) -> Iterator[str]:
    yield ",".join(DOSSIER_COLUMNS) + "\n"
    for task in _tasks(count):
        # split as a file opened with newline="" is: the import counts lines the same way
        yield from io.StringIO(_chunk(state, *task), newline="")


def units_from_tree(tree) -> list[tuple[str, str, str]]:
    """(code, name, parent) rows of an `OrgTree`, in file order."""
    return [(u.code, u.name, u.parent or "") for u in tree]


def _vn(n: float) -> str:
    """12.345.678 (Vietnamese thousands separator)."""
    return f"{n:,.0f}".replace(",", ".")


def print_progress(stream=sys.stderr) -> Callable[[int, int, float], None]:
    last = [0.0]

    def report(done: int, total: int, seconds: float) -> None:
        if seconds - last[0] >= 1.0 or done == total:
            last[0] = seconds
            rate = done / seconds if seconds else 0
            pct = 100 * done / total if total else 100
            stream.write(f"  {_vn(done)} / {_vn(total)} hồ sơ ({pct:.0f}%), {_vn(rate)} hồ sơ/giây\n")
            stream.flush()

    return report


def generate_files(
    *,
    count: int,
    seed: int | str,
    out: str | None = None,
    orgs: str | None = None,
    orgs_out: str | None = None,
    province: str = "P75",
    year: int = 2026,
    jobs: int | None = None,
    stdout=None,
    progress: Callable[[int, int, float], None] | None = None,
) -> GenerateStats:
    """What `cchc dossiers generate` does: units from ``orgs`` (orgs.csv) or the ``province`` tree,
    orgs.csv written to ``orgs_out`` if given, dossiers to ``out`` (a path) or ``stdout``.

    Raises `ExchangeError` (bad orgs.csv) or ValueError (bad province, year, count)."""
    from .orgs import read_orgs, write_orgs

    units = units_from_tree(read_orgs(orgs)) if orgs else province_units(province)
    if orgs_out:
        write_orgs(orgs_out, units)
    if out:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            return generate(fh, count=count, seed=seed, units=units, year=year, jobs=jobs, progress=progress)
    target = stdout if stdout is not None else sys.stdout
    return generate(target, count=count, seed=seed, units=units, year=year, jobs=jobs, progress=progress)
