"""Clean procedure names copied out of announcement decisions.

The names in `data/tthc-names.csv` were taken from the tables of 2025 announcement decisions
(quyết định công bố). When a table is flattened to text, the name cell often runs into the
cells after it: the field, the competent agency and its address, a legal reference, a row
number, the result document or a required component, a note. This module removes such
trailing words by rule — there is no per-row list — and says which rules fired, so that the
effect on a whole file can be measured (see tests/test_procedures.py).

Rules, applied to the end of the name again and again until nothing changes (the order within
one pass is the order below; each rule removes one tail):

``field``            a field (lĩnh vực) name as the source tables spell it, starting with a
                     capital letter: "… trên đường bộ Đường bộ", "… Hàng hải và đường thủy",
                     "… Nhà ở và công sở", "… LĨNH VỰC BẢO TRỢ XÃ HỘI". The list is
                     `FIELD_TAILS`; one field may also lead the name ("Xuất nhập khẩu cấp …").
``level``            the competent levels column: "… Cấp Tỉnh", "… Cấp Bộ; Cấp Tỉnh; Cấp Xã;
                     Cơ quan khác" (capital "Cấp"; "(cấp tỉnh)" inside a name is kept).
``agency``           a central department and its address: "… Cục Báo chí (Số 7 Yết Kiêu, …)",
                     "… Cục Mỹ thuật, Nhiếp ảnh và Triển lãm (Số 38 Cao Bá" — not when the
                     word before is a preposition ("tại Cục QLXNC" is part of a name).
``legal_reference``  a reference that starts a new cell, with a capital letter: "Khoản 1
                     Điều 27", "Khoản 8, Điều 18", "Tại khoản 1, Điều 25", "Điểm b, Khoản 3,
                     Điều 6". A reference the name itself makes ("… quy định tại khoản 2
                     Điều 20") starts in lower case and is kept.
``document``         a document that starts a new cell: a required component or the result —
                     "Giấy chứng tử", "Giấy khai sinh", "Bản sao …", "Phiếu lý lịch tư pháp số
                     1", "Giấy chứng nhận quyền sử dụng đất, …", "Giấy tờ chứng minh …". Cut at
                     the first such document, unless the word before it governs it ("Cấp bản
                     sao Giấy khai sinh", "Đổi Giấy phép lái xe"): see `DOCUMENT_STARTS`.
``source``           the database a component is taken from: "… CSDL hộ tịch điện tử".
``time_limit``       the processing-time column: "… 15 ngày kể từ ngày nhận được hồ sơ hợp lệ",
                     "… Trong thời hạn không quá 20 ngày, …".
``note``             notes and method columns: "Giảm thời gian giải quyết", "Tổng số TTHC công
                     bố: 18 TTHC", "Nộp hồ sơ trực tiếp …", "a.1) Trường hợp …", footnotes
                     "[1] …", form codes "QTTP-20".
``stray_number``     a row number or page number: "… nạn nhân 11", "… LPG. 64" — kept after a
                     word that takes a number ("Bảng 1", "số 1", "nhóm 2", "mẫu 3").
``stray_mark``       a roman numeral or a tick mark: "… Việt Nam IV", "… nghệ thuật x",
                     "… X X" — kept after a word that takes one ("mẫu X", "nhóm IV").
                     A footnote letter "k" inside the name ("dự án k đầu tư") is also dropped.
``unbalanced``       an opening parenthesis never closed at the end ("… ô tô (thuộc đối tượng
                     của") or a closing one never opened; the cut text is lost, so the name is
                     also flagged `truncated`.
Trailing punctuation (". , ; : *") left behind is removed.

Flags (the name is kept but should not be trusted as is):
``truncated``        the text stops mid-phrase ("… thuộc thẩm quyền của", "… Kế toán theo"),
                     or lost a dangling parenthesis;
``not_a_name``       nothing that names a procedure is left: a table header ("Thứ tự công
                     việc Nội dung công việc …") or only a time limit ("Mười (10) ngày làm
                     việc …"); `name` is then empty.

Not handled (the rules cannot tell): words of another cell that are not at the end, or a tail
that reads like a name ("… sản phẩm thuốc lá thuốc lá của Bộ Công Thương quy định tại điểm a
khoản 1 Điều 28, Điều 43").
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cchc.core.text import nfc

DATA_DIR = Path(__file__).parent / "data"
RAW_NAMES = DATA_DIR / "tthc-names.csv"
CLEAN_NAMES = DATA_DIR / "tthc-clean.csv"

# Field (lĩnh vực) names as they appear in the field column of announcement tables.
FIELD_TAILS = [
    "Đường bộ",
    "Đường sắt",
    "Hàng hải và đường thủy",
    "Đăng kiểm",
    "Hạ tầng kỹ thuật",
    "Vật liệu xây dựng",
    "Hoạt động xây dựng",
    "Quản lý chất lượng công trình xây dựng",
    "Quy hoạch xây dựng, kiến trúc",
    "Quy hoạch đô thị và nông thôn, kiến trúc",
    "Quy hoạch, đô thị và nông thôn, kiến trúc",
    "Nhà ở và công sở",
    "Kinh doanh bất động sản",
    "Giám định tư pháp",
    "Tiếp công dân",
    "Giải quyết tố cáo",
    "Giải quyết khiếu nại",
    "Xử lý đơn thư",
    "Phòng, chống tham nhũng",
    "Bảo hiểm xã hội",
    "Xuất nhập khẩu",
]
# Agencies named without "Cục" that end a row.
AGENCY_TAILS = ["Hệ thống BHXH Việt Nam"]

# Words that begin a document (component or result) in the cell after the name.
DOCUMENT_STARTS = [
    r"Bản sao",
    r"Bản chính",
    r"Bản chụp",
    r"[a-zđ]\) Bản sao",
    r"Hồ sơ pháp lý",
    r"Phiếu lý lịch tư pháp",
    r"Thẻ căn cước",
    r"Các giấy tờ",
    r"Giấy tờ",
    r"Giấy chứng minh",
    r"Giấy khai sinh",
    r"Giấy chứng tử",
    r"Giấy khám sức kh(?:oẻ|ỏe)",
    r"Giấy đăng ký kết hôn",
    r"Giấy đăng ký doanh nghiệp",
    r"Giấy chứng nhận quyền sử dụng đất",
    r"Giấy phép lái xe",
    r"văn bản xác nhận tình trạng hôn nhân",
]
# A document right after one of these words is what the procedure is about, not a stray cell.
DOCUMENT_GOVERNORS = {
    "cấp",
    "lại",
    "đổi",
    "sao",
    "hạn",
    "hồi",
    "chỉnh",
    "chính",
    "sung",
    "về",
    "và",
    "hoặc",
    "của",
    "cho",
    "với",
    "bằng",
    "theo",
    "thu",
    "ký",
    "tiếp",
}
PREPOSITIONS = {"tại", "của", "thuộc", "do", "với", "cho", "là", "ở", "từ", "theo"}
# Words that take a number or a roman numeral after them ("Bảng 1", "nhóm IV", "mẫu X").
NUMBERED_WORDS = {
    "bảng",
    "số",
    "nhóm",
    "mẫu",
    "loại",
    "hạng",
    "cấp",
    "lần",
    "khóa",
    "khoá",
    "phần",
    "chương",
    "điều",
    "khoản",
    "tuổi",
    "năm",
    "tháng",
    "quý",
    "lớp",
    "phụ lục",
}
# A name that ends with one of these stops mid-phrase.
DANGLING_ENDINGS = (
    "của",
    "đối với",
    "do",
    "tại",
    "là",
    "theo",
    "với",
    "cho",
    "và",
    "hoặc",
    "trước ngày",
    "thuộc",
)
# Verbs a name may consist of when its object is missing ("Cấp lại, sửa đổi, bổ sung").
OBJECTLESS_VERBS = {"cấp", "cấp lại", "cấp đổi", "sửa đổi", "bổ sung", "gia hạn", "điều chỉnh", "thu hồi"}

_UPPER = "A-ZĐÀ-ỸÂĂÊÔƠƯ"
_ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"


def _alternation(items: Iterable[str], escape: bool = True) -> str:
    return "|".join(re.escape(i) if escape else i for i in sorted(items, key=len, reverse=True))


_FIELD_TAIL = re.compile(rf"\s+(?:{_alternation(FIELD_TAILS)})\)?$")
_UPPER_FIELD_TAIL = re.compile(r"\s+LĨNH VỰC\s+[A-ZĐÀ-Ỹ ,]+$")
_LEADING_FIELD = re.compile(rf"^(?:{_alternation(FIELD_TAILS)})\s+(?=[a-zđà-ỹ])")
_LEVEL_TAIL = re.compile(r"(?:\s*;?\s*(?:Cấp (?:Bộ|Tỉnh|Xã|Huyện|Trung ương)|Cơ quan khác))+$")
_AGENCY_TAIL = re.compile(
    rf"(?P<before>\S+)\s+(?:Cục\s+[{_UPPER}][^()]*?(?:\s*\((?:Số|Tầng)\b[^)]*\)?)?|{_alternation(AGENCY_TAILS)})$"
)
_REF_ITEM = r"(?:[Đđ]iểm\s+[a-zđ0-9.]+|[Kk]hoản\s+[a-zđ0-9]+(?:,\s*[a-zđ](?=[,\s]))*)"
_LEGAL_TAIL = re.compile(
    rf"(?P<ref>(?:[Tt]ại\s+)?(?:{_REF_ITEM}[,;]?\s+(?:và\s+)?)*[Đđ]iều\s+\d+(?:,\s*[Đđ]iều\s+\d+)*)$"
)
_DOCUMENT = re.compile(rf"(?:^|(?<=\s))(?:{_alternation(DOCUMENT_STARTS, escape=False)})\b")
_SOURCE_TAIL = re.compile(r"\s+CSDL\b.*$")
_TIME_TAIL = re.compile(
    r"(?:^|\s+)(?:Trong thời hạn\b.*|(?:[A-ZĐ]\w*\s+)?\(?\d+\)?\s+ngày\b(?:\s+làm việc)?(?:[\s,].*)?)$"
)
_NOTE_TAIL = re.compile(
    r"\s+(?:Giảm thời gian giải quyết|Tổng số TTHC\b.*|Nộp hồ sơ\b.*|[a-z]\.\d+\)\s.*|\[\d+\].*|[A-Z]{2,}-\d+)$"
)
_TABLE_HEADER = re.compile(r"Thứ tự công việc|Nội dung công việc cụ thể|Đơn vị/\s*Người thực hiện")
_STRAY_NUMBER = re.compile(r"(?P<before>\S+)(?P<dot>\.)?\s+\d{1,3}$")
_STRAY_MARK = re.compile(rf"(?P<before>\S+)\s+(?:x|{_ROMAN})$")
_FOOTNOTE_K = re.compile(r"(?<!điểm)(?<!Điểm)\s+k(?=\s)")
_TRAILING_PUNCT = re.compile(r"[\s.,;:*/-]+$")


@dataclass(frozen=True)
class Cleaned:
    """The outcome for one name: the clean text, the rules that changed it, and its flags."""

    original: str
    name: str
    rules: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    source_field: str = ""  # the field the source table gave, when the `field` rule removed it
    source_agency: str = ""  # the agency (and address) it gave, when the `agency` rule removed it

    @property
    def changed(self) -> bool:
        return self.name != self.original


def _last_word(text: str | None) -> str:
    return (text or "").rstrip(",;").split(" ")[-1].lower() if text else ""


def _words(text: str) -> int:
    return len(text.split())


def _cut_field(text: str) -> str | None:
    match = _FIELD_TAIL.search(text) or _UPPER_FIELD_TAIL.search(text)
    if match and _words(text[: match.start()]) >= 2:
        return text[: match.start()]
    return None


def _cut_level(text: str) -> str | None:
    match = _LEVEL_TAIL.search(text)
    if match and match.start() > 0 and _words(text[: match.start()]) >= 2:
        return text[: match.start()]
    return None


def _cut_agency(text: str) -> str | None:
    match = _AGENCY_TAIL.search(text)
    if match and match.group("before").lower() not in PREPOSITIONS:
        return text[: match.end("before")]
    return None


def _cut_legal_reference(text: str) -> str | None:
    match = _LEGAL_TAIL.search(text)
    if not match:
        return None
    ref = match.group("ref")
    head = text[: match.start("ref")]
    if not ref[0].isupper() or head.lower().rstrip().endswith(("quy định", " tại", " theo", " của")):
        return None  # a reference the name makes itself ("quy định tại khoản 2 Điều 20")
    return head if _words(head) >= 2 else None


def _cut_document(text: str) -> str | None:
    for match in _DOCUMENT.finditer(text):
        head = text[: match.start()].rstrip()
        if _words(head) < 2:
            continue
        if _last_word(head) in DOCUMENT_GOVERNORS:
            continue
        return head
    return None


def _cut_regex(pattern: re.Pattern, text: str, min_words: int = 2) -> str | None:
    match = pattern.search(text)
    if match and _words(text[: match.start()]) >= min_words:
        return text[: match.start()]
    return None


def _cut_stray_number(text: str) -> str | None:
    match = _STRAY_NUMBER.search(text)
    if not match:
        return None
    if not match.group("dot") and match.group("before").lower() in NUMBERED_WORDS:
        return None
    return text[: match.end("before")] if _words(text) > 2 else None


def _cut_stray_mark(text: str) -> str | None:
    match = _STRAY_MARK.search(text)
    if not match or match.group("before").lower().rstrip(".") in NUMBERED_WORDS:
        return None
    return text[: match.end("before")] if _words(text) > 2 else None


def _cut_unbalanced(text: str) -> str | None:
    if text.count("(") > text.count(")"):
        return text[: text.rfind("(")]
    if text.count(")") > text.count("(") and text.endswith(")"):
        return text[:-1]
    return None


TAIL_RULES = [
    ("note", lambda t: _cut_regex(_NOTE_TAIL, t)),
    ("time_limit", lambda t: _cut_regex(_TIME_TAIL, t, min_words=0)),
    ("source", lambda t: _cut_regex(_SOURCE_TAIL, t)),
    ("level", _cut_level),
    ("field", _cut_field),
    ("agency", _cut_agency),
    ("legal_reference", _cut_legal_reference),
    ("document", _cut_document),
    ("stray_number", _cut_stray_number),
    ("stray_mark", _cut_stray_mark),
    ("unbalanced", _cut_unbalanced),
]


def _is_truncated(name: str) -> bool:
    lowered = name.lower()
    if lowered.endswith(" trực thuộc"):  # "tổ chức tôn giáo trực thuộc" is a complete term
        return False
    if any(lowered == e or lowered.endswith(" " + e) for e in DANGLING_ENDINGS):
        return True
    parts = [p.strip() for p in re.split(r"[,;/]", lowered)]
    return all(p in OBJECTLESS_VERBS for p in parts if p)


def clean_name(raw: str) -> Cleaned:
    """Clean one procedure name (see the module documentation for the rules)."""
    original = nfc(raw)
    if _TABLE_HEADER.search(original):
        return Cleaned(original, "", (), ("not_a_name",))
    text, rules, flags, source_field, source_agency = original, [], [], "", ""
    if (stripped := _LEADING_FIELD.sub("", text)) != text:
        source_field = text[: len(text) - len(stripped)].strip()
        text = stripped[0].upper() + stripped[1:]
        rules.append("leading_field")
    if (stripped := _FOOTNOTE_K.sub("", text)) != text:
        text = stripped
        rules.append("footnote")
    for _ in range(20):
        text = _TRAILING_PUNCT.sub("", text)
        for rule, cut in TAIL_RULES:
            shorter = cut(text)
            if shorter is not None and shorter != text:
                if rule == "field" and not source_field:
                    source_field = text[len(shorter) :].strip(" )")
                if rule == "agency" and not source_agency:
                    source_agency = text[len(shorter) :].strip(" .")
                text = shorter.rstrip()
                rules.append(rule)
                if rule == "unbalanced":
                    flags.append("truncated")
                break
        else:
            break
    text = nfc(_TRAILING_PUNCT.sub("", text))
    if _words(text) < 2:
        return Cleaned(original, "", tuple(rules), ("not_a_name",), source_field, source_agency)
    if "truncated" not in flags and _is_truncated(text):
        flags.append("truncated")
    return Cleaned(original, text, tuple(dict.fromkeys(rules)), tuple(flags), source_field, source_agency)


@dataclass
class Report:
    """What cleaning a whole file did: how many names changed, by which rule, which were flagged."""

    rows: list[tuple[str, Cleaned]] = field(default_factory=list)

    @property
    def changed(self) -> list[tuple[str, Cleaned]]:
        return [(code, c) for code, c in self.rows if c.changed]

    def rule_counts(self) -> Counter:
        return Counter(rule for _, c in self.rows for rule in c.rules)

    def flag_counts(self) -> Counter:
        return Counter(flag for _, c in self.rows for flag in c.flags)

    def summary(self) -> str:
        rules = ", ".join(f"{k} {v}" for k, v in sorted(self.rule_counts().items()))
        flags = ", ".join(f"{k} {v}" for k, v in sorted(self.flag_counts().items()))
        return f"{len(self.rows)} tên, {len(self.changed)} tên được làm sạch; quy tắc: {rules}; cờ: {flags}"


def read_raw(path: Path = RAW_NAMES) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [(nfc(r["ma_tthc"]), r["ten_tthc"]) for r in csv.DictReader(fh)]


def clean_file(path: Path = RAW_NAMES) -> Report:
    return Report([(code, clean_name(name)) for code, name in read_raw(path)])


def write_clean(report: Report, path: Path = CLEAN_NAMES) -> None:
    """The cleaned catalogue the demo uses: code, clean name, the field and the agency the source
    table gave, the rules applied and the flags."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["ma_tthc", "ten_tthc", "linh_vuc_goc", "co_quan_goc", "quy_tac", "canh_bao"])
        for code, c in report.rows:
            writer.writerow(
                [code, c.name, c.source_field, c.source_agency, " ".join(c.rules), " ".join(c.flags)]
            )


def read_clean(path: Path = CLEAN_NAMES) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


if __name__ == "__main__":  # python -m cchc.procedures.clean_names: regenerate data/tthc-clean.csv
    result = clean_file()
    write_clean(result)
    print(result.summary())
