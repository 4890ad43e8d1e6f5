"""A realistic procedure catalogue for the demo province, built from the cleaned 2025 names.

`load_demo_catalogue(province=…)` reads `data/tthc-clean.csv` (made from `data/tthc-names.csv`
by `cchc.procedures.clean_names`), keeps the names a province publishes, and gives each one —
deterministically, from a seed made of the province code — what a real catalogue entry has:

- field, competent agency and level from words of the name (`cchc.procedures.fields`): the
  province's agencies (P75.STP, P75.SXD, …); commune-level procedures (hộ tịch, chứng thực,
  hộ kinh doanh, schools up to lower secondary, …) recorded once with the province as agency,
  meaning every commune; central procedures received locally (tax, social insurance,
  immigration, …) at the province's Public Administration Service Centre;
- processing time from the distribution of its field (`TIMES`): one working day or a few
  working hours for civil status and certification, 10–30 working days for land and
  construction, 3–20 working days for most others, some in calendar days;
- fee: most free; where the field charges, an amount from `FEES` and a note;
- online mode: toàn trình for about half, một phần for about two fifths, the rest none (land
  and construction are mostly một phần: the original papers must be seen);
- 2–5 internal steps B1…Bn with actor roles whose times add up exactly to the processing time;
- 1–4 dossier components, the application form first;
- the announcement: one decision per agency and field in 2025, the date made public on the
  national portal a few working days later for the 9 in 10 that are synced, and the date the
  legal basis took effect (mostly after the announcement, some before: published late).

Names flagged by the cleaner (truncated, not a name), ministry-only procedures and duplicate
names are left out. Loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from django.db import transaction

from cchc.core.actors import Actor
from cchc.core.text import fold
from cchc.orgs.models import Unit, UnitKind

from . import fields as field_rules
from .clean_names import read_clean
from .models import Level, OnlineMode, Procedure, TimeUnit
from .services import procedure_save, procedure_set_parts

WD, WH, CD = TimeUnit.WORKING_DAY, TimeUnit.WORKING_HOUR, TimeUnit.CALENDAR_DAY

# field → [(time, unit, weight)]
TIMES: dict[str, list[tuple[int, str, int]]] = {
    "Hộ tịch": [(1, WD, 6), (3, WD, 2), (5, WD, 1), (8, WH, 1)],
    "Chứng thực": [(4, WH, 3), (8, WH, 2), (2, WD, 2)],
    "Cư trú": [(3, WD, 3), (7, WD, 1)],
    "Đất đai": [(10, WD, 3), (15, WD, 2), (20, WD, 2), (30, CD, 1)],
    "Hoạt động xây dựng": [(10, WD, 2), (15, WD, 2), (20, WD, 2), (30, CD, 1)],
    "Quy hoạch, kiến trúc": [(15, WD, 2), (20, WD, 2), (25, WD, 1)],
    "Khoáng sản": [(30, CD, 2), (45, CD, 1), (20, WD, 1)],
    "Đường bộ": [(2, WD, 2), (3, WD, 3), (5, WD, 3), (7, WD, 1)],
    "Thuế": [(3, WD, 2), (5, WD, 2), (6, WD, 1), (40, CD, 1)],
    "Giáo dục và Đào tạo": [(5, WD, 2), (10, WD, 2), (15, WD, 2), (20, WD, 1)],
}
DEFAULT_TIMES = [
    (3, WD, 2),
    (5, WD, 4),
    (7, WD, 3),
    (10, WD, 4),
    (15, WD, 4),
    (20, WD, 2),
    (30, WD, 1),
    (30, CD, 1),
]

# field → (share with a fee, amounts in đồng)
FEES: dict[str, tuple[float, list[int]]] = {
    "Hộ tịch": (0.15, [5_000, 8_000, 1_000_000]),
    "Chứng thực": (0.9, [2_000, 10_000, 50_000]),
    "Đường bộ": (0.6, [50_000, 135_000, 200_000]),
    "Đường thủy nội địa": (0.5, [50_000, 70_000, 200_000]),
    "Lưu thông hàng hóa": (0.6, [200_000, 1_100_000, 2_200_000]),
    "Kinh doanh khí, xăng dầu": (0.6, [400_000, 1_200_000]),
    "Hoạt động xây dựng": (0.5, [75_000, 100_000, 150_000, 500_000]),
    "Đất đai": (0.7, [20_000, 50_000, 100_000]),
    "Khoáng sản": (0.7, [4_000_000, 10_000_000]),
    "Lý lịch tư pháp": (1.0, [200_000]),
}
DEFAULT_FEE = (0.25, [50_000, 100_000, 200_000, 500_000, 1_000_000])

# field → (share toàn trình, share một phần); the rest has no online service
ONLINE: dict[str, tuple[float, float]] = {
    "Đất đai": (0.1, 0.85),
    "Hoạt động xây dựng": (0.2, 0.75),
    "Quy hoạch, kiến trúc": (0.3, 0.65),
    "Hộ tịch": (0.7, 0.25),
    "Chứng thực": (0.3, 0.6),
    "Thuế": (0.85, 0.15),
}
DEFAULT_ONLINE = (0.5, 0.42)

# The process, by level: (what is done, who does it, weight of its share of the time). A weight
# of 0 is a short fixed step: half a working day (one quantum when the whole time is short).
RECEIVE_PROVINCE = ("Tiếp nhận, kiểm tra hồ sơ, chuyển cơ quan chuyên môn", "Bộ phận một cửa", 0)
RECEIVE_COMMUNE = ("Tiếp nhận, kiểm tra hồ sơ, chuyển công chức chuyên môn", "Bộ phận một cửa", 0)
ASSIGN = ("Phân công xử lý hồ sơ", "Lãnh đạo phòng chuyên môn", 1)
RETURN = ("Vào sổ, đóng dấu, trả kết quả", "Bộ phận một cửa", 0)
PROCESS_PROVINCE = [
    ("Thẩm định hồ sơ, dự thảo kết quả", "Chuyên viên phòng chuyên môn", 6),
    ("Xem xét, trình ký", "Lãnh đạo phòng chuyên môn", 1),
    ("Phê duyệt, ký kết quả", "Lãnh đạo cơ quan", 1),
]
COMMUNE_OFFICER = {
    "Hộ tịch": "Công chức tư pháp - hộ tịch",
    "Chứng thực": "Công chức tư pháp - hộ tịch",
    "Đất đai": "Công chức địa chính",
}
CENTRAL_PROCESS = [
    ("Giải quyết hồ sơ theo thẩm quyền", "Cơ quan trung ương có thẩm quyền (tại địa phương)", 6)
]
FIXED_SHORT = {WD: Decimal("0.5"), CD: Decimal("0.5"), WH: Decimal(1)}

APPLICATION = {
    "Hộ tịch": "Tờ khai theo mẫu ban hành kèm Thông tư của Bộ Tư pháp",
    "Chứng thực": "Bản chính giấy tờ, văn bản cần chứng thực",
    "Đất đai": "Đơn đăng ký, đề nghị theo Mẫu số 11/ĐK",
    "Thuế": "Tờ khai thuế theo mẫu",
}
EXTRA_COMPONENTS: dict[str, list[tuple[str, bool]]] = {
    "Hộ tịch": [("Giấy tờ làm căn cứ đăng ký (giấy chứng sinh, giấy báo tử…)", True)],
    "Chứng thực": [("Bản sao cần chứng thực", True)],
    "Đất đai": [
        ("Giấy chứng nhận quyền sử dụng đất đã cấp (bản gốc)", True),
        ("Hợp đồng, văn bản về chuyển quyền sử dụng đất", True),
    ],
    "Hoạt động xây dựng": [
        ("Bản vẽ thiết kế xây dựng", True),
        ("Giấy tờ về quyền sử dụng đất (bản sao)", True),
    ],
    "Đường bộ": [("Giấy chứng nhận đăng ký xe (bản sao)", True)],
    "Giáo dục và Đào tạo": [("Đề án, tờ trình kèm danh sách nhân sự", True)],
}
PERSONAL_FIELDS = {"Hộ tịch", "Chứng thực", "Cư trú"}  # no "conditions" or reports to prove
COMMON_COMPONENTS = [
    ("Giấy tờ chứng minh đủ điều kiện theo quy định (bản sao)", True),
    ("Tài liệu thuyết minh, báo cáo kèm theo", True),
    ("Văn bản ủy quyền (trường hợp nộp thay)", False),
]

# words of the name → what the applicant receives
RESULTS = [
    ("khai sinh", "Giấy khai sinh (bản chính); trích lục khai sinh"),
    ("kết hôn", "Giấy chứng nhận kết hôn; trích lục kết hôn"),
    ("khai tử", "Trích lục khai tử"),
    ("tình trạng hôn nhân", "Giấy xác nhận tình trạng hôn nhân"),
    ("chứng thực", "Bản sao, chữ ký hoặc hợp đồng được chứng thực"),
    ("giấy phép", "Giấy phép"),
    ("giấy chứng nhận", "Giấy chứng nhận"),
    ("chứng chỉ", "Chứng chỉ"),
    ("thẻ", "Thẻ"),
    ("thành lập", "Quyết định thành lập, cho phép thành lập"),
    ("công nhận", "Quyết định công nhận"),
    ("trợ cấp", "Quyết định hưởng trợ cấp"),
    ("hỗ trợ", "Quyết định hỗ trợ"),
    ("khai thuế", "Thông báo của cơ quan thuế"),
    ("hoàn thuế", "Quyết định hoàn thuế"),
    ("đăng ký", "Giấy xác nhận đăng ký"),
]
DEFAULT_RESULT = "Văn bản trả lời kết quả giải quyết"

DECISION_SYMBOL = "QĐ-UBND"
YEAR = 2025


def _pick(rng: random.Random, options):
    return rng.choices(options, weights=[o[-1] for o in options])[0]


def _result_type(name: str) -> str:
    lowered = name.lower()
    return next((result for words, result in RESULTS if words in lowered), DEFAULT_RESULT)


def _split(total: Decimal, weights: list[int], quantum: Decimal, short: Decimal) -> list[Decimal]:
    """Share `total` among the steps in whole quanta, each at least one, summing exactly: steps
    of weight 0 get `short` when there is room, the others share the rest by weight."""
    fixed = short if total >= 6 * short else quantum
    fixed_total = fixed * sum(1 for w in weights if w == 0)
    rest = _share(total - fixed_total, [w for w in weights if w], quantum)
    return [fixed if w == 0 else rest.pop(0) for w in weights]


def _share(total: Decimal, weights: list[int], quantum: Decimal) -> list[Decimal]:
    units = int(total / quantum)
    raw = [units * w / sum(weights) for w in weights]
    shares = [max(1, int(r)) for r in raw]
    order = sorted(range(len(weights)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    i = 0
    while sum(shares) < units:
        shares[order[i % len(order)]] += 1
        i += 1
    while sum(shares) > units:  # a step was raised to one quantum: take it from the biggest
        biggest = max(range(len(shares)), key=lambda j: shares[j])
        shares[biggest] -= 1
    return [quantum * s for s in shares]


def _steps(rng: random.Random, level: str, field: str, time: Decimal, unit: str) -> list[dict]:
    if level == Level.COMMUNE:
        officer = COMMUNE_OFFICER.get(field, "Công chức chuyên môn cấp xã")
        middle = [
            ("Thẩm định hồ sơ, dự thảo kết quả", officer, 4),
            ("Xem xét, ký kết quả", "Chủ tịch hoặc Phó Chủ tịch UBND cấp xã", 2),
        ]
        receive = RECEIVE_COMMUNE
    elif level == Level.CENTRAL_LOCAL:
        middle, receive = (
            CENTRAL_PROCESS,
            ("Tiếp nhận hồ sơ, chuyển cơ quan có thẩm quyền", "Bộ phận một cửa", 1),
        )
    else:
        middle, receive = PROCESS_PROVINCE, RECEIVE_PROVINCE
    count = rng.choice([2, 3, 3, 4, 4, 5]) if time > 1 or unit == WH else rng.choice([2, 3, 4])
    plan = [receive, *middle]
    if count >= 4 and level == Level.PROVINCE:
        plan = [receive, ASSIGN, *middle]
    if count >= len(plan) + 1:
        plan = [*plan, RETURN]
    plan = plan[: max(2, count)]
    if len(plan) == 2:  # one officer examines, has it signed and hands it back
        plan = [plan[0], ("Thẩm định hồ sơ, trình ký và trả kết quả", plan[1][1], plan[1][2])]
    quantum = Decimal(1) if unit == WH else Decimal("0.25")
    while len(plan) > 2 and time / quantum < len(plan):
        plan = [plan[0], *plan[2:]]
    times = _split(time, [w for _, _, w in plan], quantum, FIXED_SHORT[unit])
    return [{"name": n, "actor_role": a, "time_allowed": t} for (n, a, _), t in zip(plan, times, strict=True)]


def _components(rng: random.Random, name: str, field: str) -> list[dict]:
    lowered = name.lower()
    form = APPLICATION.get(field) or (
        "Tờ khai theo mẫu" if "đăng ký" in lowered or "khai" in lowered else "Đơn đề nghị theo mẫu"
    )
    chosen = [{"name": form, "form_template": f"Mẫu số 0{rng.randint(1, 9)}", "copies": 1, "mandatory": True}]
    common = COMMON_COMPONENTS[-1:] if field in PERSONAL_FIELDS else COMMON_COMPONENTS
    pool = EXTRA_COMPONENTS.get(field, []) + common
    picked = rng.sample(range(len(pool)), k=min(len(pool), rng.randint(0, 3)))
    for extra, mandatory in (pool[i] for i in sorted(picked)):  # the field's own papers first
        chosen.append({"name": extra, "form_template": "", "copies": 1, "mandatory": mandatory})
    return chosen


def _working_days_after(day: dt.date, n: int) -> dt.date:
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def catalogue_rows() -> list[dict]:
    """The cleaned names a province publishes, classified, one per code and per name."""
    rows = [r for r in read_clean() if r["ten_tthc"] and not r["canh_bao"]]
    national = {r["ma_tthc"] for r in rows if ".H" not in r["ma_tthc"]}
    out, names = [], set()
    for r in rows:
        code, name = r["ma_tthc"], r["ten_tthc"]
        if ".H" in code and code.split(".H")[0] in national:
            continue  # another province's variant of a national procedure
        if r["co_quan_goc"].startswith("Cục ") or field_rules.is_central_only(name):
            continue  # a ministry's own procedure (its department named in the source)
        found = field_rules.classify(name, r["linh_vuc_goc"])
        if found is None or fold(name) in names:
            continue
        names.add(fold(name))
        out.append(
            {"code": code, "name": name, "field": found.field, "agency": found.agency, "level": found.level}
        )
    return out


@transaction.atomic
def load_demo_catalogue(*, province: Unit, actor: Actor) -> int:
    """Create the demo catalogue for `province` (its agencies must exist:
    `cchc.orgs.services.province_agencies_create`); returns how many procedures were created."""
    rng = random.Random(f"cchc-procedures-{province.code}")
    units = {
        u.code: u
        for u in Unit.objects.filter(path__startswith=province.path, valid_to__isnull=True).exclude(
            kind=UnitKind.COMMUNE
        )
    }
    existing = set(Procedure.objects.filter(agency__in=units.values()).values_list("code", "agency_id"))
    decisions: dict[tuple[str, str], tuple[str, dt.date]] = {}
    next_number = Counter()
    created = 0
    for row in catalogue_rows():
        if row["level"] == Level.COMMUNE:
            agency = province
        else:
            agency = units.get(f"{province.code}.{row['agency']}")
        # Draw every random value even for rows skipped, so the catalogue does not depend on
        # what was loaded before.
        time, unit, _ = _pick(rng, TIMES.get(row["field"], DEFAULT_TIMES))
        share, amounts = FEES.get(row["field"], DEFAULT_FEE)
        fee = rng.choice(amounts) if rng.random() < share else 0
        full, partial = ONLINE.get(row["field"], DEFAULT_ONLINE)
        roll = rng.random()
        mode = (
            OnlineMode.FULL
            if roll < full
            else OnlineMode.PARTIAL
            if roll < full + partial
            else OnlineMode.NONE
        )
        synced = rng.random() < 0.92
        public_delay, effective_shift = rng.randint(1, 8), rng.randint(-10, 40)
        step_seed, component_seed = rng.random(), rng.random()
        key = (row["agency"] if row["level"] != Level.COMMUNE else "XA", row["field"])
        if key not in decisions:
            next_number[0] += rng.randint(3, 40)
            signed = dt.date(YEAR, 3, 1) + dt.timedelta(days=rng.randint(0, 270))
            decisions[key] = (f"{1000 + next_number[0]}/{DECISION_SYMBOL}", signed)
        if agency is None or (row["code"], agency.pk) in existing:
            continue
        number, published_on = decisions[key]
        processing_time = Decimal(time)
        procedure = procedure_save(
            actor=actor,
            code=row["code"],
            name=row["name"],
            field=row["field"],
            level=row["level"],
            agency=agency,
            processing_time=processing_time,
            time_unit=unit,
            fee_amount=fee,
            fee_note=f"Lệ phí: {fee:,} đồng/hồ sơ".replace(",", ".") if fee else "",
            online_mode=mode,
            result_type=_result_type(row["name"]),
            published_on=published_on,
            announcement_decision=number,
            legal_basis_effective_on=published_on + dt.timedelta(days=effective_shift),
            synced_to_national_portal=synced,
            made_public_on=_working_days_after(published_on, public_delay) if synced else None,
            valid_from=published_on,
        )
        procedure_set_parts(
            actor=actor,
            procedure=procedure,
            steps=_steps(random.Random(step_seed), row["level"], row["field"], processing_time, unit),
            components=_components(random.Random(component_seed), row["name"], row["field"]),
        )
        created += 1
    return created
