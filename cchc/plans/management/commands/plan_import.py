"""`cchc plan import FILE [--json] [--issuer CODE] [--actor USERNAME]`

With --json: prints the structured plan (contract: docs/specs/plan-import.md) and saves nothing.
Without: saves the plan as a draft of the issuing unit and prints its id; warnings (bodies that
could not be matched to units, …) go to stderr. An unreadable or unsupported file: one line on
stderr and exit status 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import CommandParser

from cchc.core.commands import ToolCommand
from cchc.plans.importer import PlanImportError, StructuredPlan, parse_plan_file


class Command(ToolCommand):
    help = "Nhập kế hoạch CCHC từ tệp .docx, .pdf, .txt hoặc .md (--json: chỉ in cấu trúc, không lưu)."
    tool = "plan import"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp kế hoạch: .docx, .pdf, .txt hoặc .md")
        parser.add_argument("--json", action="store_true", help="in cấu trúc JSON ra stdout, không lưu gì")
        parser.add_argument("--issuer", metavar="CODE", help="mã đơn vị ban hành (vd. P75), bắt buộc khi lưu")
        parser.add_argument(
            "--actor", metavar="USERNAME", help="người nhập (mặc định: quản trị viên đầu tiên)"
        )

    def handle(self, *args, file: str, json: bool = False, issuer=None, actor=None, **options):
        try:
            structured = parse_plan_file(Path(file), with_title=not json)
        except PlanImportError as exc:
            self.fail(f"{Path(file).name}: {exc}")
        if json:
            self._print_json(structured)
            return
        self._save(structured, issuer, actor)

    def _print_json(self, structured: StructuredPlan) -> None:
        text = json.dumps(structured, ensure_ascii=False, indent=1)
        out = getattr(sys.stdout, "buffer", None)
        if out is not None:
            sys.stdout.flush()
            out.write((text + "\n").encode("utf-8"))
            out.flush()
        else:  # pragma: no cover - captured output in tests
            self.stdout.write(text)

    def _save(self, structured: StructuredPlan, issuer_code: str | None, username: str | None) -> None:
        from django.contrib.auth import get_user_model

        from cchc.core.errors import PermissionDenied, ServiceError
        from cchc.orgs.models import Unit
        from cchc.plans.importer.save import plan_import_save

        if not issuer_code:
            self.fail("cần --issuer MÃ_ĐƠN_VỊ để lưu kế hoạch (hoặc --json để chỉ xem cấu trúc).")
        if not structured.get("tasks"):
            # An empty draft would look like an import that worked; nothing is saved instead.
            self.fail(
                "không tìm thấy nhiệm vụ nào trong văn bản; không lưu kế hoạch (xem cấu trúc bằng --json)."
            )
        issuer = Unit.objects.filter(code__iexact=issuer_code).first()
        if issuer is None:
            self.fail(f"không có đơn vị mã “{issuer_code}”.")
        users = get_user_model().objects
        if username:
            actor = users.filter(username=username, is_active=True).first()
            if actor is None:
                self.fail(f"không có người dùng “{username}”.")
        else:
            actor = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
            if actor is None:
                self.fail("chưa có quản trị viên; hãy chỉ định --actor TÊN_ĐĂNG_NHẬP.")
        try:
            plan, warnings = plan_import_save(actor=actor, issuer=issuer, structured=structured)
        except (ServiceError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            self.fail("không lưu được kế hoạch: " + "; ".join(str(m) for m in messages))
        for warning in warnings:
            self.stderr.write(f"Cảnh báo: {warning}")
        self.stdout.write(str(plan.pk))
