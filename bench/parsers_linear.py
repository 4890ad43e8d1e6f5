"""Do the document parsers take time in proportion to their input? (prints figures; never a timed
assertion). Each parser is timed at size N and 2N (and 10N with ``--full``), best of ``--repeat``
runs, alternating sizes so that the load of a shared machine falls on both alike; the ratio
time(2N) / time(N) is ≈ 2 for a linear parser, ≈ 4 for a quadratic one.

    .venv/bin/python bench/parsers_linear.py [--repeat 2] [--full] [--only text,md,docx,xlsx]

``--full`` adds 10N (6N for DOCX: its paragraph limit; 4N for XLSX: the import's 20,000 rows).

- ``text``: plan import of a PDF-extracted plan (samples/plans/ubnd-binhphuoc-2023.txt: tables
  broken over lines, the hardest path), the document repeated to N bytes;
- ``md``: plan import of a Markdown plan (sxd-dongnai-2022.md, pipe tables), repeated likewise;
- ``docx``: plan import of a DOCX whose appendix table has N rows (STT, content, lead,
  coordinating bodies, deadline), made with python-docx;
- ``xlsx``: procedure catalogue import, reading and checking every row (`read_table` +
  `parse_row`, what `preview` does before it looks at the database), N rows made with openpyxl.

The samples are in the shared folder (``CCHC_SAMPLES``, default /work/shared/samples); without
them the text and md parsers are skipped.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLES = Path(os.environ.get("CCHC_SAMPLES", "/work/shared/samples"))

AGENCIES = ["Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Văn phòng UBND tỉnh", "Sở Khoa học và Công nghệ"]
DEADLINES = ["Quý I/2026", "Trước 15/11 hàng năm", "Thường xuyên trong năm", "Tháng 6/2026", "Năm 2026"]


def text_input(name: str) -> Callable[[int], bytes] | None:
    path = SAMPLES / "plans" / name
    if not path.exists():
        return None
    source = path.read_bytes()

    def make(size: int) -> bytes:
        return source * max(1, round(size / len(source)))

    return make


def docx_input(rows: int) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI")
    document.add_paragraph("KẾ HOẠCH Cải cách hành chính năm 2026")
    document.add_paragraph("PHỤ LỤC: NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026")
    table = document.add_table(rows=rows + 1, cols=5)
    cells = table._cells  # noqa: SLF001 - python-docx's flat cell list: one lookup, not one per cell
    header = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
    for j, text in enumerate(header):
        cells[j].text = text
    for i in range(rows):
        row = cells[(i + 1) * 5 : (i + 2) * 5]
        row[0].text = str(i + 1)
        row[
            1
        ].text = f"Rà soát, đơn giản hóa thủ tục hành chính thuộc lĩnh vực số {i + 1} theo kế hoạch của tỉnh"
        row[2].text = AGENCIES[i % len(AGENCIES)]
        row[3].text = f"{AGENCIES[(i + 1) % len(AGENCIES)]}; UBND các xã, phường"
        row[4].text = DEADLINES[i % len(DEADLINES)]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_input(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(
        ["Mã TTHC", "Tên TTHC", "Lĩnh vực", "Cấp thực hiện", "Thời hạn", "Phí, lệ phí", "Ngày công bố"]
    )
    for i in range(rows):
        sheet.append(
            [
                f"1.{i:06d}",
                f"Thủ tục cấp giấy phép số {i} cho tổ chức, cá nhân",
                "Hộ tịch",
                "Cấp tỉnh",
                f"{i % 20 + 1} ngày làm việc",
                "50.000 đồng",
                "15/01/2026",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run_plan(data: bytes, name: str) -> str:
    from cchc.plans.importer import parse_plan_bytes

    plan = parse_plan_bytes(data, name)
    return f"{len(plan['tasks']):,} tasks, {len(plan['targets']):,} targets"


def setup_django() -> None:
    """The procedure importer is a Django module (it reads no database here)."""
    import tempfile

    os.environ.setdefault("CCHC_DATA_DIR", tempfile.mkdtemp(prefix="cchc-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()


def run_xlsx(data: bytes) -> str:
    from cchc.procedures.importer import parse_row, read_table

    rows = read_table("thu-tuc.xlsx", data)
    errors = sum(1 for _, row in rows if parse_row(row)[1])
    return f"{len(rows):,} rows, {errors:,} with errors"


def best_time(fn: Callable[[], str]) -> tuple[float, str]:
    started = time.perf_counter()
    what = fn()
    return time.perf_counter() - started, what


def measure(
    label: str, sizes: list[int], unit: str, make: Callable[[int], bytes], parse, repeat: int
) -> None:
    inputs = {n: make(n) for n in sizes}
    times: dict[int, float] = {}
    notes: dict[int, str] = {}
    for _ in range(repeat):
        for n in sizes:  # alternating: the load of the machine falls on every size alike
            seconds, note = best_time(lambda n=n: parse(inputs[n]))
            times[n] = min(times.get(n, seconds), seconds)
            notes[n] = note
    base = sizes[0]
    print(f"\n{label}")
    for n in sizes:
        size = len(inputs[n])
        ratio = times[n] / times[base] if times[base] else float("nan")
        print(
            f"  {n:>10,} {unit:<6} ({size / 2**20:6.2f} MiB)  {times[n]:7.2f} s  "
            f"×{ratio:5.2f} for ×{n / base:g} input  ({notes[n]})",
            flush=True,
        )
    last = sizes[-1]
    growth = (times[last] / times[base]) / (last / base) if times[base] else float("nan")
    verdict = "linear" if growth < 1.4 else "SUPERLINEAR"
    print(f"  time per unit at {last:,} / at {base:,}: {growth:.2f} → {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--full", action="store_true", help="also 10N (minutes on a loaded machine)")
    parser.add_argument("--only", default="text,md,docx,xlsx")
    args = parser.parse_args()
    only = set(args.only.split(","))
    scale = [1, 2, 10] if args.full else [1, 2]
    print(
        "Parsers, time at N and 2N (best of runs; 2-core machine shared with other jobs: ratios, not times)"
    )

    if "text" in only and (make := text_input("ubnd-binhphuoc-2023.txt")):
        n = 256 * 1024
        measure(
            "plan import, PDF-extracted text (.txt)",
            [n * k for k in scale],
            "bytes",
            make,
            lambda data: run_plan(data, "ke-hoach.txt"),
            args.repeat,
        )
    if "md" in only and (make := text_input("sxd-dongnai-2022.md")):
        n = 512 * 1024
        measure(
            "plan import, Markdown (.md)",
            [n * k for k in scale],
            "bytes",
            make,
            lambda data: run_plan(data, "ke-hoach.md"),
            args.repeat,
        )
    if "docx" in only:
        measure(
            "plan import, DOCX with one appendix table",
            # 5 cells a row are 5 paragraphs: 18,000 rows stay under the 100,000 paragraphs a DOCX
            # may have (cchc.plans.importer.docx.MAX_PARAGRAPHS, refused before parsing)
            [3000, 6000, 18000] if args.full else [3000, 6000],
            "rows",
            docx_input,
            lambda data: run_plan(data, "ke-hoach.docx"),
            args.repeat,
        )
    if "xlsx" in only:
        setup_django()
        measure(
            "procedure catalogue import (.xlsx): read and check every row",
            [5000, 10000, 20000] if args.full else [5000, 10000],  # 20,000 rows: the import's limit
            "rows",
            xlsx_input,
            run_xlsx,
            args.repeat,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
