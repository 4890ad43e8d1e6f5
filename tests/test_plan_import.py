"""Plan import (cchc.plans.importer): the samples, documents made here, bad inputs, the CLI contract."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import subprocess
import sys
import textwrap
import unicodedata
import zipfile
from pathlib import Path

import pytest

from cchc.plans.importer import PlanImportError, parse_plan_bytes, parse_plan_file
from cchc.plans.importer.bodies import split_bodies
from cchc.plans.importer.evaluate import evaluate, score_targets, score_tasks

FIXTURES = Path(__file__).parent / "fixtures" / "plans"
SAMPLES = [
    "sngv-binhphuoc-2022.txt",
    "sxd-binhphuoc-2021-2025.txt",
    "ubnd-binhphuoc-2023.txt",
    "sxd-dongnai-2022.md",
]
CONTRACT_KEYS = [
    "source",
    "issuer",
    "province",
    "number",
    "issued_date",
    "period",
    "kind",
    "reform_areas_present",
    "targets",
    "tasks",
]
TASK_KEYS = {
    "stt",
    "group",
    "area",
    "content",
    "target",
    "output",
    "lead",
    "coordinating",
    "deadline",
    "note",
}
TARGET_KEYS = {"text", "area", "comparator", "value", "unit", "year", "section"}


def _load_plan_docs():
    spec = importlib.util.spec_from_file_location("plan_docs", FIXTURES / "plan_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


plan_docs = _load_plan_docs()


def expected(name: str) -> dict:
    return json.loads((FIXTURES / name).with_suffix(".expected.json").read_text(encoding="utf-8"))


# --- the samples ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_recall_and_precision(name):
    found = parse_plan_file(FIXTURES / name)
    scores = evaluate(found, expected(name))
    for kind in ("tasks", "targets"):
        s = scores[kind]
        assert s.precision >= 0.95, (kind, s.precision, s.extra)
        assert s.recall >= 0.95, (kind, s.recall, s.missed)


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_metadata_and_shape(name):
    found = parse_plan_file(FIXTURES / name)
    want = expected(name)
    assert list(found) == CONTRACT_KEYS
    for key in (
        "source",
        "issuer",
        "province",
        "number",
        "issued_date",
        "period",
        "kind",
        "reform_areas_present",
    ):
        assert found[key] == want[key], key
    for task in found["tasks"]:
        assert set(task) == TASK_KEYS
        assert isinstance(task["lead"], list) and isinstance(task["coordinating"], list)
    for target in found["targets"]:
        assert TARGET_KEYS <= set(target) <= TARGET_KEYS | {"reduction"}


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_fields_of_matched_items(name):
    """Beyond the match itself: lead, coordinating, deadline, group of tasks; area, year of targets."""
    found = parse_plan_file(FIXTURES / name)
    want = expected(name)
    tasks = score_tasks(found["tasks"], want["tasks"])
    for field in ("stt", "group", "area", "lead", "coordinating", "deadline", "target", "output"):
        assert tasks.fields[field] >= 0.95, field
    targets = score_targets(found["targets"], want["targets"])
    for field in ("area", "unit", "year", "section"):
        assert targets.fields[field] >= 0.95, field


def test_text_is_nfc_and_one_line():
    text = (FIXTURES / "ubnd-binhphuoc-2023.txt").read_text(encoding="utf-8")
    found = parse_plan_bytes(unicodedata.normalize("NFD", text).encode("utf-8"), "nfd.txt")
    assert evaluate(found, expected("ubnd-binhphuoc-2023.txt"))["tasks"].recall == 1.0
    for task in found["tasks"]:
        for value in (task["content"], task["deadline"], *task["lead"], *task["coordinating"]):
            if value:
                assert unicodedata.is_normalized("NFC", value)
                assert "\n" not in value and "  " not in value


def test_pdf_text_without_blank_lines_between_lines():
    """The same extracted PDF text, one line break per printed line (another extractor's habit)."""
    text = (FIXTURES / "ubnd-binhphuoc-2023.txt").read_text(encoding="utf-8")
    squeezed = "\n".join(line for line in text.splitlines() if line.strip())
    found = parse_plan_bytes(squeezed.encode("utf-8"), "squeezed.txt")
    scores = evaluate(found, expected("ubnd-binhphuoc-2023.txt"))
    assert scores["tasks"].precision == scores["tasks"].recall == 1.0
    assert scores["tasks"].fields["lead"] >= 0.95


# --- bodies ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, bodies",
    [
        ("Sở Tư pháp; Các cơ quan, đơn vị, địa phương có liên quan",
         ["Sở Tư pháp", "Các cơ quan, đơn vị, địa phương có liên quan"]),
        ("Sở Văn hóa, Thể thao và Du lịch, Sở Tài chính", ["Sở Văn hóa, Thể thao và Du lịch", "Sở Tài chính"]),
        ("Văn phòng UBND tỉnh, các Sở: Tài chính, Tư pháp, Khoa học và Công nghệ",
         ["Văn phòng UBND tỉnh", "các Sở: Tài chính, Tư pháp, Khoa học và Công nghệ"]),
        ("Sở Nội vụ, UBND cấp huyện và các cơ quan, đơn vị có liên quan",
         ["Sở Nội vụ", "UBND cấp huyện và các cơ quan, đơn vị có liên quan"]),
        ("UBND các huyện, thị xã, thành phố", ["UBND các huyện, thị xã, thành phố"]),
        ("Các phòng nghiệp vụ thuộc Sở (Được phân công)", ["Các phòng nghiệp vụ thuộc Sở (Được phân công)"]),
    ],
)  # fmt: skip
def test_split_bodies(text, bodies):
    assert split_bodies(text) == bodies


