"""Words of the genre: reform areas, provinces, body names, markers of headings and lists.

Patterns are matched against folded text (lower case, no diacritics, "đ" → "d") so that
"Cải cách thể chế", "CẢI CÁCH THỂ CHẾ" and "Cai cach the che" read the same.
"""

from __future__ import annotations

import functools
import re
import unicodedata


class _FoldTable(dict):
    def __missing__(self, code: int) -> str:
        ch = chr(code)
        decomposed = unicodedata.normalize("NFD", ch)
        folded = "d" if ch in "đĐ" else (decomposed[0] if decomposed else ch)
        self[code] = folded
        return folded


_FOLD = _FoldTable()


@functools.lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower().translate(_FOLD)


def fold(text: str) -> str:
    """Lower case without diacritics; keeps the length of NFC text (one character for one).
    Cached: reading a table folds the same cell texts many times over."""
    return _fold(text or "")


INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")


def norm(text: str) -> str:
    """NFC, invisible characters removed, tabs/odd spaces → one space; line breaks kept."""
    text = unicodedata.normalize("NFC", text)
    text = INVISIBLE.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).rstrip() for line in text.split("\n"))


def join_lines(parts: list[str]) -> str:
    """Join broken lines with single spaces; a word broken after a hyphen ("NĐ-" + "CP") is joined
    without one. Only the end of the text so far is looked at, so joining n lines is linear
    (searching "…-$" in the growing text made it quadratic)."""
    pieces: list[str] = []
    tail = ""  # the last few characters joined so far
    for part in parts:
        part = " ".join(part.split())
        if not part:
            continue
        sep = ""
        if pieces and not (
            (_BROKEN_WORD.search(tail) and re.match(r"[\w/]", part))
            or (_BROKEN_DATE.search(tail) and part[:1].isdigit())  # "15/12/20" + "24"
        ):
            sep = " "
        pieces.append(sep + part)
        tail = (tail + sep + part)[-12:]
    return "".join(pieces)


def join_pair(joined: str, line: str) -> str:
    """`join_lines([joined, line])` for a `joined` that is already the result of join_lines: only
    the new line is normalised (the table reader extends cells line by line)."""
    line = " ".join(line.split())
    if not line:
        return joined
    if not joined:
        return line
    tail = joined[-12:]
    if (_BROKEN_WORD.search(tail) and re.match(r"[\w/]", line)) or (
        _BROKEN_DATE.search(tail) and line[:1].isdigit()
    ):
        return joined + line
    return joined + " " + line


_BROKEN_WORD = re.compile(r"\w-$")
_BROKEN_DATE = re.compile(r"\d/\d{1,3}$")


# --- reform areas --------------------------------------------------------------------------------

AREAS = [
    "the_che",
    "thu_tuc_hanh_chinh",
    "to_chuc_bo_may",
    "cong_vu",
    "tai_chinh_cong",
    "chinh_quyen_so",
    "chi_dao_dieu_hanh",
]

# A heading or a group row names an area when its title starts with one of these.
_AREA_TITLES: list[tuple[str, re.Pattern]] = [
    (key, re.compile(pattern))
    for key, pattern in [
        ("the_che", r"^(ve )?(cai cach |hoan thien )?(he thong )?the che\b"),
        (
            "thu_tuc_hanh_chinh",
            r"^(ve )?(cai cach |kiem soat |don gian hoa )?(thu tuc hanh chinh|tthc)\b"
            r"|^(thuc hien |doi moi )?co che mot cua",
        ),
        ("to_chuc_bo_may", r"^(ve )?(cai cach |sap xep |kien toan )?to chuc bo may\b"),
        (
            "cong_vu",
            r"^(ve )?(cai cach )?che do cong vu\b|^cai cach cong vu\b"
            r"|^xay dung (va nang cao chat luong )?doi ngu can bo",
        ),
        ("tai_chinh_cong", r"^(ve )?(cai cach )?(quan ly )?tai chinh cong\b"),
        (
            "chinh_quyen_so",
            r"^(ve )?(xay dung (va phat trien )?|phat trien )?(nen )?(chinh quyen|chinh phu) (dien tu|so)\b"
            r"|^(day manh )?(chuyen doi so|hien dai hoa (nen )?hanh chinh|ung dung cong nghe thong tin)",
        ),
        (
            "chi_dao_dieu_hanh",
            r"^(ve )?(tang cuong |nang cao )?(cong tac )?(chi dao,? (dieu hanh|dieu hanh)|lanh dao,? chi dao)"
            r"|^(cong tac )?(thong tin,? )?tuyen truyen\b|^(cong tac )?kiem tra(,? giam sat)? (cai cach|cchc)",
        ),
    ]
]


def area_of_title(title: str) -> str | None:
    """The area a heading or group title names, or None ("Mục tiêu", "Văn phòng Sở", …)."""
    folded = fold(title).strip(" .:;-*")
    for key, rx in _AREA_TITLES:
        if rx.search(folded):
            return key
    return None


