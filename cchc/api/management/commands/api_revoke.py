"""`cchc api revoke NAME`: the client's token stops working at once (401). Bad input: one line
on stderr, exit status 2."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from cchc.api.models import ApiClient
from cchc.api.services import client_revoke
from cchc.core.actors import SYSTEM
from cchc.core.commands import ToolCommand
from cchc.core.errors import ServiceError


class Command(ToolCommand):
    tool = "api revoke"
    help = "Thu hồi mã truy cập của một ứng dụng kết nối API."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="tên ứng dụng")

    def handle(self, *args: Any, name: str, **options: Any) -> None:
        client = ApiClient.objects.select_related("unit").filter(name=name.strip()).first()
        if client is None:
            self.fail(f"không có ứng dụng tên “{name}”.")
        try:
            client_revoke(actor=SYSTEM, client=client)
        except ServiceError as exc:
            self.fail("; ".join(exc.messages))
        self.stdout.write(f"Đã thu hồi mã truy cập của ứng dụng “{client.name}”.")