# --- documents made here ------------------------------------------------------------------------


def _task_rows():
    return [t for t in plan_docs.TABLE_PLAN_TASKS if not t[0]]


def _check_table_plan(found: dict) -> None:
    assert found["issuer"] == "Sở Nội vụ"
    assert found["province"] == "Tây Ninh"
    assert found["number"] == "125/KH-SNV"
    assert found["issued_date"] == "2024-01-15"
    assert found["period"] == {"from_year": 2024, "to_year": 2024}
    assert found["kind"] == "annual"
    assert found["reform_areas_present"] == ["the_che", "thu_tuc_hanh_chinh", "cong_vu", "chi_dao_dieu_hanh"]
    rows = _task_rows()
    assert len(found["tasks"]) == len(rows)
    for task, (_, stt, content, output, lead, coordinating, deadline) in zip(
        found["tasks"], rows, strict=True
    ):
        assert task["stt"] == stt
        assert task["content"] == content
        assert task["output"] == output
        assert task["lead"] == split_bodies(lead), stt
        assert task["coordinating"] == split_bodies(coordinating), stt
        assert task["deadline"] == deadline
    assert [t["area"] for t in found["tasks"]] == [
        "the_che", "the_che", "thu_tuc_hanh_chinh", "thu_tuc_hanh_chinh", "thu_tuc_hanh_chinh", "cong_vu",
        "chi_dao_dieu_hanh",
    ]  # fmt: skip
    # the bodies of a merged cell are inherited by the row without STT under it
    assert found["tasks"][4]["lead"] == ["Văn phòng Sở"]
    body = [t for t in found["targets"] if t["section"] == "II. CÁC CHỈ TIÊU CHỦ YẾU"]
    assert [(t["text"], t["comparator"], t["value"], t["unit"]) for t in body] == plan_docs.TABLE_PLAN_TARGETS
    assert [t.get("reduction", False) for t in body] == [False, False, True, False, False, False]
    assert all(t["year"] == 2024 for t in found["targets"])
    annex = [t for t in found["targets"] if t["section"].startswith("PHỤ LỤC")]
    assert [(t["value"], t["section"]) for t in annex] == [
        (100, "PHỤ LỤC: II CẢI CÁCH THỦ TỤC HÀNH CHÍNH, STT 3")
    ]


