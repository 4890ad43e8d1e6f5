"""A report's documents (DOCX, PDF through LibreOffice, the XLSX annex) made by a background job:
a province's consolidated report rolls up every unit's, and PDF conversion takes seconds, so the
page shows the progress and then the file (the GET download stays for links and scripts)."""

from __future__ import annotations

from cchc.core.documents import DocumentError, docx_to_pdf
from cchc.jobs.registry import JobFailed, register
from cchc.jobs.runner import JobContext

from . import exports
from .models import Report

EXPORT = "reports.export"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"docx": "DOCX", "pdf": "PDF", "xlsx": "XLSX (phụ lục số liệu)"}


def base_name(report: Report) -> str:
    return f"bao-cao-{report.unit.code}-{report.period_key}".lower()


def run_export(ctx: JobContext) -> None:
    report = Report.objects.select_related("unit").filter(pk=ctx.params["report_id"]).first()
    if report is None:
        raise JobFailed("Báo cáo không còn trong hệ thống.")
    fmt, base = ctx.params["fmt"], base_name(report)
    if fmt == "xlsx":
        ctx.progress(20, "Đang tổng hợp số liệu phụ lục…")
        ctx.save_file(f"{base}-phu-luc.xlsx", XLSX, exports.annex_xlsx(report))
    elif fmt in ("docx", "pdf"):
        ctx.progress(20, "Đang dựng văn bản báo cáo…")
        docx = exports.report_docx(report)
        if fmt == "docx":
            ctx.save_file(f"{base}.docx", DOCX, docx)
        else:
            ctx.progress(60, "Đang chuyển sang PDF…")
            try:
                ctx.save_file(f"{base}.pdf", "application/pdf", docx_to_pdf(docx))
            except DocumentError as exc:
                raise JobFailed(str(exc)) from exc
    else:
        raise JobFailed(f"Không có định dạng “{fmt}”.")
    ctx.finish(message=f"Đã tạo tệp {FORMATS[fmt]}; bấm để tải về.")


def register_jobs() -> None:
    register(EXPORT, run_export)
