"""`cchc indicators compute`: dossier indicators from orgs.csv + dossiers.csv (file mode, DuckDB).

    cchc indicators compute --orgs orgs.csv --dossiers dossiers.csv --period 2026-Q1 [--period 2026 …]
        [--out result.csv] [--strict] [--quiet]

Contract: docs/specs/dossier-exchange.md. Exit status 2 with a message on stderr for bad input
(unknown period, bad orgs.csv, unreadable dossiers.csv, or a bad row with --strict).
"""

from __future__ import annotations

import sys

from django.core.management.base import CommandParser

from cchc.core.commands import ToolCommand
from cchc.indicators import filemode


class Command(ToolCommand):
    help = "Tính các chỉ số hồ sơ theo đơn vị × kỳ từ orgs.csv và dossiers.csv (chế độ tệp, DuckDB)."
    tool = "indicators compute"

    def add_arguments(self, parser: CommandParser) -> None:
        filemode.add_arguments(parser)

    def handle(self, *args, **options) -> None:
        status = filemode.run(options, stdout=getattr(self.stdout, "_out", self.stdout), stderr=sys.stderr)
        if status:
            sys.exit(status)
