"""`cchc indicators compute`: dossier indicators from orgs.csv + dossiers.csv (file mode, DuckDB).

    cchc indicators compute --orgs orgs.csv --dossiers dossiers.csv --period 2026-Q1 [--period 2026 …]
        [--out result.csv] [--strict] [--quiet]

Contract: specs/dossier-exchange.md. Exit status 2 with a message on stderr for bad input
(unknown period, bad orgs.csv, unreadable dossiers.csv, or a bad row with --strict).
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandParser

from cchc.indicators import filemode


def _fail(message: str) -> None:
    sys.stderr.write("cchc indicators compute: " + " ".join(str(message).split()) + "\n")
    sys.stderr.flush()
    sys.exit(filemode.EXIT_BAD_INPUT)


class Command(BaseCommand):
    help = "Tính các chỉ số hồ sơ theo đơn vị × kỳ từ orgs.csv và dossiers.csv (chế độ tệp, DuckDB)."
    requires_system_checks: list = []

    def create_parser(self, prog_name, subcommand, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = _fail  # type: ignore[method-assign]  # one line on stderr, exit status 2
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        filemode.add_arguments(parser)

    def handle(self, *args, **options) -> None:
        status = filemode.run(options, stdout=getattr(self.stdout, "_out", self.stdout), stderr=sys.stderr)
        if status:
            sys.exit(status)
