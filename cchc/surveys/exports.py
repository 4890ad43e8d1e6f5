"""Files out of the application: a questionnaire as questionnaire.csv, a campaign's responses as
responses.csv (docs/specs/survey-results.md), the results as results.csv and XLSX, and the issued
links as CSV."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from cchc.core.spreadsheets import append_row

from . import files, formulas
from .models import Answer, Campaign, Questionnaire, SampleEntry
from .services.questionnaires import QUESTIONNAIRE_FILE_COLUMNS, questionnaire_rows


def questionnaire_csv(questionnaire: Questionnaire) -> str:
    return files.write_csv(questionnaire_rows(questionnaire), QUESTIONNAIRE_FILE_COLUMNS)


def responses_csv(campaign: Campaign) -> str:
    """Every answer; the response id stands for ma_phieu unless a form code was given."""
    rows = (
        {
            "ma_phieu": form or f"#{response_id}",
            "ma_don_vi": unit,
            "ma_cau": code,
            "gia_tri": "" if score is None and not text else (str(score) if score is not None else text),
        }
        for response_id, form, unit, code, score, text in Answer.objects.filter(response__campaign=campaign)
        .order_by("response_id", "question__order")
        .values_list(
            "response_id", "response__form_code", "response__unit__code", "question__code", "score", "text"
        )
        .iterator(chunk_size=10_000)
    )
    return files.write_csv(rows, formulas.RESPONSE_COLUMNS)


def results_csv(results: Iterable[formulas.UnitResult]) -> str:
    return files.results_csv(formulas.result_rows(results))


def links_csv(issued: Iterable[tuple[SampleEntry, str]], base_url: str) -> str:
    rows = (
        {
            "ma_don_vi": entry.unit.code,
            "don_vi": entry.unit.name,
            "ma_ho_so": entry.dossier.code if entry.dossier else "",
            "so_dien_thoai": entry.dossier.applicant_phone if entry.dossier else "",
            "duong_dan": f"{base_url}{token}/",
        }
        for entry, token in issued
    )
    return files.write_csv(rows, ("ma_don_vi", "don_vi", "ma_ho_so", "so_dien_thoai", "duong_dan"))


HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")
SMALL_FILL = PatternFill("solid", fgColor="FFF3B0")
# Format codes are written in Excel's invariant form; Excel and LibreOffice show them with the
# reader's separators (1.234 and 87,50 in a Vietnamese locale), as the other exports do.
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def results_xlsx(campaign: Campaign, elements: Sequence[tuple[str, str]], rows: Sequence) -> bytes:
    """The results page as a workbook: a title block (campaign, questionnaire, period, when
    exported), then one row per unit — responses, each element's satisfaction rate and mean
    score, the overall rate, mean and widest margin, the rank; figures as numbers (they add up
    again in Excel), text written as text (a unit name beginning with “=” stays text)."""
    book = Workbook()
    book.remove(book.worksheets[0])  # the default sheet, replaced by a named one
    sheet = book.create_sheet("Ket qua khao sat")
    append_row(sheet, [f"KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG — {campaign.name.upper()}"])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [f"Bộ câu hỏi: {campaign.questionnaire.name} · Đơn vị tổ chức: {campaign.owner.name}"])
    append_row(
        sheet,
        [
            f"Thời gian khảo sát: {campaign.period_start:%d/%m/%Y} – {campaign.period_end:%d/%m/%Y} · "
            f"Xuất lúc {timezone.localtime():%H:%M %d/%m/%Y}"
        ],
    )
    append_row(sheet, ["Tỷ lệ hài lòng (%) = câu trả lời mức 4–5 / số câu trả lời; sai số ở độ tin cậy 95%."])
    append_row(sheet, [])
    header: list[object] = ["STT", "Mã đơn vị", "Đơn vị", "Số phiếu"]
    for code, name in elements:
        header += [f"{code}. {name}: tỷ lệ hài lòng (%)", f"{code}: điểm trung bình"]
    header += [
        "Chung: tỷ lệ hài lòng (%)",
        "Chung: điểm trung bình",
        "Sai số lớn nhất (± điểm %)",
        "Xếp hạng",
        "Ghi chú",
    ]
    append_row(sheet, header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(rows, start=1):
        by_element = {f.element: f for f in row.result.elements}
        values: list[object] = [i, row.unit.code, row.unit.name, row.responses]
        for code, _ in elements:
            f = by_element.get(code)
            values += [_number(f.rate if f else None), _number(f.mean if f else None)]
        total = row.result.total
        values += [
            _number(total.rate),
            _number(total.mean),
            _number(row.worst_margin),
            row.rank,
            "" if row.comparable else "Mẫu nhỏ: chưa đủ để so sánh, không xếp hạng",
        ]
        append_row(sheet, values)
        n = sheet.max_row
        sheet.cell(n, 4).number_format = INTEGER_FORMAT
        for col in range(5, 5 + 2 * len(elements) + 3):
            sheet.cell(n, col).number_format = DECIMAL_FORMAT
        if not row.comparable:
            for cell in sheet[n]:
                cell.fill = SMALL_FILL
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 40
    sheet.freeze_panes = sheet.cell(header_row + 1, 4)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