def test_docx_with_appendix_table(tmp_path):
    path = plan_docs.table_plan_docx(tmp_path / "ke-hoach.docx")
    _check_table_plan(parse_plan_file(path))


def test_pdf_made_by_libreoffice_from_the_same_plan():
    _check_table_plan(parse_plan_file(FIXTURES / "sonv-tayninh-2024.pdf"))


def test_task_blocks_with_their_own_lead_lines(tmp_path):
    found = parse_plan_file(plan_docs.blocks_plan_docx(tmp_path / "xa.docx"))
    assert found["issuer"] == "Ủy ban nhân dân xã Lộc Ninh"
    assert found["province"] == "Đồng Nai"
    assert found["period"] == {"from_year": 2025, "to_year": 2026} and found["kind"] == "multi_year"
    want = [task for _, tasks in plan_docs.BLOCK_TASKS for task in tasks]
    assert [
        (t["stt"], t["content"], t["lead"], t["coordinating"], t["deadline"]) for t in found["tasks"]
    ] == [
        (stt, f"{content}.", [lead], [coordinating] if coordinating else [], deadline)
        for stt, content, lead, coordinating, deadline in want
    ]
    assert [t["area"] for t in found["tasks"]] == [
        "the_che",
        "thu_tuc_hanh_chinh",
        "thu_tuc_hanh_chinh",
        "chinh_quyen_so",
    ]
    body = found["targets"][:2]
    assert [(t["comparator"], t["value"], t["year"]) for t in body] == [("=", 100, 2026), (">=", 95, 2026)]


def test_task_blocks_on_one_line_in_text():
    text = textwrap.dedent(
        """\
        KẾ HOẠCH
        Cải cách hành chính năm 2025 của Sở Y tế
        II. NHIỆM VỤ
        1. Cải cách thủ tục hành chính
        a) Rà soát quy trình nội bộ giải quyết thủ tục hành chính. Chủ trì: Văn phòng Sở; phối hợp: các phòng chuyên môn; thời gian: Quý II/2025.
        b) Tuyên truyền về dịch vụ công trực tuyến.
        2. Công tác chỉ đạo, điều hành
        a) Tự đánh giá Chỉ số cải cách hành chính
        - Cơ quan chủ trì: Văn phòng Sở
        - Cơ quan phối hợp: Các phòng chức năng
        - Thời hạn hoàn thành: Trước 10/12/2025
        """
    )
    found = parse_plan_bytes(text.encode("utf-8"), "blocks.txt")
    assert [(t["stt"], t["content"], t["lead"], t["coordinating"], t["deadline"], t["area"]) for t in found["tasks"]] == [
        ("a", "Rà soát quy trình nội bộ giải quyết thủ tục hành chính", ["Văn phòng Sở"],
         ["các phòng chuyên môn"], "Quý II/2025", "thu_tuc_hanh_chinh"),
        ("a", "Tự đánh giá Chỉ số cải cách hành chính", ["Văn phòng Sở"], ["Các phòng chức năng"],
         "Trước 10/12/2025", "chi_dao_dieu_hanh"),
    ]  # fmt: skip


def _text_table(widths: tuple[int, ...], blank: bool) -> str:
    """A table as a PDF-to-text tool gives it: STT, then each cell's lines, header again at page breaks."""
    header = "STT Nội dung công việc Kết quả/Sản phẩm Đơn vị chủ trì Đơn vị phối hợp Thời hạn Ghi chú"
    out = ["KẾ HOẠCH", "Cải cách hành chính năm 2024", "PHỤ LỤC", header]
    n = 0
    for group, stt, content, output, lead, coordinating, deadline in plan_docs.TABLE_PLAN_TASKS:
        if group:
            roman, title = group.split(". ", 1)
            out.append(f"{roman} {title.capitalize()}")
            continue
        n += 1
        if n % 3 == 0:
            out.append(" " + header)
        if stt:
            out.append(f"{stt}.")
        for text, width in zip((content, output, lead, coordinating, deadline), widths, strict=True):
            out.extend(textwrap.wrap(text, width) if text else [])
        out.append(" ")
    return ("\n\n" if blank else "\n").join(out)


