"""`cchc report draft`: a unit's periodic report as DOCX (and its annex as XLSX), contract:

    cchc report draft --unit CODE --kind thang|quy|6thang|9thang|nam --year YYYY [--number N] \
        --out report.docx [--annex annex.xlsx]

N is the month (thang) or the quarter (quy) and is refused for the other kinds. When the unit
already has that report, it is written as it stands (a submitted one is its own snapshot);
otherwise the draft is written from the data as opening it would (`builder.build`), and nothing
is saved. Bad input: one line in Vietnamese on stderr, exit status 2 (docs/reports.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from cchc.core.commands import ToolCommand
from cchc.orgs.models import Unit
from cchc.reports import builder, exports, windows
from cchc.reports.calendar import due_on, receiver_of
from cchc.reports.models import Report


def _same(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return a == b


class Command(ToolCommand):
    help = "Viết báo cáo định kỳ CCHC của một đơn vị ra tệp DOCX (và phụ lục số liệu XLSX)."
    tool = "report draft"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="mã đơn vị (ví dụ P75.STP)")
        parser.add_argument("--kind", required=True, help="thang, quy, 6thang, 9thang hoặc nam")
        parser.add_argument("--year", required=True, help="năm báo cáo (YYYY)")
        parser.add_argument("--number", help="tháng (1..12) của báo cáo tháng, quý (1..4) của báo cáo quý")
        parser.add_argument("--out", required=True, help="tệp báo cáo .docx")
        parser.add_argument("--annex", help="tệp phụ lục số liệu .xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        kind, out, annex = options["kind"], options["out"], options["annex"]
        year_text, number_text = options["year"].strip(), options["number"]
        if not (year_text.isdigit() and len(year_text) == 4):
            self.fail(f"--year {year_text!r} không hợp lệ: viết năm bốn chữ số (ví dụ 2026).")
        number: int | None = None
        if number_text is not None:
            if not number_text.strip().isdigit():
                self.fail(f"--number {number_text!r} không hợp lệ: viết số tháng hoặc số quý.")
            number = int(number_text)
        try:
            stored = windows.check(kind, int(year_text), number)
        except windows.KindError as exc:
            self.fail(f"{exc}.")
        if not out.lower().endswith(".docx"):
            self.fail(f"--out {out}: tệp báo cáo phải có đuôi .docx.")
        if annex is not None:
            if _same(out, annex):
                self.fail(
                    f"--annex {annex} trùng với --out: ghi phụ lục ra tệp khác để không ghi đè báo cáo."
                )
            if not annex.lower().endswith(".xlsx"):
                self.fail(f"--annex {annex}: tệp phụ lục phải có đuôi .xlsx.")
        unit = Unit.objects.filter(code=options["unit"].strip()).first()
        if unit is None:
            self.fail(f"không có đơn vị mã {options['unit']!r} (xem mã ở trang Đơn vị).")
        year = int(year_text)
        window = windows.window(kind, year, stored)
        if window.start > timezone.localdate():
            self.fail(
                f"kỳ số liệu {windows.period_label(kind, year, stored)} chưa bắt đầu ({window.start:%d/%m/%Y})."
            )
        report = Report.objects.filter(unit=unit, kind=kind, year=year, number=stored).first()
        if report is None:
            draft = builder.build(unit, kind, year, stored)
            if not draft.has_data:
                self.fail(
                    f"kỳ {windows.period_label(kind, year, stored)} chưa có số liệu nào của {unit} để lập báo cáo."
                )
            report = Report(
                unit=unit,
                receiver=receiver_of(unit),
                kind=kind,
                year=year,
                number=stored,
                period_key=window.key,
                period_start=window.start,
                period_end=window.end,
                due_on=due_on(unit, kind, year, stored),
                sections=draft.sections,
                annex=draft.annex,
                facts=draft.facts,
                consolidated=bool(draft.facts["expected"]),
            )
        try:
            Path(out).write_bytes(exports.report_docx(report))
            if annex is not None:
                Path(annex).write_bytes(exports.annex_xlsx(report))
        except OSError as exc:
            self.fail(f"không ghi được tệp ({exc.strerror}: {exc.filename}).")
        self.stdout.write(f"Đã ghi {out}" + (f" và {annex}" if annex else "") + f" ({report.title}, {unit}).")
