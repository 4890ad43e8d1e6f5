"""`cchc par compute --framework framework.csv --scores scores.csv [--out results.csv]`: the CCHC
index of every unit in the score file (contract: docs/specs/par-index.md).

Writes results.csv (stdout without --out). Any error in either file: every error on stderr as
``FILE:LINE: reason``, exit status 2, nothing written. Needs no database.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from cchc.evaluation import files, formulas

EXIT_BAD_INPUT = 2


def _fail(message: str) -> None:
    sys.stderr.write("cchc par compute: " + " ".join(str(message).split()) + "\n")
    sys.exit(EXIT_BAD_INPUT)


class Command(BaseCommand):
    help = "Tính Chỉ số CCHC của các đơn vị từ tệp bộ chỉ số và tệp điểm (docs/specs/par-index.md)."
    requires_system_checks: list = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: object) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = _fail  # type: ignore[method-assign]  # one line on stderr, exit status 2
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--framework", required=True, help="framework.csv (hoặc .xlsx): bộ chỉ số")
        parser.add_argument("--scores", required=True, help="scores.csv (hoặc .xlsx): điểm của các đơn vị")
        parser.add_argument("--out", help="tệp kết quả results.csv (mặc định: in ra màn hình)")

    def handle(
        self, *args: object, framework: str, scores: str, out: str | None = None, **options: object
    ) -> None:
        if out and any(_same_file(out, path) for path in (framework, scores)):
            _fail(f"--out {out} là tệp đầu vào: ghi kết quả ra tệp khác để không mất dữ liệu.")
        try:
            frame = formulas.build_framework(files.read_framework_rows(_read(framework)))
        except formulas.ParErrors as exc:
            _report(framework, exc)
        try:
            units = formulas.check_scores(frame, files.read_score_rows(_read(scores)))
        except formulas.ParErrors as exc:
            _report(scores, exc)
        text = files.results_csv(formulas.result_rows(formulas.compute_results(frame, units)))
        if out:
            try:
                Path(out).write_text(text, encoding="utf-8")
            except OSError as exc:
                _fail(f"{out}: không ghi được tệp ({exc.strerror}).")
        else:
            sys.stdout.write(text)
            sys.stdout.flush()


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).samefile(b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        sys.stderr.write(f"{path}:0: không đọc được tệp ({exc.strerror}).\n")
        sys.exit(EXIT_BAD_INPUT)


def _report(path: str, exc: formulas.ParErrors) -> None:
    for error in exc.errors:
        sys.stderr.write(f"{path}:{error.line}: {error.reason}\n")
    sys.exit(EXIT_BAD_INPUT)
