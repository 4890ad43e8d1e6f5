"""The 766 index, every indicator in one place: its group, maximum, source and formula
(docs/specs/index-766.md; docs/index-766.md explains each one and its assumptions).

The functions here are pure: they read `UnitFacts` — the counts of one unit's whole subtree in
one period, gathered by `facts.py` — and the thresholds of `conf.config()`, and return a
`Result`: numerator, denominator and points, or "not computable" with a Vietnamese reason.
Points are exact fractions rounded half-up to 2 decimals (the same rounding as the dossier
indicators of `cchc.indicators.definitions`); a group is the sum of its indicators' rounded
points, the total the sum of the groups, so that the figures shown always add up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from cchc.indicators.definitions import round_half_up

from .results import Result, UnitFacts

# the thresholds and weights of `conf.config()` (read from JSON; numbers as Decimal)
Config = dict[str, Any]
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    name: str
    max_points: Decimal
    source: str  # where the facts come from in this system
    formula: str  # as people read it
    compute: Callable[[UnitFacts, Config], Result]


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    max_points: Decimal


GROUPS: tuple[Group, ...] = (
    Group("publicity", "Công khai, minh bạch", Decimal(18)),
    Group("progress", "Tiến độ giải quyết", Decimal(20)),
    Group("online", "Dịch vụ công trực tuyến", Decimal(12)),
    Group("digitisation", "Mức độ số hóa hồ sơ", Decimal(22)),
    Group("satisfaction", "Mức độ hài lòng", Decimal(18)),
    Group("payment", "Thanh toán trực tuyến", Decimal(10)),
)
GROUP_CODES = tuple(g.code for g in GROUPS)

# --- arithmetic ----------------------------------------------------------------------------------


def share(max_points: Decimal | int, n: int, d: int) -> Decimal:
    """max × n / d, rounded half-up to 2 decimals (d > 0)."""
    return round_half_up(Fraction(Decimal(max_points)) * n / d)


def capped(max_points: Decimal | int, n: int, d: int, full_at: Decimal) -> Decimal:
    """min(max, max × (n / d) / full_at): full marks from the ratio `full_at` up."""
    m = Fraction(Decimal(max_points))
    return round_half_up(min(m, m * Fraction(n, d) / Fraction(full_at)))


def payment_points(max_points: Decimal | int, a: Fraction, b: Fraction, c: Fraction, w: Config) -> Decimal:
    """min(max, wa·A + min(b_cap, wb·B) + wc·C) — the portal's online-payment formula."""
    f = {k: Fraction(v) for k, v in w.items()}
    raw = f["a"] * a + min(f["b_cap"], f["b"] * b) + f["c"] * c
    return round_half_up(min(Fraction(Decimal(max_points)), raw))


def _vn(value: Decimal) -> str:
    """A threshold as people write it: 2,5 (no trailing zeros)."""
    return f"{value.normalize():f}".replace(".", ",")


def ratio(n: int, d: int) -> Fraction:
    return Fraction(n, d) if d else Fraction(0)


NO_DOSSIERS = "Không có hồ sơ tiếp nhận trong kỳ."
COMMUNE_NOTE = "Không áp dụng với cấp xã (việc công bố, công khai do cấp tỉnh thực hiện): tính đủ điểm."


def _ratio_result(
    code: str, max_points: Decimal | int, n: int, d: int, reason: str, note: str = ""
) -> Result:
    if not d:
        return Result(code, n, d, None, reason)
    return Result(code, n, d, share(max_points, n, d), note=note)


def _capped_result(
    code: str, max_points: Decimal | int, n: int, d: int, full_at: Decimal, reason: str
) -> Result:
    if not d:
        return Result(code, n, d, None, reason)
    pct = f"{full_at * 100:.0f}%"
    return Result(code, n, d, capped(max_points, n, d, full_at), note=f"Đủ điểm khi tỷ lệ đạt {pct}.")


# --- the indicators ------------------------------------------------------------------------------


def published_on_time(f: UnitFacts, cfg: Config) -> Result:
    days = cfg["publish_lead_working_days"][cfg["authority"]]
    unknown = (
        f" {f.publish_unknown} thủ tục chưa ghi ngày hiệu lực của căn cứ pháp lý."
        if f.publish_unknown
        else ""
    )
    return _ratio_result(
        "published_on_time",
        6,
        f.publish_on_time,
        f.publish_due,
        "Không có thủ tục nào phải công bố trong kỳ (hạn công bố là ngày căn cứ pháp lý có hiệu lực "
        f"trừ {days} ngày làm việc).{unknown}",
        note=f"Hạn: {days} ngày làm việc trước ngày căn cứ pháp lý có hiệu lực.{unknown}",
    )


