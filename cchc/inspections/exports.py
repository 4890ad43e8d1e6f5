"""The register of a plan's inspections as XLSX, and the conclusion notice of an inspection (thông báo kết luận kiểm tra) as DOCX in the official
layout of Nghị định 30/2020/NĐ-CP (cchc.core.documents.OfficialDocument) and PDF from that DOCX
(LibreOffice): the inspecting body's header, what was inspected and by whom, the results by
reform area, the general assessment, the findings with their remedies, owners and deadlines,
and what the unit must do next."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from cchc.core.documents import OfficialDocument, docx_to_pdf
from cchc.core.spreadsheets import append_row
from cchc.orgs.models import Unit
from cchc.plans.models import ReformArea

from .models import Finding, Inspection, InspectionPlan, ItemResult, Mode, TeamMember, TeamRole


def place_of(unit: Unit) -> str:
    """The place in a document's date line: the province's short name ("Đồng Nai")."""
    province = unit.province() or unit
    name = province.short_name or province.name
    for prefix in ("Tỉnh ", "Thành phố "):
        name = name.removeprefix(prefix)
    return name


def _issuer(unit: Unit) -> tuple[str, str]:
    """(superior body, issuing body) for the header: a province issues as its People's
    Committee; an agency under the province's."""
    if unit.parent is None:
        return "", unit.body_name
    return unit.parent.body_name, unit.body_name


def conclusion_docx(
    inspection: Inspection, results: list[ItemResult], findings: list[Finding], team: list[TeamMember]
) -> bytes:
    plan, unit = inspection.plan, inspection.unit
    superior, body = _issuer(plan.unit)
    doc = OfficialDocument()
    doc.header(
        superior=superior,
        body=body,
        number=inspection.conclusion_number or "      /TB-……",
        place=place_of(plan.unit),
        day=inspection.concluded_on or timezone.localdate(),
    )
    doc.title("Thông báo", subtitle=f"Kết luận kiểm tra công tác cải cách hành chính tại {unit.name}")
    plan_ref = f"Kế hoạch số {plan.number}" if plan.number else f"Kế hoạch “{plan.title}”"
    if plan.issued_on:
        plan_ref += f" ngày {plan.issued_on:%d/%m/%Y}"
    how = "trực tuyến, xem xét hồ sơ, tài liệu điện tử" if inspection.mode == Mode.ONLINE else "trực tiếp"
    when = f"ngày {inspection.start_date:%d/%m/%Y}"
    if inspection.end_date != inspection.start_date:
        when = f"từ ngày {inspection.start_date:%d/%m/%Y} đến ngày {inspection.end_date:%d/%m/%Y}"
    doc.paragraph(
        f"Thực hiện {plan_ref} của {plan.unit.body_name} về kiểm tra công tác cải cách hành chính năm "
        f"{plan.year}, {when} Đoàn kiểm tra đã tiến hành kiểm tra ({how}) tại {unit.name} "
        f"({inspection.get_kind_display().lower()})."
    )
    if team:
        members = "; ".join(f"{m.user} — {m.get_role_display().lower()}" for m in team)
        doc.paragraph(f"Thành phần Đoàn kiểm tra: {members}.")
    doc.paragraph("Kết quả kiểm tra như sau:")

    doc.paragraph("I. KẾT QUẢ KIỂM TRA THEO NỘI DUNG", bold=True, indent=False)
    rows: list[list[str]] = []
    for area in ReformArea:
        mine = [r for r in results if r.area == area.value]
        if not mine:
            continue
        rows.append(["", area.label.upper(), "", ""])
        rows += [[str(r.position), r.content, r.get_verdict_display() or "—", r.note] for r in mine]
    doc.table(["STT", "Nội dung kiểm tra", "Kết quả", "Ghi chú"], rows, widths_mm=(12, 90, 25, 38), size=11)
    passed = sum(1 for r in results if r.verdict == "dat")
    failed = sum(1 for r in results if r.verdict == "chua_dat")
    doc.paragraph(
        f"Tổng số {len(results)} nội dung: {passed} nội dung đạt, {failed} nội dung chưa đạt, "
        f"{len(results) - passed - failed} nội dung không áp dụng.",
        italic=True,
    )

    doc.paragraph("II. NHẬN XÉT, ĐÁNH GIÁ CHUNG", bold=True, indent=False)
    for line in (inspection.summary or "").splitlines():
        if line.strip():
            doc.paragraph(line.strip())

    doc.paragraph("III. TỒN TẠI, HẠN CHẾ VÀ YÊU CẦU KHẮC PHỤC", bold=True, indent=False)
    if findings:
        doc.table(
            ["STT", "Tồn tại, hạn chế", "Yêu cầu khắc phục", "Đơn vị thực hiện", "Thời hạn"],
            [
                [str(i), f.content, f.requirement, f.owner.name, f"{f.deadline_text} ({f.due_date:%d/%m/%Y})"]
                for i, f in enumerate(findings, start=1)
            ],
            widths_mm=(10, 55, 45, 30, 25),
            size=11,
        )
    else:
        doc.paragraph("Không có tồn tại, hạn chế phải khắc phục.")

    doc.paragraph("IV. TỔ CHỨC THỰC HIỆN", bold=True, indent=False)
    if findings:
        doc.paragraph(
            f"Đề nghị {unit.name} khắc phục các tồn tại, hạn chế nêu trên và báo cáo kết quả khắc phục, kèm "
            "tài liệu kiểm chứng, trên Hệ thống quản lý cải cách hành chính trong thời hạn nêu trên. Đoàn kiểm "
            "tra xem xét, xác nhận kết quả khắc phục của từng nội dung."
        )
    else:
        doc.paragraph(
            f"Đề nghị {unit.name} tiếp tục phát huy kết quả đạt được trong công tác cải cách hành chính."
        )
    lead = next((m for m in team if m.role == TeamRole.LEAD), None)
    doc.recipients([unit.name, f"{plan.unit.body_name} (để báo cáo)", "Lưu: VT, Đoàn kiểm tra"])
    doc.signatures(("TM. Đoàn kiểm tra\nTrưởng đoàn", "(Ký, ghi rõ họ tên)", str(lead.user) if lead else ""))
    return doc.to_bytes()