@pytest.mark.parametrize("widths", [(50, 20, 18, 22, 12), (70, 30, 20, 20, 10)])
@pytest.mark.parametrize("blank", [True, False])
def test_text_table_with_an_output_column_at_other_widths(widths, blank):
    found = parse_plan_bytes(_text_table(widths, blank).encode("utf-8"), "bang.txt")
    rows = _task_rows()
    assert [t["content"] for t in found["tasks"]] == [r[2] for r in rows]
    assert [t["output"] for t in found["tasks"]] == [r[3] for r in rows]
    assert [t["deadline"] for t in found["tasks"]] == [r[6] for r in rows]
    assert [t["coordinating"] for t in found["tasks"]] == [split_bodies(r[5]) for r in rows]


def test_markdown_pipe_table():
    text = textwrap.dedent(
        """\
        # KẾ HOẠCH
        **Cải cách hành chính năm 2026**

        PHỤ LỤC

        | STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Tiến độ |
        |---|---|---|---|---|
        | **I** | **Cải cách thể chế** | | | |
        | 1 | Rà soát văn bản QPPL | Sở Tư pháp | Các sở, ngành | Quý I/2026 |
        | 2 | Theo dõi thi hành pháp luật, bảo đảm 100% văn bản được theo dõi | Sở Tư pháp | | Thường xuyên |
        """
    )
    found = parse_plan_bytes(text.encode("utf-8"), "bang.md")
    assert found["period"] == {"from_year": 2026, "to_year": 2026}
    assert [(t["stt"], t["group"], t["area"], t["lead"], t["deadline"]) for t in found["tasks"]] == [
        ("1", "I Cải cách thể chế", "the_che", ["Sở Tư pháp"], "Quý I/2026"),
        ("2", "I Cải cách thể chế", "the_che", ["Sở Tư pháp"], "Thường xuyên"),
    ]
    assert [(t["value"], t["section"]) for t in found["targets"]] == [
        (100, "PHỤ LỤC: I Cải cách thể chế, STT 2")
    ]


# --- bad inputs ----------------------------------------------------------------------------------


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted_pdf(user_password: bytes = b"mat-khau", owner_password: bytes = b"chu-so-huu") -> bytes:
    """A one-page PDF under the standard security handler (RC4 40-bit, revision 2) that needs a
    user password to open; written by hand since no PDF library here can encrypt."""
    pad = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")
    padded = lambda pw: (pw + pad)[:32]  # noqa: E731
    owner_key = hashlib.md5(padded(owner_password)).digest()[:5]
    o_entry = _rc4(owner_key, padded(user_password))
    permissions = -44
    file_id = hashlib.md5(b"cchc-test").digest()
    key = hashlib.md5(
        padded(user_password) + o_entry + permissions.to_bytes(4, "little", signed=True) + file_id
    ).digest()[:5]
    u_entry = _rc4(key, pad)

    def obj_key(num: int) -> bytes:
        return hashlib.md5(key + num.to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]

    content = _rc4(obj_key(4), b"BT /F1 18 Tf 72 720 Td (Ke hoach cai cach hanh chinh nam 2024) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + o_entry.hex().encode() + b"> /U <" + u_entry.hex().encode()
        + b"> /P " + str(permissions).encode() + b" >>",
    ]  # fmt: skip
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, file_id.hex().encode(), file_id.hex().encode(), xref)
    )
    return out.getvalue()