def made_public_on_time(f: UnitFacts, cfg: Config) -> Result:
    days = cfg["make_public_working_days"][cfg["authority"]]
    return _ratio_result(
        "made_public_on_time",
        4,
        f.public_on_time,
        f.public_due,
        f"Không có thủ tục nào phải công khai trong kỳ (hạn công khai là {days} ngày làm việc sau "
        "ngày quyết định công bố).",
        note=f"Hạn: {days} ngày làm việc sau ngày quyết định công bố.",
    )


def public_in_full(f: UnitFacts, cfg: Config) -> Result:
    return _ratio_result(
        "public_in_full",
        2,
        f.public_complete,
        f.made_public,
        "Chưa có thủ tục nào được công khai trên Cơ sở dữ liệu quốc gia về thủ tục hành chính.",
    )


def synced_dossiers(f: UnitFacts, cfg: Config) -> Result:
    minutes = cfg["sync_realtime_minutes"]
    return _ratio_result(
        "synced_dossiers",
        6,
        f.R_synced_realtime,
        f.R,
        NO_DOSSIERS,
        note=f"Đồng bộ trong vòng {minutes} phút sau khi tiếp nhận.",
    )


def on_time(f: UnitFacts, cfg: Config) -> Result:
    return _ratio_result("on_time", 20, f.S_on_time, f.S, "Không có hồ sơ giải quyết trong kỳ.")


def online_procedures(f: UnitFacts, cfg: Config) -> Result:
    return _capped_result(
        "online_procedures",
        cfg["online_split"]["procedures"],
        f.procedures_online,
        f.procedures,
        cfg["online_procedures_full_at"],
        "Đơn vị không có thủ tục nào trong danh mục.",
    )


def online_dossiers(f: UnitFacts, cfg: Config) -> Result:
    return _capped_result(
        "online_dossiers",
        cfg["online_split"]["dossiers"],
        f.R_online_counted,
        f.R,
        cfg["online_dossiers_full_at"],
        NO_DOSSIERS,
    )


def electronic_result(f: UnitFacts, cfg: Config) -> Result:
    return _ratio_result(
        "electronic_result",
        6,
        f.F_paper_granted_electronic,
        f.F_paper_granted,
        "Không có hồ sơ được chấp thuận trong kỳ thuộc thủ tục có kết quả là giấy tờ.",
    )


def digitised(f: UnitFacts, cfg: Config) -> Result:
    return _capped_result("digitised", 4, f.R_digitised, f.R, cfg["digitised_full_at"], NO_DOSSIERS)


def certified_copies(f: UnitFacts, cfg: Config) -> Result:
    return _ratio_result(
        "certified_copies",
        2,
        f.communes_offering,
        f.communes,
        "Không có UBND cấp xã trong phạm vi đơn vị (chứng thực bản sao điện tử do cấp xã thực hiện).",
    )


def data_reuse(f: UnitFacts, cfg: Config) -> Result:
    return _capped_result("data_reuse", 2, f.R_reused, f.R, cfg["reuse_full_at"], NO_DOSSIERS)


def data_store(f: UnitFacts, cfg: Config) -> Result:
    return _ratio_result("data_store", 4, f.R_data_store, f.R, NO_DOSSIERS)


def population_data(f: UnitFacts, cfg: Config) -> Result:
    return _ratio_result("population_data", 2, f.R_vneid, f.R, NO_DOSSIERS)


def population_procedures(f: UnitFacts, cfg: Config) -> Result:
    unknown = f" {f.applicant_unknown} thủ tục chưa ghi đối tượng thực hiện." if f.applicant_unknown else ""
    return _ratio_result(
        "population_procedures",
        2,
        f.citizen_procedures_connected,
        f.citizen_procedures,
        "Danh mục không có thủ tục nào ghi đối tượng thực hiện là công dân." + unknown,
        note=unknown.strip(),
    )


def feedback_on_time(f: UnitFacts, cfg: Config) -> Result:
    if not f.feedback:
        return Result("feedback_on_time", 0, 0, Decimal("6.00"), note="Không có phản ánh, kiến nghị: 6 điểm.")
    return Result(
        "feedback_on_time", f.feedback_on_time, f.feedback, share(6, f.feedback_on_time, f.feedback)
    )


def feedback_satisfaction(f: UnitFacts, cfg: Config) -> Result:
    if not f.feedback:
        return Result(
            "feedback_satisfaction", 0, 0, Decimal("6.00"), note="Không có phản ánh, kiến nghị: 6 điểm."
        )
    good = f.feedback - f.feedback_bad
    return Result("feedback_satisfaction", good, f.feedback, share(6, good, f.feedback))