# Keywords of each area for a sentence or a task that sits under no area heading; the first area
# whose words occur wins, so the more specific words come first.
_AREA_WORDS: list[tuple[str, re.Pattern]] = [
    (key, re.compile(pattern))
    for key, pattern in [
        (
            "chi_dao_dieu_hanh",
            r"ke hoach (cai cach hanh chinh|cchc)|kiem tra (cong tac )?(cai cach hanh chinh|cchc)"
            r"|chi so (cai cach hanh chinh|cchc|par)|tuyen truyen|chi dao,? dieu hanh",
        ),
        (
            "chinh_quyen_so",
            r"moi truong (mang|dien tu|so)\b|chu ky so|ky so\b|chuyen doi so|chinh quyen (dien tu|so)"
            r"|chinh phu (dien tu|so)|co so du lieu|du lieu so|dinh danh|xac thuc dien tu|phan mem"
            r"|iso 9001|van ban dien tu|hop truc tuyen",
        ),
        (
            "thu_tuc_hanh_chinh",
            r"thu tuc hanh chinh|\btthc\b|dich vu cong|mot cua|phan anh,? kien nghi|\bpakn\b"
            r"|thanh toan truc tuyen|ho so .{0,20}(dung han|tre han|qua han)",
        ),
        ("the_che", r"quy pham phap luat|\bqppl\b|\bvbqppl\b|the che|thi hanh phap luat"),
        (
            "cong_vu",
            r"cong chuc|vien chuc|can bo|vi tri viec lam|bien che|dao tao,? boi duong|cong vu",
        ),
        (
            "tai_chinh_cong",
            r"tai san cong|tu chu tai chinh|co che tu chu|nha dat|kinh phi|tai chinh cong"
            r"|tu bao dam chi",
        ),
        (
            "to_chuc_bo_may",
            r"to chuc bo may|sap xep (lai )?(to chuc|bo may|don vi|co quan)|kien toan|chuc nang,? nhiem vu",
        ),
    ]
]


def area_of_text(text: str) -> str | None:
    folded = fold(text)
    for key, rx in _AREA_WORDS:
        if rx.search(folded):
            return key
    return None


# --- provinces -----------------------------------------------------------------------------------

PROVINCES = [
    "Hà Nội", "Hà Giang", "Cao Bằng", "Bắc Kạn", "Tuyên Quang", "Lào Cai", "Điện Biên", "Lai Châu",
    "Sơn La", "Yên Bái", "Hòa Bình", "Thái Nguyên", "Lạng Sơn", "Quảng Ninh", "Bắc Giang", "Phú Thọ",
    "Vĩnh Phúc", "Bắc Ninh", "Hải Dương", "Hải Phòng", "Hưng Yên", "Thái Bình", "Hà Nam", "Nam Định",
    "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế", "Huế",
    "Đà Nẵng", "Quảng Nam", "Quảng Ngãi", "Bình Định", "Phú Yên", "Khánh Hòa", "Ninh Thuận",
    "Bình Thuận", "Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng", "Bình Phước", "Tây Ninh",
    "Bình Dương", "Đồng Nai", "Bà Rịa - Vũng Tàu", "Hồ Chí Minh", "Long An", "Tiền Giang", "Bến Tre",
    "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang", "Kiên Giang", "Cần Thơ", "Hậu Giang",
    "Sóc Trăng", "Bạc Liêu", "Cà Mau",
]  # fmt: skip


def _province_key(name: str) -> str:
    return re.sub(r"\s*-\s*", "-", re.sub(r"\s+", " ", fold(name))).strip()


PROVINCE_BY_KEY = {_province_key(p): p for p in PROVINCES}
# longest first so that "thừa thiên huế" wins over "huế"
_PROVINCE_RX = re.compile(
    r"(?<!\w)("
    + "|".join(
        re.escape(k).replace(r"\-", r"\s*-\s*") for k in sorted(PROVINCE_BY_KEY, key=len, reverse=True)
    )
    + r")(?!\w)"
)


def province_named(text: str) -> str | None:
    """The province a short phrase names ("BÌNH PHƯỚC", "tỉnh Đồng Nai", "Bà Rịa-Vũng Tàu")."""
    m = _PROVINCE_RX.search(fold(text))
    return PROVINCE_BY_KEY[_province_key(m.group(1))] if m else None


def provinces_mentioned(folded: str, prefix: str = r"(?:tinh|thanh pho|tp\.?)\s+") -> list[str]:
    """Provinces named after "tỉnh"/"thành phố" in folded text, in order of appearance."""
    rx = re.compile(prefix + _PROVINCE_RX.pattern)
    return [PROVINCE_BY_KEY[_province_key(m.group(1))] for m in rx.finditer(folded)]


# --- bodies (lead and coordinating) --------------------------------------------------------------

# Words that start the name of a body; a comma before one of them separates two bodies.
BODY_HEADS = (
    r"(?:Sở|Ban|Văn phòng|VP|UBND|Ủy ban|Uỷ ban|Trung tâm|Đài|Báo|Bưu điện|Trường|Thanh tra|Phòng|"
    r"Cục|Chi cục|Đơn vị|Bộ|Công an|Bộ Chỉ huy|Hội|Liên đoàn|Liên minh|Viện|Bệnh viện|Kho bạc|"
    r"Ngân hàng|Tỉnh đoàn|Đoàn|Hội đồng|HĐND|Mặt trận|MTTQ|Tòa án|Viện kiểm sát|Cơ quan|Các cơ quan|"
    r"các cơ quan|Các sở|các sở|Các Sở|các Sở|Các phòng|các phòng|Các đơn vị|các đơn vị|"
    r"Các ban|các ban|Cảnh sát|Cổng|Tổ|Ngành|Hợp tác xã|Doanh nghiệp|Các doanh nghiệp|"
    r"Người đứng đầu|Thủ trưởng|Chủ tịch|Giám đốc|Lãnh đạo|Chánh|Trưởng)"
)
BODY_WORDS = re.compile(
    r"\b(so|ubnd|uy ban|co quan|don vi|van phong|trung tam|phong|ban|dai|buu dien|truong|"
    r"thanh tra|dia phuong|nganh|bo phan|cong an|cong chuc|hdnd|mttq|hoi|doan|chi cuc|cuc)\b"
)