def conclusion_pdf(docx: bytes) -> bytes:
    return docx_to_pdf(docx)


REGISTER_HEADER = [
    "STT",
    "Đơn vị được kiểm tra",
    "Loại",
    "Hình thức",
    "Ngày kiểm tra",
    "Ngày kết thúc",
    "Trạng thái",
    "Số thông báo kết luận",
    "Ngày kết luận",
    "Số tồn tại, hạn chế",
    "Chưa khắc phục xong",
    "Đoàn kiểm tra",
]


def register_xlsx(plan: InspectionPlan, inspections: Iterable[Inspection]) -> bytes:
    """The plan's inspections, one row each (dates as dates, counts as numbers, names as text)."""
    book = Workbook()
    book.remove(book.worksheets[0])  # the default sheet, typed as maybe absent
    sheet = book.create_sheet("So kiem tra")
    sheet.append([f"SỔ THEO DÕI KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM {plan.year}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"{plan.title} · {plan.unit.name} · xuất lúc {timezone.localtime():%H:%M %d/%m/%Y}"])
    sheet.append([])
    sheet.append(REGISTER_HEADER)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for n, i in enumerate(inspections, start=1):
        team = "; ".join(f"{m.user} ({m.get_role_display().lower()})" for m in i.team.all())
        append_row(
            sheet,
            [
                n,
                i.unit.name,
                i.get_kind_display(),
                i.get_mode_display(),
                i.start_date,
                i.end_date,
                i.get_state_display(),
                i.conclusion_number,
                i.concluded_on,
                getattr(i, "n_findings", 0),
                getattr(i, "n_open", 0),
                team,
            ],
        )
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["L"].width = 40
    sheet.freeze_panes = "C5"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