def dossier_satisfaction(f: UnitFacts, cfg: Config) -> Result:
    """100% − (late share + complaint-or-unsatisfied share), full marks at 90%; the two shares
    are added as the formula says (a late dossier with a complaint counts in both), and a
    negative result scores 0."""
    full_at = cfg["dossier_satisfaction_full_at"]
    if not f.S:
        return Result("dossier_satisfaction", 0, 0, ZERO, note="Không có hồ sơ giải quyết trong kỳ: 0 điểm.")
    late = f.S - f.S_on_time
    good = max(0, f.S - late - f.S_complaint_or_unsatisfied)
    return Result(
        "dossier_satisfaction",
        good,
        f.S,
        capped(6, good, f.S, full_at),
        note=f"Đủ điểm khi tỷ lệ đạt {full_at * 100:.0f}%.",
        parts={"late": late, "complaint_or_unsatisfied": f.S_complaint_or_unsatisfied},
    )


def online_payment(f: UnitFacts, cfg: Config) -> Result:
    if not f.fee_procedures:
        return Result("online_payment", reason="Đơn vị không có thủ tục nào thu phí, lệ phí.")
    a = ratio(f.R_fee_paid_online, f.R_fee)
    b = Fraction(f.fee_procedures_paid_online, f.fee_procedures)
    c = Fraction(f.fee_procedures_with_dossiers, f.fee_procedures)
    w = cfg["payment"]
    return Result(
        "online_payment",
        f.R_fee_paid_online,
        f.R_fee,
        payment_points(10, a, b, c, w),
        note=f"min(10; {_vn(w['a'])}·A + min({_vn(w['b_cap'])}; {_vn(w['b'])}·B) + {_vn(w['c'])}·C)",
        parts={
            "A": [f.R_fee_paid_online, f.R_fee],
            "B": [f.fee_procedures_paid_online, f.fee_procedures],
            "C": [f.fee_procedures_with_dossiers, f.fee_procedures],
        },
    )


def _i(
    code: str,
    group: str,
    name: str,
    max_points: int,
    source: str,
    formula: str,
    fn: Callable[[UnitFacts, Config], Result],
) -> Indicator:
    return Indicator(code, group, name, Decimal(max_points), source, formula, fn)


