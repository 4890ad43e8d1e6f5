"""`cchc plan import FILE [--json] [--issuer CODE] [--actor USERNAME]`

With --json: prints the structured plan (contract: specs/plan-import.md) and saves nothing.
Without: saves the plan as a draft of the issuing unit and prints its id; warnings (bodies that
could not be matched to units, …) go to stderr. An unreadable or unsupported file: one line on
stderr and exit status 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

from django.core.management.base import BaseCommand, CommandParser

from cchc.plans.importer import PlanImportError, StructuredPlan, parse_plan_file

EXIT_BAD_INPUT = 2


def _fail(message: str) -> NoReturn:
    sys.stderr.write("cchc plan import: " + " ".join(str(message).split()) + "\n")
    sys.stderr.flush()
    sys.exit(EXIT_BAD_INPUT)


class Command(BaseCommand):
    help = "Nhập kế hoạch CCHC từ tệp .docx, .pdf, .txt hoặc .md (--json: chỉ in cấu trúc, không lưu)."
    requires_system_checks: list = []

    def create_parser(self, prog_name, subcommand, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = _fail  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp kế hoạch: .docx, .pdf, .txt hoặc .md")
        parser.add_argument("--json", action="store_true", help="in cấu trúc JSON ra stdout, không lưu gì")
        parser.add_argument("--issuer", metavar="CODE", help="mã đơn vị ban hành (vd. P75), bắt buộc khi lưu")
        parser.add_argument(
            "--actor", metavar="USERNAME", help="người nhập (mặc định: quản trị viên đầu tiên)"
        )

    def handle(self, *args, file: str, json: bool = False, issuer=None, actor=None, **options):
        try:
            structured = parse_plan_file(Path(file))
        except PlanImportError as exc:
            _fail(f"{Path(file).name}: {exc}")
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
            _fail("cần --issuer MÃ_ĐƠN_VỊ để lưu kế hoạch (hoặc --json để chỉ xem cấu trúc).")
        issuer = Unit.objects.filter(code__iexact=issuer_code).first()
        if issuer is None:
            _fail(f"không có đơn vị mã “{issuer_code}”.")
        users = get_user_model().objects
        if username:
            actor = users.filter(username=username, is_active=True).first()
            if actor is None:
                _fail(f"không có người dùng “{username}”.")
        else:
            actor = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
            if actor is None:
                _fail("chưa có quản trị viên; hãy chỉ định --actor TÊN_ĐĂNG_NHẬP.")
        try:
            plan, warnings = plan_import_save(actor=actor, issuer=issuer, structured=structured)
        except (ServiceError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            _fail("không lưu được kế hoạch: " + "; ".join(str(m) for m in messages))
        for warning in warnings:
            self.stderr.write(f"Cảnh báo: {warning}")
        self.stdout.write(str(plan.pk))
