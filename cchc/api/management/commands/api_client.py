"""`cchc api client NAME --unit CODE --scope read|write [--expires dd/mm/yyyy]`: register a client
of the REST API and print its token (one line on stdout; it is shown only this once). Bad input:
one line on stderr, exit status 2."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser

from cchc.api.services import client_register
from cchc.core.actors import SYSTEM
from cchc.core.commands import ToolCommand
from cchc.core.errors import ServiceError
from cchc.core.localtime import TZ_LOCAL
from cchc.orgs.models import Unit


class Command(ToolCommand):
    tool = "api client"
    help = "Đăng ký ứng dụng kết nối API và in mã truy cập (chỉ hiện một lần)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="tên ứng dụng (duy nhất)")
        parser.add_argument(
            "--unit", required=True, help="mã đơn vị: ứng dụng thấy đơn vị này và các đơn vị cấp dưới"
        )
        parser.add_argument("--scope", required=True, help="read (chỉ đọc) hoặc write (đọc và ghi)")
        parser.add_argument("--expires", help="ngày hết hạn dd/mm/yyyy (mặc định: không hết hạn)")
        parser.add_argument("--rate", type=int, default=600, help="số yêu cầu tối đa mỗi phút (mặc định 600)")

    def handle(
        self, *args: Any, name: str, unit: str, scope: str, expires: str | None, rate: int, **options: Any
    ) -> None:
        where = Unit.objects.filter(code=unit.strip()).first()
        if where is None:
            self.fail(f"--unit: không có đơn vị mã “{unit}”.")
        expires_at = None
        if expires:
            try:
                day = dt.datetime.strptime(expires.strip(), "%d/%m/%Y").date()
            except ValueError:
                self.fail(f"--expires: “{expires}” không phải ngày dd/mm/yyyy.")
            expires_at = dt.datetime.combine(day, dt.time.max, tzinfo=TZ_LOCAL)
        try:
            registered = client_register(
                actor=SYSTEM,
                name=name,
                unit=where,
                scope=scope.strip(),
                expires_at=expires_at,
                rate_per_minute=rate,
            )
        except ServiceError as exc:
            self.fail("; ".join(exc.messages))
        self.stdout.write(registered.token)