def image_only_pdf() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (850, 1100), "white")
    draw = ImageDraw.Draw(image)
    for y in range(100, 1000, 40):
        draw.rectangle((100, y, 750, y + 12), fill="black")  # lines of "text" in a scan
    out = io.BytesIO()
    image.save(out, "PDF", resolution=100)
    return out.getvalue()


def _zip_without_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    return out.getvalue()


BAD_INPUTS = {
    "empty.txt": b"",
    "empty.docx": b"",
    "blank.md": b"   \n\n  ",
    "bang-tinh.xls": b"\xd0\xcf\x11\xe0 not a plan",
    "no-extension": b"Ke hoach",
    "corrupt.docx": b"PK\x03\x04 this is not a real zip file at all",
    "not-word.docx": _zip_without_document(),
    "corrupt.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage",
    "locked.pdf": encrypted_pdf(),
    "scan.pdf": image_only_pdf(),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gives_one_line_vietnamese_reason(name):
    with pytest.raises(PlanImportError) as err:
        parse_plan_bytes(BAD_INPUTS[name], name)
    message = str(err.value)
    assert message and "\n" not in message
    assert any(ord(c) > 127 for c in message)  # Vietnamese, with its diacritics


def test_bad_input_reasons_say_what_is_wrong():
    def reason(name):
        with pytest.raises(PlanImportError) as err:
            parse_plan_bytes(BAD_INPUTS[name], name)
        return str(err.value)

    assert "không được hỗ trợ" in reason("bang-tinh.xls")
    assert "rỗng" in reason("empty.txt")
    assert "mật khẩu" in reason("locked.pdf")
    assert "OCR" in reason("scan.pdf")
    assert "hỏng" in reason("corrupt.docx") and "hỏng" in reason("corrupt.pdf")


def test_missing_file():
    with pytest.raises(PlanImportError, match="Không tìm thấy"):
        parse_plan_file(FIXTURES / "khong-co.txt")


# --- speed -----------------------------------------------------------------------------------------


def test_a_60_kb_document_is_read_whole():
    # the time it takes is measured by bench/plan_import_eval.py, not asserted here
    text = (FIXTURES / "ubnd-binhphuoc-2023.txt").read_text(encoding="utf-8")
    data = text.encode("utf-8")
    padded = data + b"\n" * (60_000 - len(data))
    assert len(padded) >= 60_000
    found = parse_plan_bytes(padded, "big.txt")
    assert len(found["tasks"]) == len(expected("ubnd-binhphuoc-2023.txt")["tasks"])


# --- the command line (contract) -------------------------------------------------------------------


def _cchc(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["CCHC_DATA_DIR"] = str(tmp_path)
    exe = Path(sys.executable).with_name("cchc")
    return subprocess.run([str(exe), *args], capture_output=True, env=env, timeout=120)


def test_cli_json_prints_the_structure(tmp_path):
    path = FIXTURES / "sngv-binhphuoc-2022.txt"
    result = _cchc("plan", "import", str(path), "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout.decode("utf-8")) == parse_plan_file(path)
    assert "Sở Ngoại vụ" in result.stdout.decode("utf-8")  # UTF-8, not \\u escapes


def test_cli_unsupported_file_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bang-tinh.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0")
    result = _cchc("plan", "import", str(bad), "--json", tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stdout == b""
    lines = result.stderr.decode("utf-8").strip().splitlines()
    assert len(lines) == 1 and "không được hỗ trợ" in lines[0]


def test_cli_deadline_parse(tmp_path):
    result = _cchc("deadline", "parse", "Quý I hàng năm", "--from", "2021", "--to", "2022", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["dates"] == ["2021-03-31", "2022-03-31"]
    bad = _cchc("deadline", "parse", "Quý I", "--from", "2025", "--to", "2021", tmp_path=tmp_path)
    assert bad.returncode == 2 and len(bad.stderr.decode().strip().splitlines()) == 1
