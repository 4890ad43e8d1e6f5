"""`cchc deadline parse "Quý I hàng năm" --from 2021 --to 2025`

Prints how the deadline phrase of a plan task is read (kind, due dates, explanation) as JSON.
A bad period exits with status 2 and a one-line message on stderr.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandParser

from cchc.plans.deadlines import parse_deadline

EXIT_BAD_INPUT = 2


def _fail(message: str) -> None:
    sys.stderr.write("cchc deadline parse: " + " ".join(str(message).split()) + "\n")
    sys.stderr.flush()
    sys.exit(EXIT_BAD_INPUT)


def _year(text: str, what: str) -> int:
    try:
        year = int(str(text).strip())
    except (TypeError, ValueError):
        _fail(f"{what} phải là một năm (số nguyên), không phải “{text}”.")
    if not 1900 <= year <= 2200:
        _fail(f"{what} {year} nằm ngoài khoảng 1900–2200.")
    return year


class Command(BaseCommand):
    help = "Đọc một cụm thời hạn của nhiệm vụ (vd. “Quý I hàng năm”) trong kỳ kế hoạch, in JSON."
    requires_system_checks: list = []

    def create_parser(self, prog_name, subcommand, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = _fail  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("phrase", help="cụm thời hạn như trong kế hoạch")
        parser.add_argument("--from", dest="from_year", required=True, help="năm bắt đầu kỳ kế hoạch")
        parser.add_argument("--to", dest="to_year", help="năm kết thúc kỳ kế hoạch (mặc định: bằng --from)")

    def handle(self, *args, phrase: str, from_year: str, to_year: str | None = None, **options):
        start = _year(from_year, "--from")
        end = _year(to_year, "--to") if to_year is not None else start
        if start > end:
            _fail(f"kỳ kế hoạch không hợp lệ: --from {start} lớn hơn --to {end}.")
        schedule = parse_deadline(phrase, from_year=start, to_year=end)
        text = json.dumps(schedule.to_json(), ensure_ascii=False, indent=1)
        out = getattr(sys.stdout, "buffer", None)
        if out is not None:
            sys.stdout.flush()
            out.write((text + "\n").encode("utf-8"))
            out.flush()
        else:  # pragma: no cover
            self.stdout.write(text)
