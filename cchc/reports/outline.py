"""The standard outline of a periodic CCHC report and how plan tasks map onto it.

    I.   Kết quả thực hiện — one heading per reform area (Nghị quyết 76/NQ-CP), plus direction
         and communication;
    II.  Đánh giá chung — ưu điểm, tồn tại/hạn chế, nguyên nhân;
    III. Phương hướng, nhiệm vụ kỳ tới;
    IV.  Kiến nghị, đề xuất.

A task is placed by its plan's structure: its group heading (the "nhóm nhiệm vụ" the plan was
written with) when that heading names a heading of the outline, else its reform area.
"""

from __future__ import annotations

from dataclasses import dataclass

from cchc.core.text import fold


@dataclass(frozen=True)
class Heading:
    key: str
    part: str  # "I" … "IV"
    title: str
    required: bool
    words: tuple[str, ...] = ()  # words of a plan's group heading that name this heading (folded)


RESULTS = (
    Heading(
        "chi_dao_dieu_hanh", "I", "Công tác chỉ đạo, điều hành", True, ("chi dao", "dieu hanh", "kiem tra")
    ),
    Heading("the_che", "I", "Cải cách thể chế", True, ("the che",)),
    Heading("thu_tuc_hanh_chinh", "I", "Cải cách thủ tục hành chính", True, ("thu tuc hanh chinh", "tthc")),
    Heading("to_chuc_bo_may", "I", "Cải cách tổ chức bộ máy hành chính nhà nước", True, ("to chuc bo may",)),
    Heading("cong_vu", "I", "Cải cách chế độ công vụ", True, ("cong vu", "cong chuc")),
    Heading("tai_chinh_cong", "I", "Cải cách tài chính công", True, ("tai chinh cong",)),
    Heading(
        "chinh_quyen_so",
        "I",
        "Xây dựng và phát triển chính quyền điện tử, chính quyền số",
        True,
        ("chinh quyen dien tu", "chinh quyen so", "chuyen doi so"),
    ),
    Heading(
        "tuyen_truyen", "I", "Công tác thông tin, tuyên truyền cải cách hành chính", True, ("tuyen truyen",)
    ),
)
ASSESSMENT = (
    Heading("uu_diem", "II", "Ưu điểm", True),
    Heading("ton_tai", "II", "Tồn tại, hạn chế", True),
    Heading("nguyen_nhan", "II", "Nguyên nhân", True),
)
OUTLINE = (
    *RESULTS,
    *ASSESSMENT,
    Heading("phuong_huong", "III", "Phương hướng, nhiệm vụ trọng tâm kỳ tới", True),
    Heading("kien_nghi", "IV", "Kiến nghị, đề xuất", False),
)
PARTS = {
    "I": "KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
    "II": "ĐÁNH GIÁ CHUNG",
    "III": "PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
    "IV": "KIẾN NGHỊ, ĐỀ XUẤT",
}
BY_KEY = {h.key: h for h in OUTLINE}
KEYS = tuple(h.key for h in OUTLINE)
# a plan's reform area (cchc.plans.models.ReformArea) → the heading of its results
AREA_HEADING = {
    "the_che": "the_che",
    "thu_tuc_hanh_chinh": "thu_tuc_hanh_chinh",
    "to_chuc_bo_may": "to_chuc_bo_may",
    "cong_vu": "cong_vu",
    "tai_chinh_cong": "tai_chinh_cong",
    "chinh_quyen_so": "chinh_quyen_so",
    "chi_dao_dieu_hanh": "chi_dao_dieu_hanh",
}
FALLBACK = "chi_dao_dieu_hanh"


def heading_of(area: str, group: str = "", content: str = "") -> str:
    """The results heading of a task: named by its group heading, else by its reform area; a
    direction task about communication goes under communication."""
    folded = fold(group)
    if folded:
        # the most specific heading first: "tuyên truyền" inside a direction group is communication
        for heading in sorted(RESULTS, key=lambda h: h.key != "tuyen_truyen"):
            if any(word in folded for word in heading.words):
                return heading.key
    key = AREA_HEADING.get(area, FALLBACK)
    if key == "chi_dao_dieu_hanh" and "tuyen truyen" in fold(content):
        return "tuyen_truyen"
    return key


def numbered() -> list[tuple[str, str, Heading]]:
    """(part, "1." numbering within the part, heading), in order."""
    out = []
    counters: dict[str, int] = {}
    for h in OUTLINE:
        counters[h.part] = counters.get(h.part, 0) + 1
        out.append((h.part, f"{counters[h.part]}.", h))
    return out