INDICATORS: tuple[Indicator, ...] = (
    _i("published_on_time", "publicity", "Công bố thủ tục hành chính đúng hạn", 6,
       "Thủ tục: ngày quyết định công bố, ngày căn cứ pháp lý có hiệu lực",
       "mã thủ tục công bố đúng hạn / mã thủ tục phải công bố trong kỳ", published_on_time),
    _i("made_public_on_time", "publicity", "Công khai thủ tục đúng hạn trên CSDL quốc gia", 4,
       "Thủ tục: ngày quyết định công bố, ngày công khai trên CSDL quốc gia",
       "mã thủ tục công khai đúng hạn / mã thủ tục phải công khai trong kỳ", made_public_on_time),
    _i("public_in_full", "publicity", "Công khai đầy đủ nội dung thủ tục", 2,
       "Thủ tục: tên, quy trình, cách thức, thành phần hồ sơ, thời hạn, đối tượng, cơ quan",
       "thủ tục công khai đủ nội dung / thủ tục đã công khai", public_in_full),
    _i("synced_dossiers", "publicity", "Hồ sơ đồng bộ lên Cổng DVC quốc gia theo thời gian thực", 6,
       "Hồ sơ: thời điểm tiếp nhận, thời điểm đồng bộ",
       "hồ sơ tiếp nhận trong kỳ đồng bộ kịp thời / hồ sơ tiếp nhận trong kỳ", synced_dossiers),
    _i("on_time", "progress", "Hồ sơ giải quyết trước hạn, đúng hạn", 20,
       "Hồ sơ: thời điểm kết thúc (hoặc thời điểm tính số liệu với hồ sơ đang giải quyết) so với hạn giải quyết",
       "hồ sơ đúng hạn / hồ sơ giải quyết trong kỳ (tiếp nhận hoặc kết thúc trong kỳ)", on_time),
    _i("online_procedures", "online", "Thủ tục cung cấp dịch vụ công trực tuyến", 6,
       "Thủ tục: mức độ dịch vụ công trực tuyến (toàn trình, một phần)",
       "thủ tục trực tuyến / thủ tục đang có hiệu lực; đủ điểm từ 80%", online_procedures),
    _i("online_dossiers", "online", "Hồ sơ nộp trực tuyến", 6,
       "Hồ sơ: kênh nộp, kết quả điện tử; thủ tục: kết quả thực hiện",
       "hồ sơ trực tuyến (có kết quả điện tử nếu kết quả là giấy tờ) / hồ sơ tiếp nhận; đủ điểm từ 50%",
       online_dossiers),
    _i("electronic_result", "digitisation", "Cấp kết quả điện tử", 6,
       "Hồ sơ: kết quả, tệp kết quả điện tử; thủ tục: kết quả thực hiện",
       "hồ sơ có kết quả điện tử / hồ sơ được chấp thuận của thủ tục có kết quả là giấy tờ",
       electronic_result),
    _i("digitised", "digitisation", "Số hóa thành phần hồ sơ, kết quả", 4,
       "Hồ sơ: đã số hóa", "hồ sơ số hóa / hồ sơ tiếp nhận; đủ điểm từ 80%", digitised),
    _i("certified_copies", "digitisation", "Cấp bản sao chứng thực điện tử", 2,
       "Đơn vị: xã có cung cấp chứng thực bản sao điện tử (trang Chỉ số 766)",
       "xã cung cấp / số xã", certified_copies),
    _i("data_reuse", "digitisation", "Tái sử dụng dữ liệu đã số hóa", 2,
       "Hồ sơ: tái sử dụng dữ liệu", "min(2; 2 × tỷ lệ / 0,8)", data_reuse),
    _i("data_store", "digitisation", "Đồng bộ với kho dữ liệu cá nhân", 4,
       "Hồ sơ: liên kết kho dữ liệu cá nhân", "hồ sơ có liên kết / hồ sơ tiếp nhận", data_store),
    _i("population_data", "digitisation", "Hồ sơ sử dụng dữ liệu dân cư", 2,
       "Hồ sơ: xác thực VNeID", "hồ sơ xác thực VNeID / hồ sơ tiếp nhận", population_data),
    _i("population_procedures", "digitisation", "Thủ tục kết nối dữ liệu dân cư", 2,
       "Thủ tục: đối tượng thực hiện; hồ sơ: xác thực VNeID",
       "thủ tục có hồ sơ xác thực VNeID / thủ tục có đối tượng là công dân", population_procedures),
    _i("feedback_on_time", "satisfaction", "Xử lý phản ánh, kiến nghị đúng hạn", 6,
       "Phản ánh, kiến nghị: các thời hạn từ chối, đề nghị bổ sung, xử lý, công khai",
       "phản ánh xử lý đúng hạn / phản ánh tiếp nhận trong kỳ; 6 điểm khi không có", feedback_on_time),
    _i("feedback_satisfaction", "satisfaction", "Hài lòng với việc xử lý phản ánh, kiến nghị", 6,
       "Phản ánh, kiến nghị: đánh giá của người gửi, quá hạn, phản ánh lại về cùng hồ sơ",
       "(phản ánh − không hài lòng, quá hạn, bị phản ánh lại) / phản ánh; 6 điểm khi không có",
       feedback_satisfaction),
    _i("dossier_satisfaction", "satisfaction", "Hài lòng với việc giải quyết hồ sơ", 6,
       "Hồ sơ: đúng hạn, đánh giá không hài lòng, phản ánh về hồ sơ",
       "100% − (tỷ lệ trễ hạn + tỷ lệ bị phản ánh hoặc không hài lòng); min(6; 6 × tỷ lệ / 0,9)",
       dossier_satisfaction),
    _i("online_payment", "payment", "Thanh toán trực tuyến", 10,
       "Hồ sơ có phí, thanh toán trực tuyến; thủ tục có phí",
       "min(10; 6·A + min(2; 2,5·B) + 2,5·C)", online_payment),
)  # fmt: skip


def max_points(indicator: Indicator, cfg: Config) -> Decimal:
    if indicator.code in ("online_procedures", "online_dossiers"):
        split: Decimal = cfg["online_split"][indicator.code.split("_")[1]]
        return split
    return indicator.max_points


@dataclass
class Score:
    total: Decimal
    groups: dict[str, Decimal]
    results: dict[str, Result]
    max_computable: dict[str, Decimal]


def score(f: UnitFacts, cfg: Config) -> Score:
    """Every indicator for one unit and period, the group sums and the total."""
    results: dict[str, Result] = {}
    for indicator in INDICATORS:
        if f.is_commune and indicator.code in cfg["commune_full_marks"]:
            results[indicator.code] = Result(
                indicator.code, points=round_half_up(Fraction(max_points(indicator, cfg))), note=COMMUNE_NOTE
            )
        else:
            results[indicator.code] = indicator.compute(f, cfg)
    groups = dict.fromkeys(GROUP_CODES, ZERO)
    reachable = dict.fromkeys(GROUP_CODES, ZERO)
    for indicator in INDICATORS:
        r = results[indicator.code]
        if r.points is not None:  # computable
            groups[indicator.group] += r.points
            reachable[indicator.group] += max_points(indicator, cfg)
    return Score(sum(groups.values(), ZERO), groups, results, reachable)
